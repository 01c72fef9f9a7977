@openmedia
Feature: Update the userData of an open media interaction
  POST .../interactions/ext_{externalId}/update and .../{interactionId}/update (reference
  3604-3644, 3726-3766) take a required body (3615, 3737) that is changePropertiesRequest:
  changedProperties, addedProperties and deletedProperties, and a data object of the same
  model (3616-3620). The answers are 200, 400, 404 and 500, each only {object}. The
  untagged scenarios update by the externalId the scenario chose and assert status codes
  and the envelope (245-267). What the mock makes of it is @strict: changed keys must
  exist, added keys must not, deleted keys must exist, data is required (ambiguity 61),
  and the change is all or nothing.

  Background:
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}", "userData": {"keep": "same", "status": "open", "draft": "yes"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions"
    Then the response status is 200

  Scenario: Changed, added and deleted properties are accepted by external ID
    # Reference 3604-3625.
    Given the JSON body is:
      """
      {"data": {
        "changedProperties": {"status": "closed"},
        "addedProperties": {"owner": "case-owner-7", "score": 7},
        "deletedProperties": ["draft"]
      }}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/update"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    # Control (reference 3631): the same update of an interaction nobody created is 404.
    Given the JSON body is:
      """
      {"data": {"changedProperties": {"subject": "x"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{uuid:nobody}/update"
    Then the response status is 404

  @strict
  Scenario: The mock applies changed, added and deleted properties exactly
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then I save the JSON at "/data/interaction/id" as "id"
    Given the JSON body is:
      """
      {"data": {
        "changedProperties": {"status": "closed"},
        "addedProperties": {"owner": "case-owner-7", "score": 7},
        "deletedProperties": ["draft"]
      }}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/{id}/update"
    Then the response status is 200
    And the response body matches the schema "openmedia/strict/InteractionResponse"
    And the JSON at "/data/interaction/userData/status" equals "closed"
    And the JSON at "/data/interaction/userData/owner" equals "case-owner-7"
    And the JSON at "/data/interaction/userData/score" equals 7
    And the JSON at "/data/interaction/userData/keep" equals "same"
    And the JSON at "/data/interaction/userData/draft" is absent
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then the response status is 200
    And the JSON at "/data/interaction/userData" equals {"keep": "same", "status": "closed", "owner": "case-owner-7", "score": 7}

  @strict
  Scenario: The mock updates the interaction named by its external ID
    Given the JSON body is:
      """
      {"data": {"changedProperties": {"status": "pending"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/update"
    Then the response status is 200
    And the response body matches the schema "openmedia/strict/InteractionResponse"
    And I save the JSON at "/data/interaction/id" as "id"
    And the JSON at "/data/interaction/userData/status" equals "pending"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/{id}"
    Then the JSON at "/data/interaction/userData/status" equals "pending"

  @strict
  Scenario: Changing a key that does not exist is 400 and changes nothing
    Given the JSON body is:
      """
      {"data": {"changedProperties": {"status": "closed", "missing": "x"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/update"
    Then the response status is 400
    And the response body matches the schema "openmedia/strict/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then the JSON at "/data/interaction/userData/status" equals "open"
    And the JSON at "/data/interaction/userData/missing" is absent

  @strict
  Scenario: Adding a key that exists is 400
    Given the JSON body is:
      """
      {"data": {"addedProperties": {"status": "closed"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/update"
    Then the response status is 400
    And the response body matches the schema "openmedia/strict/ErrorResponse"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then the JSON at "/data/interaction/userData/status" equals "open"

  @strict
  Scenario: Deleting a key that does not exist is 400
    Given the JSON body is:
      """
      {"data": {"deletedProperties": ["draft", "missing"]}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/update"
    Then the response status is 400
    And the response body matches the schema "openmedia/strict/ErrorResponse"
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then the JSON at "/data/interaction/userData/draft" equals "yes"

  @strict
  Scenario: An update without data is 400
    # data is listed optional (3620) although the body is required (3615, ambiguity 61).
    Given the JSON body is:
      """
      {"changedProperties": {"status": "closed"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/update"
    Then the response status is 400
    And the response body matches the schema "openmedia/strict/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"

  Scenario: An update without a body is 400
    # Reference 3615: the body is required; 3629: 400.
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/update"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: A body that is not JSON is 400 by external ID
    # Reference 3629.
    Given the raw body is "{\"data\": {" with content type "application/json"
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/update"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"

  @strict
  Scenario: The mock's 400 for a body that is not JSON is INVALID_PARAMETER by interaction id
    When I send a GET request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}"
    Then I save the JSON at "/data/interaction/id" as "id"
    Given the raw body is "{\"data\": {" with content type "application/json"
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/{id}/update"
    Then the response status is 400
    And the response body matches the schema "openmedia/strict/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"

  Scenario: Updating an unknown interaction id is 404
    # Reference 3751.
    Given the JSON body is:
      """
      {"data": {"addedProperties": {"owner": "case-owner-7"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/{uuid:missing}/update"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: Updating an unknown external ID is 404
    # Reference 3631.
    Given the JSON body is:
      """
      {"data": {"addedProperties": {"owner": "case-owner-7"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{uuid:missing}/update"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: Without the API key the gateway refuses with 403
    # Reference 3612 (x-api-key required) and 400-405.
    Given I send no API key
    And the JSON body is:
      """
      {"data": {"addedProperties": {"owner": "case-owner-7"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/{tenant.openmedia_service}/interactions/ext_{ext}/update"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"
