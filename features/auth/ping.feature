@auth
Feature: GET /auth/v3/ping checks the connection
  "Return 200 if user is authenticated otherwise 403" (reference 716-752): 200 with an
  ApiResponse (724-736, status code 0 a synchronous success, 238-251); unlike the other
  endpoints, an unauthenticated ping is 403 "Prohibited" (739), not 401. The body of
  that 403 is not documented: its ErrorResponse shape is @strict.

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

  Scenario: A ping with a revoked token is prohibited
    Given I am signed in as the agent
    When I send a POST request to "/auth/v3/sign-out"
    Then the response status is 200
    When I send a GET request to "/auth/v3/ping"
    Then the response status is 403

  @strict
  Scenario: The 403 of a ping carries an ErrorResponse
    Given I send no bearer token
    When I send a GET request to "/auth/v3/ping"
    Then the response status is 403
    And the response body matches the schema "common/ErrorResponse"
