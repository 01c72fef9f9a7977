@auth
Feature: User information: /userinfo, /openid/userinfo and /jwt-userinfo
  Reference 660-880. A missing, invalid, expired or revoked bearer token is answered 401
  (reference 394) with the OAuth error body.

  Scenario: /userinfo describes the signed-in user
    Given I am signed in as the agent
    When I send a GET request to "/auth/v3/userinfo"
    Then the response status is 200
    And the response body matches the schema "auth/CloudUserDetails"
    And the JSON at "/authorities" is an array
    And the JSON at "/username" is a non-empty string

  Scenario: /openid/userinfo describes the signed-in user with OpenID claims
    Given I am signed in as the supervisor
    When I send a GET request to "/auth/v3/openid/userinfo"
    Then the response status is 200
    And the response body matches the schema "auth/OpenIdUserInfo"

  Scenario: /jwt-userinfo returns the user as a JWT in the X-GWS-User header
    Given I am signed in as the agent
    When I send a GET request to "/auth/v3/jwt-userinfo"
    Then the response status is 200
    And the response body matches the schema "common/ApiResponse"
    And the envelope status code is 0
    And the X-GWS-User header holds a JWT whose payload matches the schema "auth/JwtUserInfoClaims"
    And the JWT payload agrees with the userinfo of the agent

  Scenario Outline: <path> without a bearer token is answered 401
    Given I send no bearer token
    When I send a GET request to "<path>"
    Then the response status is 401
    And the response body matches the schema "auth/OAuthError"

    Examples:
      | path                     |
      | /auth/v3/userinfo        |
      | /auth/v3/openid/userinfo |
      | /auth/v3/jwt-userinfo    |

  Scenario Outline: <path> with an unknown token is answered 401
    Given I use the bearer token "a4b5da75-a584-4053-9227-0f0ab23ff06e"
    When I send a GET request to "<path>"
    Then the response status is 401
    And the response body matches the schema "auth/OAuthError"

    Examples:
      | path                     |
      | /auth/v3/userinfo        |
      | /auth/v3/openid/userinfo |
      | /auth/v3/jwt-userinfo    |

  Scenario: A revoked token is answered 401
    Given I am signed in as the agent
    When I send a POST request to "/auth/v3/sign-out"
    Then the response status is 200
    When I send a GET request to "/auth/v3/userinfo"
    Then the response status is 401
    And the response body matches the schema "auth/OAuthError"

  @mock
  Scenario: An expired token is answered 401
    Given I am signed in as the agent
    And the access token of the agent has expired
    When I send a GET request to "/auth/v3/userinfo"
    Then the response status is 401
    And the response body matches the schema "auth/OAuthError"
    And the response header "WWW-Authenticate" matches "^Bearer"

  Scenario: HTTP Basic credentials of a user are no way into the APIs
    Given the request header "Authorization" is "Basic {basic:agent}"
    When I send a GET request to "/auth/v3/userinfo"
    Then the response status is 401
