@openmedia
Feature: Stop an open media interaction
  POST .../interactions/{interactionId}/stop and .../ext_{externalId}/stop take an optional
  {"data": stopInteractionRequest} with reasonSystemName and reasonDescription (reference
  3560-3601, 3683-3724). A stopped interaction stays readable; it can be neither updated nor
  stopped again (400: neither endpoint documents a 409).

  Background:
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}", "userData": {"subject": "Invoice 42"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions"
    Then the response status is 200
    And I save the JSON at "/data/interaction/id" as "id"

  Scenario: A stop with a reason stops the interaction and keeps the reason
    Given the JSON body is:
      """
      {"data": {"reasonSystemName": "Completed", "reasonDescription": "Closed in the CRM"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/ext_{ext}/stop"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    And the JSON at "/data/interaction/id" equals "{id}"
    And the JSON at "/data/interaction/state" equals "stopped"
    And the JSON at "/data/interaction/stoppedAt" is a non-empty string
    And the JSON at "/data/interaction/stopReason/reasonSystemName" equals "Completed"
    And the JSON at "/data/interaction/stopReason/reasonDescription" equals "Closed in the CRM"
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions/{id}"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    And the JSON at "/data/interaction/state" equals "stopped"
    And the JSON at "/data/interaction/stopReason/reasonSystemName" equals "Completed"
    And the JSON at "/data/interaction/userData/subject" equals "Invoice 42"

  Scenario: A stopped interaction can be neither updated nor stopped again
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/{id}/stop"
    Then the response status is 200
    And the JSON at "/data/interaction/state" equals "stopped"
    And the JSON at "/data/interaction/stopReason" is absent
    Given the JSON body is:
      """
      {"data": {"addedProperties": {"late": "yes"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/{id}/update"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    Given the JSON body is:
      """
      {"data": {"reasonSystemName": "Again"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/ext_{ext}/stop"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions/ext_{ext}"
    Then the JSON at "/data/interaction/userData/late" is absent
    And the JSON at "/data/interaction/stopReason" is absent

  Scenario: A reason outside data is refused and the interaction stays active
    Given the JSON body is:
      """
      {"reasonSystemName": "Completed"}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/{id}/stop"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions/{id}"
    Then the JSON at "/data/interaction/state" equals "active"

  Scenario: A body that is not JSON is 400 and the interaction stays active
    Given the raw body is "{\"data\": " with content type "application/json"
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/{id}/stop"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions/{id}"
    Then the JSON at "/data/interaction/state" equals "active"

  Scenario: Stopping an unknown interaction id is 404
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/{uuid:missing}/stop"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: Stopping an unknown external ID is 404
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/ext_{uuid:missing}/stop"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: Without the API key the gateway refuses with 403
    Given I send no API key
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/ext_{ext}/stop"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions/ext_{ext}"
    Then the response status is 403
