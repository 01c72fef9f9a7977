@statistics
Feature: Statistic subscriptions: create, read, delete
  Reference 2595-2740 and 3000-3300. The subscriptionId is filled from the operationId
  (line 2676). DELETE is fire-and-forget and always succeeds (lines 2736, 3172).
  verbose is INFO (default) or OFF; with OFF a value carries only statisticId, value and
  timestamp.

  Background:
    Given I am signed in as the agent

  Scenario: A subscription to a named and a defined statistic
    Given the JSON body is:
      """
      {"operationId": "{uuid:sub}", "data": {"statistics": [
        {"statisticId": "{uuid:aht}", "objectId": "agent", "objectType": "Agent", "name": "AverageHandlingTime"},
        {"statisticId": "{uuid:tat}", "objectId": "agent", "objectType": "Agent",
         "definition": {"notificationMode": "Periodical", "notificationFrequency": 10, "insensitivity": 1,
                        "category": "TotalAdjustedTime", "subject": "DNStatus", "intervalType": "GrowingWindow",
                        "mainMask": "WaitForNextCall", "dynamicTimeProfile": "00:00", "dynamicFilter": "Media=voice",
                        "maskType": "DN"}}
      ]}}
      """
    When I send a POST request to "/statistics/v3/subscriptions"
    Then the response status is 200
    And the response body matches the schema "statistics/StatisticDataResponse"
    And the envelope status code is 0
    And the JSON at "/data/subscriptionId" equals "{sub}"
    And the JSON at "/data/operationId" equals "{sub}"
    And the JSON at "/data/statistics/0/statisticId" equals "{aht}"
    And the JSON at "/data/statistics/1/statisticId" equals "{tat}"
    And the JSON at "/data/statistics/1/value" is an object

  Scenario: The values of a subscription, all and filtered by statisticIds
    Given the JSON body is:
      """
      {"operationId": "{uuid:sub}", "data": {"statistics": [
        {"statisticId": "{uuid:s1}", "objectId": "agent", "objectType": "Agent", "name": "CurrentAgentState"},
        {"statisticId": "{uuid:s2}", "objectId": "agent2", "objectType": "Agent", "name": "TimeInCurrentState"}
      ]}}
      """
    When I send a POST request to "/statistics/v3/subscriptions"
    When I send a GET request to "/statistics/v3/subscriptions/{sub}/statistic-values"
    Then the response status is 200
    And the response body matches the schema "statistics/StatisticDataResponse"
    And the JSON at "/data/subscriptionId" equals "{sub}"
    And the JSON at "/data/statistics/1" exists
    Given the query parameter "statisticIds" is "{s2}"
    When I send a GET request to "/statistics/v3/subscriptions/{sub}/statistic-values"
    Then the response status is 200
    And the JSON at "/data/statistics/0/statisticId" equals "{s2}"
    And the JSON at "/data/statistics/1" is absent

  Scenario: verbose=OFF leaves out the descriptive fields
    Given the query parameter "verbose" is "OFF"
    And the JSON body is:
      """
      {"operationId": "{uuid:sub}", "data": {"statistics": [
        {"statisticId": "{uuid:s1}", "objectId": "agent", "objectType": "Agent", "name": "CurrentAgentState"}
      ]}}
      """
    When I send a POST request to "/statistics/v3/subscriptions"
    Then the response status is 200
    And the response body matches the schema "statistics/StatisticDataResponse"
    And the JSON at "/data/statistics/0/statisticId" equals "{s1}"
    And the JSON at "/data/statistics/0/value" is an object
    And the JSON at "/data/statistics/0/objectId" is absent

  Scenario: An unknown verbose value is a bad request
    Given the query parameter "verbose" is "LOUD"
    And the JSON body is:
      """
      {"operationId": "{uuid:sub}", "data": {"statistics": [
        {"statisticId": "{uuid:s1}", "objectId": "agent", "objectType": "Agent", "name": "CurrentAgentState"}
      ]}}
      """
    When I send a POST request to "/statistics/v3/subscriptions"
    Then the response status is 400
    And the response body matches the schema "common/ApiResponse"

  Scenario: A Periodical definition without a frequency is a bad request
    Given the JSON body is:
      """
      {"operationId": "{uuid:sub}", "data": {"statistics": [
        {"statisticId": "{uuid:s1}", "objectId": "agent", "objectType": "Agent",
         "definition": {"notificationMode": "Periodical", "category": "CurrentTime", "subject": "DNStatus", "mainMask": "*"}}
      ]}}
      """
    When I send a POST request to "/statistics/v3/subscriptions"
    Then the response status is 400
    And the response body matches the schema "common/ApiResponse"
    And the envelope has an error message

  Scenario: An unknown named statistic is a bad request
    Given the JSON body is:
      """
      {"operationId": "{uuid:sub}", "data": {"statistics": [
        {"statisticId": "{uuid:s1}", "objectId": "agent", "objectType": "Agent", "name": "NoSuchStatistic"}
      ]}}
      """
    When I send a POST request to "/statistics/v3/subscriptions"
    Then the response status is 400

  Scenario: Deleting a subscription succeeds and its values are gone
    Given the JSON body is:
      """
      {"operationId": "{uuid:sub}", "data": {"statistics": [
        {"statisticId": "{uuid:s1}", "objectId": "agent", "objectType": "Agent", "name": "CurrentAgentState"}
      ]}}
      """
    When I send a POST request to "/statistics/v3/subscriptions"
    When I send a DELETE request to "/statistics/v3/subscriptions/{sub}"
    Then the response status is 200
    And the response body matches the schema "common/ApiResponse"
    And the envelope status code is 0
    When I send a GET request to "/statistics/v3/subscriptions/{sub}/statistic-values"
    Then the response status is 404

  Scenario: Deleting an unknown subscription still succeeds
    When I send a DELETE request to "/statistics/v3/subscriptions/{uuid:never-created}"
    Then the response status is 200
    And the envelope status code is 0

  Scenario: Another user cannot read a subscription
    Given the JSON body is:
      """
      {"operationId": "{uuid:sub}", "data": {"statistics": [
        {"statisticId": "{uuid:s1}", "objectId": "agent", "objectType": "Agent", "name": "CurrentAgentState"}
      ]}}
      """
    When I send a POST request to "/statistics/v3/subscriptions"
    Given I am signed in as the supervisor
    When I send a GET request to "/statistics/v3/subscriptions/{sub}/statistic-values"
    Then the response status is 404
