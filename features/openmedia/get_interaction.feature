@openmedia
Feature: Read an open media interaction by id or by external ID
  GET /nexus/v3/openmedia/{openMediaService}/interactions/ext_{externalId} and
  .../interactions/{interactionId} (reference 3523-3558, 3647-3681) answer 200, 400, 404
  "Resource is not found" or 500, each only as {object}. The untagged scenarios read the
  interaction by the externalId the scenario chose and assert the status codes and the
  envelope (245-267). The interaction id and every field of the interaction exist only in
  the mock's data.interaction, so reading by id and comparing fields is @strict; so is the
  404 in the other service ({tenant.other_openmedia_service}), since the reference does not
  say whether a service's interactions are visible under another service.

  Background:
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}", "userData": {"subject": "Invoice 42"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 200

  Scenario: The interaction is read by its external ID
    # Reference 3523-3541.
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    # Control (reference 3545): an external ID nobody created is not found.
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{uuid:nobody}"
    Then the response status is 404

  @strict
  Scenario: The mock's interaction is the same by its id and by its external ID
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then the response status is 200
    And the response body matches the schema "openmedia/strict/InteractionResponse"
    And I save the JSON at "/data/interaction/id" as "id"
    And the JSON at "/data/interaction/externalId" equals "{ext}"
    And the JSON at "/data/interaction/userData/subject" equals "Invoice 42"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/{id}"
    Then the response status is 200
    And the response body matches the schema "openmedia/strict/InteractionResponse"
    And the JSON at "/data/interaction/id" equals "{id}"
    And the JSON at "/data/interaction/externalId" equals "{ext}"
    And the JSON at "/data/interaction/state" equals "active"
    And the JSON at "/data/interaction/userData/subject" equals "Invoice 42"

  @strict
  Scenario: Another open media service does not know the interaction
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then I save the JSON at "/data/interaction/id" as "id"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.other_openmedia_service}/interactions/{id}"
    Then the response status is 404
    And the response body matches the schema "openmedia/strict/ErrorResponse"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.other_openmedia_service}/interactions/ext_{ext}"
    Then the response status is 404
    And the response body matches the schema "openmedia/strict/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"

  Scenario: An unknown interaction id is 404
    # Reference 3668.
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/{uuid:missing}"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: An unknown external ID is 404
    # Reference 3545.
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{uuid:missing}"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: An unknown open media service is 404
    # Reference 3545; the service name is made up here.
    When I send a GET request to "/nexus/v3/openmedia/no-such-service-{uuid:svc}/interactions/ext_{ext}"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: Without the API key the gateway refuses with 403
    # Reference 3531 (x-api-key required) and 400-405.
    Given I send no API key
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"
