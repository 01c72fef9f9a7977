@openmedia
Feature: Paths and methods that are not Openmedia endpoints
  Below /nexus/v3/openmedia, a path that is no endpoint is 404 and a method an endpoint does
  not serve is 405, both in the nexus genericResponse envelope with INVALID_ENDPOINT (the
  enum of reference 2061); the gateway's API key is checked first.

  Scenario: An unknown path is 404 with INVALID_ENDPOINT
    When I send a GET request to "/nexus/v3/openmedia/workitem/tasks"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_ENDPOINT"

  Scenario: Listing interactions is not an endpoint: 405 with INVALID_ENDPOINT
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions"
    Then the response status is 405
    And the response header "Allow" matches "^POST$"
    And the response body matches the schema "openmedia/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_ENDPOINT"

  Scenario: An interaction cannot be deleted: 405
    When I send a DELETE request to "/nexus/v3/openmedia/workitem/interactions/{uuid:any}"
    Then the response status is 405
    And the response body matches the schema "openmedia/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_ENDPOINT"

  Scenario: Without the API key even an unknown path is 403
    Given I send no API key
    When I send a GET request to "/nexus/v3/openmedia/workitem/tasks"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"
