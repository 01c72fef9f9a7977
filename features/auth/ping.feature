@auth
Feature: GET /auth/v3/ping checks the connection
  "Return 200 if user is authenticated otherwise 403" (reference 719-739): unlike the
  other endpoints, an unauthenticated ping is 403 "Prohibited", not 401.

  Scenario: An authenticated ping succeeds
    Given I am signed in as the agent
    When I send a GET request to "/auth/v3/ping"
    Then the response status is 200
    And the response body matches the schema "common/ApiResponse"
    And the envelope status code is 0

  Scenario: A ping without a token is prohibited
    Given I send no bearer token
    When I send a GET request to "/auth/v3/ping"
    Then the response status is 403
    And the response body matches the schema "common/ErrorResponse"

  Scenario: A ping with a revoked token is prohibited
    Given I am signed in as the agent
    When I send a POST request to "/auth/v3/sign-out"
    And I send a GET request to "/auth/v3/ping"
    Then the response status is 403
    And the response body matches the schema "common/ErrorResponse"
