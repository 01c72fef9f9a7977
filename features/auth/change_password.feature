@auth
Feature: POST /auth/v3/change-password
  Body {"data":{"oldPassword","newPassword","userName"},"operationId"} (reference
  441-500). A wrong old password is 403 "Unable to update password" (line 489). The
  bearer token is required (line 449 leaves it unmarked; the user is known only by it).

  @destructive @serial
  Scenario: After a change the old password stops working and the new one works
    Given I am signed in as the agent
    And the JSON body is:
      """
      {"data": {"oldPassword": "{agent.password}", "newPassword": "{agent.password}-changed"}, "operationId": "cxgate-change-1"}
      """
    When I send a POST request to "/auth/v3/change-password"
    Then the response status is 200
    And the response body matches the schema "common/ApiResponse"
    And the envelope status code is 0
    And the agent cannot sign in with the password "{agent.password}"
    And the agent can sign in with the password "{agent.password}-changed"
    Given I use the access token of the agent
    And the JSON body is:
      """
      {"data": {"oldPassword": "{agent.password}-changed", "newPassword": "{agent.password}"}}
      """
    When I send a POST request to "/auth/v3/change-password"
    Then the response status is 200
    And the agent can sign in with the password "{agent.password}"

  Scenario: A wrong old password is answered 403 and changes nothing
    Given I am signed in as the agent
    And the JSON body is:
      """
      {"data": {"oldPassword": "not-the-password", "newPassword": "never-set-this"}}
      """
    When I send a POST request to "/auth/v3/change-password"
    Then the response status is 403
    And the response body matches the schema "common/ErrorResponse"
    And the agent cannot sign in with the password "never-set-this"
    And the agent can sign in with the password "{agent.password}"

  Scenario: Changing the password of another user is answered 403
    Given I am signed in as the agent
    And the JSON body is:
      """
      {"data": {"oldPassword": "{supervisor.password}", "newPassword": "never-set-this", "userName": "{supervisor.username}"}}
      """
    When I send a POST request to "/auth/v3/change-password"
    Then the response status is 403
    And the supervisor can sign in with the password "{supervisor.password}"

  Scenario: A change-password request without a token is answered 401
    Given I send no bearer token
    And the JSON body is:
      """
      {"data": {"oldPassword": "x", "newPassword": "y"}}
      """
    When I send a POST request to "/auth/v3/change-password"
    Then the response status is 401

  Scenario: A body that is not JSON is a bad request
    Given I am signed in as the agent
    And the raw body is "{\"data\": {" with content type "application/json"
    When I send a POST request to "/auth/v3/change-password"
    Then the response status is 400
    And the response body matches the schema "common/ErrorResponse"
    And the envelope has an error message

  Scenario: A body without newPassword is a bad request
    Given I am signed in as the agent
    And the JSON body is:
      """
      {"data": {"oldPassword": "{agent.password}"}}
      """
    When I send a POST request to "/auth/v3/change-password"
    Then the response status is 400
    And the response body matches the schema "common/ErrorResponse"
