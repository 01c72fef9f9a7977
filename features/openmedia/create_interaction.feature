@openmedia
Feature: Create an open media interaction with POST /nexus/v3/openmedia/{openMediaService}/interactions
  Reference 3479-3521. The body is createInteractionRequest (3491-3497): externalId,
  parentInteractionId, receivedAt and userData (an object), and an optional data object.
  The answers are 200, 400, 404 "Resource is not found", 409 "Resource already exists" and
  500, each documented only as {object} (3502-3511); every Engage Cloud answer carries a
  status with a code (245-267). So the untagged scenarios assert status codes, that
  envelope, and what the request itself chose: the externalId, which names the
  interaction at .../ext_{externalId} (3523-3558). The services come from the profile
  ({tenant.openmedia_service}). What the mock answers beyond that (data.interaction with
  id, service, state, receivedAt, userData; INVALID_PARAMETER codes; 400 for a receivedAt
  that is not RFC 3339 or a parent that does not exist) is @strict.

  Scenario: An interaction is created with every field and is found by its externalId
    # Reference 3491-3495, 3502, 3523-3545.
    Given the JSON body is:
      """
      {"externalId": "{uuid:parentExt}"}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    Given the JSON body is:
      """
      {
        "externalId": "{uuid:ext}",
        "receivedAt": "2026-01-01T09:30:00.000Z",
        "userData": {"subject": "Invoice 42", "priority": 3}
      }
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    # Control (reference 3545): an external ID nobody created is not found.
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{uuid:nobody}"
    Then the response status is 404

  @strict
  Scenario: The mock answers the created interaction with every field in data.interaction
    Given the JSON body is:
      """
      {"externalId": "{uuid:parentExt}"}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 200
    And I save the JSON at "/data/interaction/id" as "parent"
    Given the JSON body is:
      """
      {
        "externalId": "{uuid:ext}",
        "parentInteractionId": "{parent}",
        "receivedAt": "2026-01-01T09:30:00.000Z",
        "userData": {"subject": "Invoice 42", "priority": 3}
      }
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 200
    And the response body matches the schema "openmedia/strict/InteractionResponse"
    And the JSON at "/status/code" equals "SUCCESS"
    And the JSON at "/referenceId" is a non-empty string
    And the JSON at "/operationId" is a non-empty string
    And the JSON at "/data/interaction/id" is a non-empty string
    And the JSON at "/data/interaction/externalId" equals "{ext}"
    And the JSON at "/data/interaction/parentInteractionId" equals "{parent}"
    And the JSON at "/data/interaction/receivedAt" equals "2026-01-01T09:30:00.000Z"
    And the JSON at "/data/interaction/service" equals "{tenant.openmedia_service}"
    And the JSON at "/data/interaction/state" equals "active"
    And the JSON at "/data/interaction/userData/subject" equals "Invoice 42"
    And the JSON at "/data/interaction/userData/priority" equals 3
    And the JSON at "/data/interaction/stoppedAt" is absent

  Scenario: The fields may come wrapped in data
    # Reference 3496-3497: createInteractionRequest has a data (object) of its own.
    Given the JSON body is:
      """
      {"data": {"externalId": "{uuid:ext}", "userData": {"channel": "crm"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.other_openmedia_service}/interactions"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    # Control (reference 3545): an external ID nobody created is not found.
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{uuid:nobody}"
    Then the response status is 404

  @strict
  Scenario: The mock reads the fields wrapped in data as createInteractionRequest
    Given the JSON body is:
      """
      {"data": {"externalId": "{uuid:ext}", "userData": {"channel": "crm"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.other_openmedia_service}/interactions"
    Then the response status is 200
    And the response body matches the schema "openmedia/strict/InteractionResponse"
    And the JSON at "/data/interaction/externalId" equals "{ext}"
    And the JSON at "/data/interaction/service" equals "{tenant.other_openmedia_service}"
    And the JSON at "/data/interaction/userData/channel" equals "crm"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.other_openmedia_service}/interactions/ext_{ext}"
    Then the response status is 200

  Scenario: Without a body an interaction is created
    # Reference 3489: the body parameter is not required.
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    # Control (reference 3506): the same create in a service that does not exist is 404.
    When I send a POST request to "/nexus/v3/openmedia/no-such-service-{uuid:svc}/interactions"
    Then the response status is 404

  @strict
  Scenario: Without a body the mock's interaction is received now, with no externalId
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 200
    And the response body matches the schema "openmedia/strict/InteractionResponse"
    And the JSON at "/data/interaction/externalId" is absent
    And the JSON at "/data/interaction/receivedAt" is a non-empty string
    And the JSON at "/data/interaction/userData" equals {}

  Scenario: A second interaction with the same externalId is refused with 409
    # Reference 3508: 409 "Resource already exists".
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}", "userData": {"attempt": "first"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 200
    Given the JSON body is:
      """
      {"externalId": "{ext}", "userData": {"attempt": "second"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 409
    And the response body matches the schema "openmedia/ErrorResponse"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then the response status is 200

  @strict
  Scenario: The refused second create leaves the first interaction as it was
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}", "userData": {"attempt": "first"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 200
    And I save the JSON at "/data/interaction/id" as "first"
    Given the JSON body is:
      """
      {"externalId": "{ext}", "userData": {"attempt": "second"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 409
    And the response body matches the schema "openmedia/strict/ErrorResponse"
    And the JSON at "/status/code" equals "FAILURE"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then the response status is 200
    And the JSON at "/data/interaction/id" equals "{first}"
    And the JSON at "/data/interaction/userData/attempt" equals "first"

  Scenario: An unknown open media service is 404
    # Reference 3506: 404 "Resource is not found"; the service name is made up here.
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}"}
      """
    When I send a POST request to "/nexus/v3/openmedia/no-such-service-{uuid:svc}/interactions"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"

  @strict
  Scenario: A receivedAt that is not an RFC 3339 date-time is 400 and creates nothing
    # receivedAt is an untyped string (3494); the mock demands RFC 3339.
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}", "receivedAt": "yesterday"}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 400
    And the response body matches the schema "openmedia/strict/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then the response status is 404

  Scenario: userData that is not an object is 400 and creates nothing
    # Reference 3495 (userData is an object), 3504, 3545.
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}", "userData": "subject=Invoice 42"}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then the response status is 404

  @strict
  Scenario: The mock's 400 for a bad userData is INVALID_PARAMETER
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}", "userData": "subject=Invoice 42"}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 400
    And the response body matches the schema "openmedia/strict/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"

  @strict
  Scenario: A parentInteractionId that names no interaction is 400
    # The reference does not say what an unknown parent does (3493).
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}", "parentInteractionId": "{uuid:nobody}"}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 400
    And the response body matches the schema "openmedia/strict/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"

  Scenario: A body that is not JSON is 400
    # Reference 3504: 400 "Invalid request parameters provided".
    Given the raw body is "{\"externalId\": " with content type "application/json"
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: Without the API key the gateway refuses with 403
    # Reference 3487 (x-api-key required) and 400-405 (the gateway's 403).
    Given I send no API key
    And the JSON body is:
      """
      {"externalId": "{uuid:ext}"}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"
