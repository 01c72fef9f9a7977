@auth @mock @serial
Feature: Tokens live as long as expires_in says
  Reference 388-394: an access token is valid for a certain time, given as expires_in
  (614-625, "the time, in seconds, before the token expiration"); an expired token is
  answered 401 and the client gets a new one with its refresh token. No scenario
  assumes a lifetime: the mock clock moves relative to the expires_in of the token
  answer, so any configured lifetime works. Driven through the mock's control plane.

  Scenario: A token is rejected once its lifetime has passed, and a refresh renews it
    Given I am signed in as the agent
    And the mock clock moves forward to 1 second after the access token of the agent expires
    When I send a GET request to "/auth/v3/userinfo"
    Then the response status is 401
    Given the request header "Authorization" is "Basic {basic:client}"
    And the form body is:
      | grant_type    | refresh_token   |
      | refresh_token | {refresh:agent} |
    When I send a POST request to "/auth/v3/oauth/token"
    Then the response status is 200
    And I keep the tokens of the response as "renewed"
    And the access token "{token:renewed}" is accepted

  Scenario: A token shortly before its lifetime ends is still accepted
    Given I am signed in as the agent
    And the mock clock moves forward to 10 seconds before the access token of the agent expires
    Then the access token "{token:agent}" is accepted
