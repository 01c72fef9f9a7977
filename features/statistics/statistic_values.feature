@statistics
Feature: GET /statistics/v3/statistic-values/{statisticName} peeks one statistic
  Reference 2560-2590 and 2905-3000: objectType and objectId are mandatory query
  parameters.

  Background:
    Given I am signed in as the agent

  Scenario: The value of one statistic of one agent
    Given the query parameter "objectType" is "Agent"
    And the query parameter "objectId" is "agent2"
    When I send a GET request to "/statistics/v3/statistic-values/TimeInCurrentState"
    Then the response status is 200
    And the response body matches the schema "statistics/PeekedStatisticResponse"
    And the envelope status code is 0
    And the JSON at "/data/statistic/value" is an object
    And the JSON at "/data/statistic/timestamp" is an integer

  Scenario Outline: A missing <missing> is a bad request
    Given the query parameter "<present>" is "<value>"
    When I send a GET request to "/statistics/v3/statistic-values/CurrentAgentState"
    Then the response status is 400
    And the response body matches the schema "common/ApiResponse"
    And the envelope has an error message

    Examples:
      | missing    | present    | value  |
      | objectId   | objectType | Agent  |
      | objectType | objectId   | agent2 |

  Scenario: An unknown statistic is not found
    Given the query parameter "objectType" is "Agent"
    And the query parameter "objectId" is "agent2"
    When I send a GET request to "/statistics/v3/statistic-values/NoSuchStatistic"
    Then the response status is 404
    And the response body matches the schema "common/ApiResponse"

  Scenario: Without a bearer token the request is unauthorized
    Given I send no bearer token
    And the query parameter "objectType" is "Agent"
    And the query parameter "objectId" is "agent2"
    When I send a GET request to "/statistics/v3/statistic-values/CurrentAgentState"
    Then the response status is 401
