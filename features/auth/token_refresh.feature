@auth
Feature: Refresh token grant on POST /auth/v3/oauth/token
  Reference 388 and 603-625: with its refresh token a client obtains a new access token
  (grant_type and refresh_token form fields, 605, 607; RFC 6749 section 6); an unknown
  or missing refresh token is a 400 "as specified by standard" (626). Sign-out with
  global=true invalidates all tokens of the user (757, 763). Not documented, so @strict:
  that the access token issued before a refresh is revoked, that the refresh token stays
  valid and is returned again (Spring Security OAuth2's reuseRefreshTokens default), and
  that signing out one session (global=false) revokes its refresh token too.

  Scenario: A refresh token gives a new access token
    Given I am signed in as the agent
    And the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type    | refresh_token    |
      | refresh_token | {refresh:agent}  |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 200
    And the response body matches the schema "auth/DefaultOAuth2AccessToken"
    And I keep the tokens of the response as "renewed"
    And the access tokens "{token:renewed}" and "{token:agent}" differ
    And the access token "{token:renewed}" is accepted

  @strict
  Scenario: A refresh revokes the access token issued before it
    Given I am signed in as the agent
    And the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type    | refresh_token    |
      | refresh_token | {refresh:agent}  |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 200
    And I keep the tokens of the response as "renewed"
    And the access token "{token:renewed}" is accepted
    And the access token "{token:agent}" is rejected

  @strict
  Scenario: The refresh token can be used again after a refresh
    Given I am signed in as the agent
    And the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type    | refresh_token   |
      | refresh_token | {refresh:agent} |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 200
    Given the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type    | refresh_token   |
      | refresh_token | {refresh:agent} |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 200
    And the response body matches the schema "auth/DefaultOAuth2AccessToken"

  Scenario: An unknown refresh token is answered 400 invalid_grant
    Given the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type    | refresh_token                        |
      | refresh_token | 00000000-0000-4000-8000-000000000000 |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 400
    And the response body matches the schema "auth/OAuthError"
    And the JSON at "/error" equals "invalid_grant"

  Scenario: A refresh grant without a refresh token is a bad request
    Given the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type | refresh_token |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 400
    And the response body matches the schema "auth/OAuthError"

  @strict
  Scenario: A refresh token stops working after its session signs out
    Given I am signed in as the agent
    When I send a POST request to "/auth/v3/sign-out"
    Then the response status is 200
    Given the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type    | refresh_token   |
      | refresh_token | {refresh:agent} |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 400
    And the JSON at "/error" equals "invalid_grant"

  @serial
  Scenario: A refresh token stops working after a global sign-out
    Given I am signed in as the supervisor
    And the query parameter "global" is "true"
    When I send a POST request to "/auth/v3/sign-out"
    Then the response status is 200
    Given the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type    | refresh_token        |
      | refresh_token | {refresh:supervisor} |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 400
    And the JSON at "/error" equals "invalid_grant"
