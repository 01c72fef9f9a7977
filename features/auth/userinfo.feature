@auth
Feature: User information: /userinfo, /openid/userinfo and /jwt-userinfo
  Reference 844-875 (/userinfo, CloudUserDetails), 667-704 (/openid/userinfo,
  OpenIdUserInfo) and 509-537 (/jwt-userinfo: the user information as a JWT in the
  X-GWS-User header, an ApiResponse body). A missing, invalid, expired or revoked bearer
  token is answered 401 (reference 394, 874, 703). The answers name the signed-in user:
  username includes the user name in Configuration Server (873), cmeUserName is it
  (863), contactCenterId is the user's contact center (864). A status code 0 is a
  synchronous success (reference 238-251).

  Scenario: /userinfo describes the signed-in user
    Given I am signed in as the agent
    When I send a GET request to "/auth/v3/userinfo"
    Then the response status is 200
    And the response body matches the schema "auth/CloudUserDetails"
    And the JSON at "/authorities" is an array
    And the userinfo names the agent

  Scenario: /userinfo describes the user of the token, not another one
    Given I am signed in as the supervisor
    When I send a GET request to "/auth/v3/userinfo"
    Then the response status is 200
    And the userinfo names the supervisor

  @strict
  Scenario: /userinfo repeats the sign-in name as username and the user name as loginName
    Given I am signed in as the agent
    When I send a GET request to "/auth/v3/userinfo"
    Then the response status is 200
    And the userinfo names the agent exactly as it signed in

  Scenario: /openid/userinfo describes the signed-in user with OpenID claims
    Given I am signed in as the supervisor
    When I send a GET request to "/auth/v3/openid/userinfo"
    Then the response status is 200
    And the response body matches the schema "auth/OpenIdUserInfo"
    And the OpenID userinfo names the supervisor

  @strict
  Scenario: /openid/userinfo carries a sub claim of its own for each user
    Given I am signed in as the supervisor
    When I send a GET request to "/auth/v3/openid/userinfo"
    Then the response status is 200
    And the JSON at "/sub" is a non-empty string
    And I save the JSON at "/sub" as "supervisor_sub"
    Given I am signed in as the agent
    When I send a GET request to "/auth/v3/openid/userinfo"
    Then the response status is 200
    And the JSON at "/sub" is a non-empty string
    And the JSON at "/sub" differs from the saved "supervisor_sub"

  Scenario: /jwt-userinfo returns the user as a JWT in the X-GWS-User header
    Given I am signed in as the agent
    When I send a GET request to "/auth/v3/jwt-userinfo"
    Then the response status is 200
    And the response body matches the schema "common/ApiResponse"
    And the envelope status code is 0
    And the X-GWS-User header holds a JWT

  # The claims of the JWT are not documented (reference 509 says only that the user
  # information is encoded as a JWT): the mock's payload is the CloudUserDetails object
  # plus iat and exp. Only the documented CloudUserDetails fields are compared.
  @strict
  Scenario: The JWT payload of /jwt-userinfo agrees with /userinfo
    Given I am signed in as the agent
    When I send a GET request to "/auth/v3/jwt-userinfo"
    Then the response status is 200
    And the X-GWS-User header holds a JWT whose payload matches the schema "auth/JwtUserInfoClaims"
    And the JWT payload agrees with the userinfo of the agent

  Scenario Outline: <path> without a bearer token is answered 401
    Given I send no bearer token
    When I send a GET request to "<path>"
    Then the response status is 401

    Examples:
      | path                     |
      | /auth/v3/userinfo        |
      | /auth/v3/openid/userinfo |
      | /auth/v3/jwt-userinfo    |

  Scenario Outline: <path> with an unknown token is answered 401
    Given I use the bearer token "a4b5da75-a584-4053-9227-0f0ab23ff06e"
    When I send a GET request to "<path>"
    Then the response status is 401

    Examples:
      | path                     |
      | /auth/v3/userinfo        |
      | /auth/v3/openid/userinfo |
      | /auth/v3/jwt-userinfo    |

  # The 401 has no documented body (703, 874; 394 gives only the status).
  @strict
  Scenario Outline: The 401 of <path> carries an OAuth error body
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

  @mock
  Scenario: An expired token is answered 401
    Given I am signed in as the agent
    And the access token of the agent has expired
    When I send a GET request to "/auth/v3/userinfo"
    Then the response status is 401
    And the response body matches the schema "auth/OAuthError"
    And the response header "WWW-Authenticate" matches "^Bearer"

  # Reference 425-431: HTTP Basic access authentication has been disabled.
  Scenario: HTTP Basic credentials of a user are no way into the APIs
    Given the request header "Authorization" is "Basic {basic:agent}"
    When I send a GET request to "/auth/v3/userinfo"
    Then the response status is 401
