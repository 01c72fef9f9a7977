@auth
Feature: Resource owner password grant on POST /auth/v3/oauth/token
  Real clients send the client credentials as HTTP Basic and the user's credentials as
  form fields with grant_type=password and scope=* (reference 352-377, 603-625).
  User names take the form tenant\user.

  Scenario: The password grant returns a bearer token
    Given the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type | password          |
      | username   | {agent.username}  |
      | password   | {agent.password}  |
      | scope      | *                 |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 200
    And the response body matches the schema "auth/DefaultOAuth2AccessToken"
    And the JSON at "/access_token" is a non-empty string
    And the JSON at "/refresh_token" is a non-empty string
    And the JSON at "/expires_in" is an integer
    And the JSON at "/scope" equals "*"
    And the response header "Cache-Control" matches "no-store"
    And I keep the tokens of the response as "fresh"
    And the access token "{token:fresh}" is accepted

  Scenario: Wrong client credentials are answered 401
    Given the request header "Authorization" is "Basic Y3hnYXRlLWNsaWVudDp3cm9uZw=="
    And the form body is:
      | grant_type | password         |
      | username   | {agent.username} |
      | password   | {agent.password} |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 401
    And the response body matches the schema "auth/OAuthError"
    And the JSON at "/error" equals "Unauthorized"
    And the JSON at "/error_description" equals "Bad credentials"

  Scenario: Missing client credentials are answered 401
    Given the form body is:
      | grant_type | password         |
      | username   | {agent.username} |
      | password   | {agent.password} |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 401
    And the response body matches the schema "auth/OAuthError"

  Scenario: A wrong user password is answered 400 invalid_grant
    Given the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type | password         |
      | username   | {agent.username} |
      | password   | not-the-password |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 400
    And the response body matches the schema "auth/OAuthError"
    And the JSON at "/error" equals "invalid_grant"
    And the JSON at "/error_description" equals "Bad credentials"

  Scenario: An unknown user is answered 400 invalid_grant
    Given the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type | password                 |
      | username   | nobody-of-cxgate         |
      | password   | whatever                 |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 400
    And the JSON at "/error" equals "invalid_grant"

  Scenario: A password grant without a password is a bad request
    Given the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type | password         |
      | username   | {agent.username} |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 400
    And the response body matches the schema "auth/OAuthError"

  Scenario: A token request without grant_type is a bad request
    Given the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | username | {agent.username} |
      | password | {agent.password} |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 400
    And the response body matches the schema "auth/OAuthError"

  Scenario: An unknown grant_type is unsupported
    Given the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type | magic |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 400
    And the response body matches the schema "auth/OAuthError"
    And the JSON at "/error" equals "unsupported_grant_type"

  Scenario: A token request sent as JSON instead of a form is a bad request
    Given the request header "Authorization" is "Basic {basic:client}"
    And the JSON body is:
      """
      {"grant_type": "password", "username": "{agent.username}", "password": "{agent.password}"}
      """
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 400
    And the response body matches the schema "auth/OAuthError"

  Scenario: A malformed form body is a bad request, not a server error
    Given the request header "Authorization" is "Basic {basic:client}"
    And the raw body is "grant_type=password&username=%zz&password" with content type "application/x-www-form-urlencoded"
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 400
    And the response body matches the schema "auth/OAuthError"

  Scenario: A scope other than * is refused
    Given the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type | password         |
      | username   | {agent.username} |
      | password   | {agent.password} |
      | scope      | admin            |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 400
    And the JSON at "/error" equals "invalid_scope"
