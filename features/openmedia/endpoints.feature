@openmedia
Feature: Paths and methods that are not Openmedia endpoints
  The reference lists seven Openmedia endpoints (3479-3766) and says nothing about other
  paths or methods below /nexus/v3/openmedia. The mock answers a path that is no endpoint
  with 404 and a method an endpoint does not serve with 405 plus Allow, both in its nexus
  envelope with INVALID_ENDPOINT (the enum of 2061), after the gateway's API key check
  (400-405). All of that is the mock's choice, hence @strict.

  @strict
  Scenario: An unknown path is 404 with INVALID_ENDPOINT
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/tasks"
    Then the response status is 404
    And the response body matches the schema "openmedia/strict/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_ENDPOINT"

  @strict
  Scenario: Listing interactions is not an endpoint: 405 with INVALID_ENDPOINT
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 405
    And the response header "Allow" matches "^POST$"
    And the response body matches the schema "openmedia/strict/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_ENDPOINT"

  @strict
  Scenario: An interaction cannot be deleted: 405
    When I send a DELETE request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/{uuid:any}"
    Then the response status is 405
    And the response body matches the schema "openmedia/strict/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_ENDPOINT"

  @strict
  Scenario: Without the API key even an unknown path is 403
    Given I send no API key
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/tasks"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"
