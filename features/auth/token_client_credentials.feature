@auth
Feature: Client credentials grant on POST /auth/v3/oauth/token
  The client authenticates as itself (HTTP Basic, reference 352, 599). The reference
  names no client_credentials grant (it says only the code grant is supported, 554,
  593, and its grant_type has no list of values, 605), so what such a token looks like
  is the mock's choice (@strict): no refresh token (RFC 6749 4.4.3 says "should not"),
  and /userinfo names the client. Bad client credentials are 401 on every grant
  (407-412).

  @strict
  Scenario: The client credentials grant returns a token without a refresh token
    Given the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type | client_credentials |
      | scope      | *                  |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 200
    And the response body matches the schema "auth/DefaultOAuth2AccessToken"
    And the JSON at "/refresh_token" is absent

  @strict
  Scenario: A client token identifies the client on /userinfo
    Given I have a client credentials token
    When I send a GET request to "/auth/v3/userinfo"
    Then the response status is 200
    And the response body matches the schema "auth/CloudUserDetails"
    And the JSON at "/username" equals "{client_id}"

  Scenario: The client credentials grant with a wrong secret is answered 401
    Given the request header "Authorization" is "Basic Y3hnYXRlLWNsaWVudDp3cm9uZw=="
    And the form body is:
      | grant_type | client_credentials |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 401
    And the response body matches the schema "auth/OAuthError"
