@auth
Feature: Resource owner password grant on POST /auth/v3/oauth/token
  Reference 352-377 and 590-653: the client credentials go as HTTP Basic (352, 599), the
  user's as the form fields username and password (606, 609), with grant_type (605) and
  scope, of which only * is supported (608). The answer is a DefaultOAuth2AccessToken
  (614-625) with Cache-Control: no-store (370). Bad client credentials are 401
  {"error":"Unauthorized","error_description":"Bad credentials"} (407-412); bad user
  credentials 400 invalid_grant / Bad credentials (414-419); other faults 400 "as
  specified by standard" (626), i.e. RFC 6749 section 5.2. User names take the form
  tenant\user (the tenant is a field of the sign-in form, 564).

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

  # A broken %-escape could as well be read literally; refusing it is the mock's choice.
  @strict
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

  # Reference 603: client_id is a form field of the token request, next to the Basic
  # client credentials (599).
  Scenario: The client_id form field goes with the client's Basic credentials
    Given the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type | password         |
      | client_id  | {client_id}      |
      | username   | {agent.username} |
      | password   | {agent.password} |
      | scope      | *                |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 200
    And the response body matches the schema "auth/DefaultOAuth2AccessToken"
    And I keep the tokens of the response as "with-client-id"
    And the access token "{token:with-client-id}" is accepted
    Given the request header "Authorization" is "Basic Y3hnYXRlLWNsaWVudDp3cm9uZw=="
    And the form body is:
      | grant_type | password         |
      | client_id  | {client_id}      |
      | username   | {agent.username} |
      | password   | {agent.password} |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 401
    And the JSON at "/error" equals "Unauthorized"

  @strict
  Scenario: Without Basic, the client_id and client_secret form fields authenticate the client
    Given the form body is:
      | grant_type    | password         |
      | client_id     | {client_id}      |
      | client_secret | {client_secret}  |
      | username      | {agent.username} |
      | password      | {agent.password} |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 200
    And I keep the tokens of the response as "form-client"
    And the access token "{token:form-client}" is accepted
    Given the form body is:
      | grant_type    | password         |
      | client_id     | {client_id}      |
      | client_secret | not-the-secret   |
      | username      | {agent.username} |
      | password      | {agent.password} |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 401
