@auth
Feature: Sign-out with GET and POST /auth/v3/sign-out
  Reference 754-842: sign-out invalidates "either the current token or all tokens
  associated with the user" (757, 802); global=true invalidates all tokens of the user,
  global=false only the current token (763, 808-811), and false is what an absent
  global means here. The answer is 200 with an ApiResponse (769-783, 816-828), status
  code 0 being a synchronous success (238-251); no token is 401 (784, 829). GET takes
  redirectUri, "the URI where the browser is redirected after sign-out is successful"
  (764); POST has none (808). How the redirect is made (302) and the refusal of an
  unregistered redirectUri are not documented (only 200/401/503 are, 769-785): they
  are the @strict scenarios.

  Scenario: POST sign-out invalidates only the current token
    Given I am signed in as the agent
    And the agent also signs in as "other-session"
    When I send a POST request to "/auth/v3/sign-out"
    Then the response status is 200
    And the response body matches the schema "common/ApiResponse"
    And the envelope status code is 0
    And the access token "{token:agent}" is rejected
    And the access token "{token:other-session}" is accepted

  # @destructive: signs the user out of every session, theirs included.
  @serial @destructive
  Scenario: POST sign-out with global=true invalidates every token of the user
    Given I am signed in as the supervisor
    And the supervisor also signs in as "other-session"
    And the query parameter "global" is "true"
    When I send a POST request to "/auth/v3/sign-out"
    Then the response status is 200
    And the envelope status code is 0
    And the access token "{token:supervisor}" is rejected
    And the access token "{token:other-session}" is rejected

  # @destructive: signs the user out of every session, theirs included.
  @serial @destructive
  Scenario: GET sign-out with global=true invalidates every token of the user
    Given I am signed in as the supervisor
    And the supervisor also signs in as "other-session"
    And the query parameter "global" is "true"
    When I send a GET request to "/auth/v3/sign-out"
    Then the response status is 200
    And the access token "{token:other-session}" is rejected

  Scenario: GET sign-out with a registered redirectUri signs the user out
    Given I am signed in as the agent
    And the query parameter "redirectUri" is "{redirect_uri}"
    When I send a GET request to "/auth/v3/sign-out"
    Then the access token "{token:agent}" is rejected

  @strict
  Scenario: GET sign-out with a registered redirectUri redirects there with a 302
    Given I am signed in as the agent
    And the query parameter "redirectUri" is "{redirect_uri}"
    When I send a GET request to "/auth/v3/sign-out"
    Then the response status is 302
    And the response redirects to "{redirect_uri}"
    And the access token "{token:agent}" is rejected

  @strict
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

    Examples:
      | method |
      | GET    |
      | POST   |

  # The 401 has no documented body (784, 829).
  @strict
  Scenario Outline: The 401 of <method> sign-out carries an OAuth error body
    Given I send no bearer token
    When I send a <method> request to "/auth/v3/sign-out"
    Then the response status is 401
    And the response body matches the schema "auth/OAuthError"

    Examples:
      | method |
      | GET    |
      | POST   |

  Scenario Outline: <method> sign-out with global=false invalidates only the current token
    Given I am signed in as the agent
    And the agent also signs in as "other-session"
    And the query parameter "global" is "false"
    When I send a <method> request to "/auth/v3/sign-out"
    Then the response status is 200
    And the response body matches the schema "common/ApiResponse"
    And the access token "{token:agent}" is rejected
    And the access token "{token:other-session}" is accepted

    Examples:
      | method |
      | GET    |
      | POST   |
