@openmedia
Feature: Create an open media interaction with POST /nexus/v3/openmedia/{openMediaService}/interactions
  The body is createInteractionRequest (reference 3489-3497): externalId, parentInteractionId,
  receivedAt and userData, at the top level or wrapped in "data". An externalId is unique
  within its open media service (409 "Resource already exists", 3508). Every answer is the
  nexus genericResponse envelope; the reference documents all of them only as {object}.

  Scenario: An interaction is created with every field
    Given the JSON body is:
      """
      {"externalId": "{uuid:parentExt}"}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions"
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
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    And the JSON at "/status/code" equals "SUCCESS"
    And the JSON at "/referenceId" is a non-empty string
    And the JSON at "/operationId" is a non-empty string
    And the JSON at "/data/interaction/id" is a non-empty string
    And the JSON at "/data/interaction/externalId" equals "{ext}"
    And the JSON at "/data/interaction/parentInteractionId" equals "{parent}"
    And the JSON at "/data/interaction/receivedAt" equals "2026-01-01T09:30:00.000Z"
    And the JSON at "/data/interaction/service" equals "workitem"
    And the JSON at "/data/interaction/state" equals "active"
    And the JSON at "/data/interaction/userData/subject" equals "Invoice 42"
    And the JSON at "/data/interaction/userData/priority" equals 3
    And the JSON at "/data/interaction/stoppedAt" is absent

  Scenario: The fields may come wrapped in data
    Given the JSON body is:
      """
      {"data": {"externalId": "{uuid:ext}", "userData": {"channel": "crm"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/fax/interactions"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    And the JSON at "/data/interaction/externalId" equals "{ext}"
    And the JSON at "/data/interaction/service" equals "fax"
    And the JSON at "/data/interaction/userData/channel" equals "crm"

  Scenario: Without a body the interaction is received now, with no externalId
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    And the JSON at "/data/interaction/externalId" is absent
    And the JSON at "/data/interaction/receivedAt" is a non-empty string
    And the JSON at "/data/interaction/userData" equals {}

  Scenario: A second interaction with the same externalId is refused with 409
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}", "userData": {"attempt": "first"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions"
    Then the response status is 200
    And I save the JSON at "/data/interaction/id" as "first"
    Given the JSON body is:
      """
      {"externalId": "{ext}", "userData": {"attempt": "second"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions"
    Then the response status is 409
    And the response body matches the schema "openmedia/ErrorResponse"
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions/ext_{ext}"
    Then the response status is 200
    And the JSON at "/data/interaction/id" equals "{first}"
    And the JSON at "/data/interaction/userData/attempt" equals "first"

  Scenario: An unknown open media service is 404
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}"}
      """
    When I send a POST request to "/nexus/v3/openmedia/no-such-service/interactions"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: A receivedAt that is not a date-time is 400 and creates nothing
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}", "receivedAt": "yesterday"}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions/ext_{ext}"
    Then the response status is 404

  Scenario: userData that is not an object is 400
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}", "userData": "subject=Invoice 42"}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"

  Scenario: A parentInteractionId that names no interaction is 400
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}", "parentInteractionId": "{uuid:nobody}"}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"

  Scenario: A body that is not JSON is 400
    Given the raw body is "{\"externalId\": " with content type "application/json"
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"

  Scenario: Without the API key the gateway refuses with 403
    Given I send no API key
    And the JSON body is:
      """
      {"externalId": "{uuid:ext}"}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"
