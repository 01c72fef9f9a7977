@openmedia
Feature: Update the userData of an open media interaction
  POST .../interactions/{interactionId}/update and .../ext_{externalId}/update take
  {"data": changePropertiesRequest} (reference 3604-3644, 3726-3766; the body is required,
  3615 and 3737). changedProperties gives new values to keys that exist, addedProperties
  adds keys that do not, deletedProperties removes keys that exist; anything else is a 400
  and changes nothing.

  Background:
    Given the JSON body is:
      """
      {"externalId": "{uuid:ext}", "userData": {"keep": "same", "status": "open", "draft": "yes"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions"
    Then the response status is 200
    And I save the JSON at "/data/interaction/id" as "id"

  Scenario: Changed, added and deleted properties are applied exactly
    Given the JSON body is:
      """
      {"data": {
        "changedProperties": {"status": "closed"},
        "addedProperties": {"owner": "agent1", "score": 7},
        "deletedProperties": ["draft"]
      }}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/{id}/update"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    And the JSON at "/data/interaction/userData/status" equals "closed"
    And the JSON at "/data/interaction/userData/owner" equals "agent1"
    And the JSON at "/data/interaction/userData/score" equals 7
    And the JSON at "/data/interaction/userData/keep" equals "same"
    And the JSON at "/data/interaction/userData/draft" is absent
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions/ext_{ext}"
    Then the response status is 200
    And the JSON at "/data/interaction/userData" equals {"keep": "same", "status": "closed", "owner": "agent1", "score": 7}

  Scenario: The interaction is updated by its external ID
    Given the JSON body is:
      """
      {"data": {"changedProperties": {"status": "pending"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/ext_{ext}/update"
    Then the response status is 200
    And the response body matches the schema "openmedia/InteractionResponse"
    And the JSON at "/data/interaction/id" equals "{id}"
    And the JSON at "/data/interaction/userData/status" equals "pending"
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions/{id}"
    Then the JSON at "/data/interaction/userData/status" equals "pending"

  Scenario: Changing a key that does not exist is 400 and changes nothing
    Given the JSON body is:
      """
      {"data": {"changedProperties": {"status": "closed", "missing": "x"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/{id}/update"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions/{id}"
    Then the JSON at "/data/interaction/userData/status" equals "open"
    And the JSON at "/data/interaction/userData/missing" is absent

  Scenario: Adding a key that exists is 400
    Given the JSON body is:
      """
      {"data": {"addedProperties": {"status": "closed"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/{id}/update"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions/{id}"
    Then the JSON at "/data/interaction/userData/status" equals "open"

  Scenario: Deleting a key that does not exist is 400
    Given the JSON body is:
      """
      {"data": {"deletedProperties": ["draft", "missing"]}}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/{id}/update"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"
    When I send a GET request to "/nexus/v3/openmedia/workitem/interactions/{id}"
    Then the JSON at "/data/interaction/userData/draft" equals "yes"

  Scenario: An update without data is 400
    Given the JSON body is:
      """
      {"changedProperties": {"status": "closed"}}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/{id}/update"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"

  Scenario: A body that is not JSON is 400
    Given the raw body is "{\"data\": {" with content type "application/json"
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/{id}/update"
    Then the response status is 400
    And the response body matches the schema "openmedia/ErrorResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"

  Scenario: Updating an unknown interaction id is 404
    Given the JSON body is:
      """
      {"data": {"addedProperties": {"owner": "agent1"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/{uuid:missing}/update"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: Updating an unknown external ID is 404
    Given the JSON body is:
      """
      {"data": {"addedProperties": {"owner": "agent1"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/ext_{uuid:missing}/update"
    Then the response status is 404
    And the response body matches the schema "openmedia/ErrorResponse"

  Scenario: Without the API key the gateway refuses with 403
    Given I send no API key
    And the JSON body is:
      """
      {"data": {"addedProperties": {"owner": "agent1"}}}
      """
    When I send a POST request to "/nexus/v3/openmedia/workitem/interactions/{id}/update"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"
