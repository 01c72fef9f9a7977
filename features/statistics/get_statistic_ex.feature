@statistics
Feature: POST /statistics/v3/operations/get-statistic-ex peeks several statistics at once
  Reference 2495-2560 and 2815-2900. The body is {"data":{"statistics":[...]}} as Genesys's
  own clients send it; the parameter table calls the body "statistics" (line 2823), so a
  bare {"statistics":[...]} is accepted too.

  Background:
    Given I am signed in as the agent

  Scenario: Two statistics of one agent are returned with values and timestamps
    Given the JSON body is:
      """
      {"data": {"statistics": [
        {"name": "CurrentAgentState", "objectType": "Agent", "objectId": "agent2"},
        {"name": "TimeInCurrentState", "objectType": "Agent", "objectId": "agent2"}
      ]}}
      """
    When I send a POST request to "/statistics/v3/operations/get-statistic-ex"
    Then the response status is 200
    And the response body matches the schema "statistics/PeekedStatisticsResponse"
    And the envelope status code is 0
    And the JSON at "/data/statistics/0/name" equals "CurrentAgentState"
    And the JSON at "/data/statistics/1/name" equals "TimeInCurrentState"
    And the JSON at "/data/statistics/1/timestamp" is an integer

  Scenario: The body named as in the parameter table is accepted
    Given the JSON body is:
      """
      {"statistics": [{"name": "AverageHandlingTime", "objectType": "Agent", "objectId": "agent"}]}
      """
    When I send a POST request to "/statistics/v3/operations/get-statistic-ex"
    Then the response status is 200
    And the response body matches the schema "statistics/PeekedStatisticsResponse"
    And the JSON at "/data/statistics/0/objectId" equals "agent"

  Scenario: An unknown statistic among known ones is a partial success
    Given the JSON body is:
      """
      {"data": {"statistics": [
        {"name": "CurrentAgentState", "objectType": "Agent", "objectId": "agent"},
        {"name": "NoSuchStatistic", "objectType": "Agent", "objectId": "agent"}
      ]}}
      """
    When I send a POST request to "/statistics/v3/operations/get-statistic-ex"
    Then the response status is 200
    And the response body matches the schema "statistics/PeekedStatisticsResponse"
    And the envelope status code is 2
    And the JSON at "/data/statistics/0/name" equals "CurrentAgentState"
    And the JSON at "/data/statistics/1" is absent
    And the JSON at "/errors/0/status/code" is an integer

  Scenario: A body without statistics is a bad request
    Given the JSON body is:
      """
      {"data": {}}
      """
    When I send a POST request to "/statistics/v3/operations/get-statistic-ex"
    Then the response status is 400
    And the response body matches the schema "common/ApiResponse"
    And the envelope has an error message

  Scenario: A body that is not JSON is a bad request
    Given the raw body is "{\"data\": [" with content type "application/json"
    When I send a POST request to "/statistics/v3/operations/get-statistic-ex"
    Then the response status is 400
    And the response body matches the schema "common/ApiResponse"

  Scenario: Without a bearer token the request is unauthorized
    Given I send no bearer token
    And the JSON body is:
      """
      {"data": {"statistics": [{"name": "CurrentAgentState", "objectType": "Agent", "objectId": "agent"}]}}
      """
    When I send a POST request to "/statistics/v3/operations/get-statistic-ex"
    Then the response status is 401
    And the response body matches the schema "auth/OAuthError"

  Scenario: Without an API key the request is forbidden
    Given I send no API key
    And the JSON body is:
      """
      {"data": {"statistics": [{"name": "CurrentAgentState", "objectType": "Agent", "objectId": "agent"}]}}
      """
    When I send a POST request to "/statistics/v3/operations/get-statistic-ex"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"
