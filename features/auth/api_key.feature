@auth
Feature: Every Authentication API endpoint demands a valid API key
  Reference 400-405 and 322: every request carries x-api-key; an invalid key on any
  endpoint is answered 403 {"message":"Forbidden"} by the API gateway, before any
  credential or token is looked at.

  Scenario Outline: A request without an API key is forbidden: <method> <path>
    Given I am signed in as the agent
    And I send no API key
    When I send a <method> request to "<path>"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"

    Examples:
      | method | path                     |
      | POST   | /auth/v3/oauth/token     |
      | GET    | /auth/v3/oauth/authorize |
      | GET    | /auth/v3/userinfo        |
      | GET    | /auth/v3/openid/userinfo |
      | GET    | /auth/v3/jwt-userinfo    |
      | GET    | /auth/v3/ping            |
      | GET    | /auth/v3/sign-out        |
      | POST   | /auth/v3/sign-out        |
      | POST   | /auth/v3/change-password |

  Scenario Outline: A request with a wrong API key is forbidden: <method> <path>
    Given I am signed in as the agent
    And I send the API key "not-the-api-key"
    When I send a <method> request to "<path>"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"

    Examples:
      | method | path                     |
      | POST   | /auth/v3/oauth/token     |
      | GET    | /auth/v3/oauth/authorize |
      | GET    | /auth/v3/userinfo        |
      | GET    | /auth/v3/openid/userinfo |
      | GET    | /auth/v3/jwt-userinfo    |
      | GET    | /auth/v3/ping            |
      | GET    | /auth/v3/sign-out        |
      | POST   | /auth/v3/sign-out        |
      | POST   | /auth/v3/change-password |

  Scenario: A wrong API key does not sign anybody out
    Given I am signed in as the agent
    And I send the API key "not-the-api-key"
    When I send a POST request to "/auth/v3/sign-out"
    Then the response status is 403
    And the access token "{token:agent}" is accepted
