@openmedia
Feature: Read an open media interaction by id or by external ID
  GET /nexus/v3/openmedia/{openMediaService}/interactions/{interactionId} and
  .../interactions/ext_{externalId} (reference 3523-3558, 3647-3681) name the same
  interaction two ways. An interaction is found only in the service it was created in.

  Background:
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}", "userData": {"subject": "Invoice 42"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions"
    Then the response status is 200
    And I save the JSON at "/data/interaction/id" as "id"

  Scenario: The interaction is read by its id
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions/{id}"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    And the JSON at "/data/interaction/id" equals "{id}"
    And the JSON at "/data/interaction/externalId" equals "{ext}"
    And the JSON at "/data/interaction/state" equals "active"
    And the JSON at "/data/interaction/userData/subject" equals "Invoice 42"

  Scenario: The same interaction is read by its external ID
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions/ext_{ext}"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    And the JSON at "/data/interaction/id" equals "{id}"
    And the JSON at "/data/interaction/externalId" equals "{ext}"
    And the JSON at "/data/interaction/userData/subject" equals "Invoice 42"

  Scenario: Another open media service does not know the interaction
    When I send a GET request to "/nexus/v3/openmedia/fax/interactions/{id}"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"
    When I send a GET request to "/nexus/v3/openmedia/fax/interactions/ext_{ext}"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: An unknown interaction id is 404
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions/{uuid:missing}"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: An unknown external ID is 404
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions/ext_{uuid:missing}"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: An unknown open media service is 404
    When I send a GET request to "/nexus/v3/openmedia/no-such-service/interactions/{id}"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: Without the API key the gateway refuses with 403
    Given I send no API key
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions/ext_{ext}"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"
