@auth @mock @serial
Feature: Tokens live as long as expires_in says
  Driven through the mock's control plane: the mock clock moves forward past the token
  lifetime. The reference (389-394) warns that a token may end early; a client must
  get a new one on 401, with its refresh token.

  Scenario: A token is rejected once its lifetime has passed, and a refresh renews it
    Given I am signed in as the agent
    And the mock clock moves forward by 43201 seconds
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

  Scenario: A token within its lifetime is still accepted after an hour
    Given I am signed in as the agent
    And the mock clock moves forward by 3600 seconds
    Then the access token "{token:agent}" is accepted
