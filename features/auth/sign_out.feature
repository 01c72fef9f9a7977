@auth
Feature: Sign-out with GET and POST /auth/v3/sign-out
  global=false (the default) invalidates only the presented token; global=true every
  token of the user (reference 745-830). GET takes redirectUri and redirects there after
  sign-out; only a redirect URI registered for the client is followed (an open redirect
  would hand the browser to anyone).

  Scenario: POST sign-out invalidates only the current token
    Given I am signed in as the agent
    And the agent also signs in as "other-session"
    When I send a POST request to "/auth/v3/sign-out"
    Then the response status is 200
    And the response body matches the schema "common/ApiResponse"
    And the envelope status code is 0
    And the access token "{token:agent}" is rejected
    And the access token "{token:other-session}" is accepted

  @serial
  Scenario: POST sign-out with global=true invalidates every token of the user
    Given I am signed in as the supervisor
    And the supervisor also signs in as "other-session"
    And the query parameter "global" is "true"
    When I send a POST request to "/auth/v3/sign-out"
    Then the response status is 200
    And the envelope status code is 0
    And the access token "{token:supervisor}" is rejected
    And the access token "{token:other-session}" is rejected

  @serial
  Scenario: GET sign-out with global=true invalidates every token of the user
    Given I am signed in as the supervisor
    And the supervisor also signs in as "other-session"
    And the query parameter "global" is "true"
    When I send a GET request to "/auth/v3/sign-out"
    Then the response status is 200
    And the access token "{token:other-session}" is rejected

  Scenario: GET sign-out with a registered redirectUri redirects there
    Given I am signed in as the agent
    And the query parameter "redirectUri" is "{redirect_uri}"
    When I send a GET request to "/auth/v3/sign-out"
    Then the response status is 302
    And the response redirects to "{redirect_uri}"
    And the access token "{token:agent}" is rejected

  Scenario: GET sign-out with an unregistered redirectUri does not redirect or sign out
    Given I am signed in as the agent
    And the query parameter "redirectUri" is "https://attacker.example/after"
    When I send a GET request to "/auth/v3/sign-out"
    Then the response status is 400
    And the response does not redirect
    And the access token "{token:agent}" is accepted

  Scenario Outline: <method> sign-out without a token is answered 401
    Given I send no bearer token
    When I send a <method> request to "/auth/v3/sign-out"
    Then the response status is 401
    And the response body matches the schema "auth/OAuthError"

    Examples:
      | method |
      | GET    |
      | POST   |
