@auth
Feature: Refresh token grant on POST /auth/v3/oauth/token
  A refresh returns a new access token. The access token issued before it is revoked;
  the refresh token itself stays valid and is returned again (the server reuses refresh
  tokens, as Spring Security OAuth2 does by default).

  Scenario: A refresh token gives a new access token and revokes the old one
    Given I am signed in as the agent
    And the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type    | refresh_token    |
      | refresh_token | {refresh:agent}  |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 200
    And the response body matches the schema "auth/DefaultOAuth2AccessToken"
    And I keep the tokens of the response as "renewed"
    And the access token "{token:renewed}" is accepted
    And the access token "{token:agent}" is rejected

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
