@openmedia
Feature: Stop an open media interaction
  POST .../interactions/ext_{externalId}/stop and .../{interactionId}/stop (reference
  3560-3601, 3683-3724) take an optional stopInteractionRequest: reasonSystemName and
  reasonDescription, and a data object of the same model (3575-3579, 3697-3701), so the
  reason may stand at the top level or inside data. The answers are 200, 400, 404 and 500,
  each only {object}. The untagged scenarios stop by the externalId the scenario chose and
  assert status codes and the envelope (245-267). The mock keeps the stopped interaction
  readable with state, stoppedAt and stopReason, and refuses to update or stop it again
  with a 400 (neither endpoint documents a 409): all @strict.

  Background:
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}", "userData": {"subject": "Invoice 42"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 200

  Scenario: A stop with a reason inside data is a success
    # Reference 3575-3579, 3584.
    Given the JSON body is:
      """
      {"data": {"reasonSystemName": "Completed", "reasonDescription": "Closed in the CRM"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/stop"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    # Control (reference 3588): the same stop of an interaction nobody created is 404.
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{uuid:nobody}/stop"
    Then the response status is 404

  Scenario: A stop with the reason at the top level is a success
    # Reference 3576-3577: reasonSystemName and reasonDescription are fields of the body.
    Given the JSON body is:
      """
      {"reasonSystemName": "Completed", "reasonDescription": "Closed in the CRM"}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/stop"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    # Control (reference 3588): the same stop of an interaction nobody created is 404.
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{uuid:nobody}/stop"
    Then the response status is 404

  Scenario: A stop without a body is a success
    # Reference 3574: the body is optional.
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/stop"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    # Control (reference 3588): the same stop of an interaction nobody created is 404.
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{uuid:nobody}/stop"
    Then the response status is 404

  @strict
  Scenario: The mock keeps the reason given inside data and the interaction stays readable
    Given the JSON body is:
      """
      {"data": {"reasonSystemName": "Completed", "reasonDescription": "Closed in the CRM"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/stop"
    Then the response status is 200
    And the response body matches the schema "openmedia/strict/InteractionResponse"
    And I save the JSON at "/data/interaction/id" as "id"
    And the JSON at "/data/interaction/state" equals "stopped"
    And the JSON at "/data/interaction/stoppedAt" is a non-empty string
    And the JSON at "/data/interaction/stopReason/reasonSystemName" equals "Completed"
    And the JSON at "/data/interaction/stopReason/reasonDescription" equals "Closed in the CRM"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/{id}"
    Then the response status is 200
    And the response body matches the schema "openmedia/strict/InteractionResponse"
    And the JSON at "/data/interaction/state" equals "stopped"
    And the JSON at "/data/interaction/stopReason/reasonSystemName" equals "Completed"
    And the JSON at "/data/interaction/userData/subject" equals "Invoice 42"

  @strict
  Scenario: The mock keeps the reason given at the top level
    Given the JSON body is:
      """
      {"reasonSystemName": "Completed"}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/stop"
    Then the response status is 200
    And the response body matches the schema "openmedia/strict/InteractionResponse"
    And the JSON at "/data/interaction/state" equals "stopped"
    And the JSON at "/data/interaction/stopReason/reasonSystemName" equals "Completed"
    And the JSON at "/data/interaction/stopReason/reasonDescription" is absent

  @strict
  Scenario: The reason in both places at once is 400 and the interaction stays active
    Given the JSON body is:
      """
      {"reasonSystemName": "Completed", "data": {"reasonSystemName": "Other"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/stop"
    Then the response status is 400
    And the response body matches the schema "openmedia/strict/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then the JSON at "/data/interaction/state" equals "active"

  @strict
  Scenario: A stopped interaction can be neither updated nor stopped again
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then I save the JSON at "/data/interaction/id" as "id"
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/{id}/stop"
    Then the response status is 200
    And the JSON at "/data/interaction/state" equals "stopped"
    And the JSON at "/data/interaction/stopReason" is absent
    Given the JSON body is:
      """
      {"data": {"addedProperties": {"late": "yes"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/{id}/update"
    Then the response status is 400
    And the response body matches the schema "openmedia/strict/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    Given the JSON body is:
      """
      {"data": {"reasonSystemName": "Again"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/stop"
    Then the response status is 400
    And the response body matches the schema "openmedia/strict/ErrorResponse"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then the JSON at "/data/interaction/userData/late" is absent
    And the JSON at "/data/interaction/stopReason" is absent

  Scenario: A body that is not JSON is 400
    # Reference 3586.
    Given the raw body is "{\"data\": " with content type "application/json"
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/stop"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"

  @strict
  Scenario: After a body that is not JSON the mock's interaction stays active
    Given the raw body is "{\"data\": " with content type "application/json"
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/stop"
    Then the response status is 400
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then the JSON at "/data/interaction/state" equals "active"

  Scenario: Stopping an unknown interaction id is 404
    # Reference 3710.
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/{uuid:missing}/stop"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: Stopping an unknown external ID is 404
    # Reference 3588.
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{uuid:missing}/stop"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: Without the API key the gateway refuses with 403
    # Reference 3568 (x-api-key required) and 400-405.
    Given I send no API key
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/stop"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"

  @strict
  Scenario: After the gateway's 403 the mock's interaction is still active
    Given I send no API key
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/stop"
    Then the response status is 403
    Given I send the API key "{api_key}"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then the response status is 200
    And the JSON at "/data/interaction/state" equals "active"
