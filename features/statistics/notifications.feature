@statistics
Feature: StatisticUpdate notifications over CometD
  Reference 2740-2810 and 3305-3470. A client handshakes on /statistics/v3/notifications,
  subscribes to /statistics/v3/updates, and creates subscriptions over REST with the
  session cookie; updates for a subscription reach only the session that owns it.

  Background:
    Given I am signed in as the agent
    And the agent has a CometD session "A"
    And session "A" subscribes to "/statistics/v3/updates"

  Scenario: An update for a new subscription arrives within 3 seconds
    Given the JSON body is:
      """
      {"operationId": "{uuid:sub}", "data": {"statistics": [
        {"statisticId": "{uuid:state}", "objectId": "agent", "objectType": "Agent",
         "definition": {"notificationMode": "Immediate", "category": "CurrentState", "subject": "DNStatus", "mainMask": "*"}}
      ]}}
      """
    When I send a POST request to "/statistics/v3/subscriptions"
    Then the response status is 200
    And within 3 seconds session "A" receives a StatisticUpdate for subscription "{sub}"
    And the event matches the schema "statistics/StatisticUpdate"
    And the event carries the statistic "{state}" with a value and a timestamp

  Scenario: Periodical updates arrive at the requested frequency
    Given the JSON body is:
      """
      {"operationId": "{uuid:sub}", "data": {"statistics": [
        {"statisticId": "{uuid:time}", "objectId": "agent2", "objectType": "Agent",
         "definition": {"notificationMode": "Periodical", "notificationFrequency": 1, "insensitivity": 0,
                        "category": "CurrentTime", "subject": "DNStatus", "mainMask": "*"}}
      ]}}
      """
    When I send a POST request to "/statistics/v3/subscriptions"
    Then the response status is 200
    And session "A" receives StatisticUpdates for statistic "{time}" every 1 second within 600 milliseconds, 3 times

  Scenario: A named statistic is delivered too
    Given the JSON body is:
      """
      {"operationId": "{uuid:sub}", "data": {"statistics": [
        {"statisticId": "{uuid:tics}", "objectId": "agent2", "objectType": "Agent", "name": "TimeInCurrentState"}
      ]}}
      """
    When I send a POST request to "/statistics/v3/subscriptions"
    Then within 3 seconds session "A" receives a StatisticUpdate for subscription "{sub}"
    And the event matches the schema "statistics/StatisticUpdate"

  Scenario: No update arrives for a deleted subscription
    Given the JSON body is:
      """
      {"operationId": "{uuid:sub}", "data": {"statistics": [
        {"statisticId": "{uuid:time}", "objectId": "agent", "objectType": "Agent",
         "definition": {"notificationMode": "Periodical", "notificationFrequency": 1,
                        "category": "CurrentTime", "subject": "DNStatus", "mainMask": "*"}}
      ]}}
      """
    When I send a POST request to "/statistics/v3/subscriptions"
    Then within 3 seconds session "A" receives a StatisticUpdate for subscription "{sub}"
    When I send a DELETE request to "/statistics/v3/subscriptions/{sub}"
    Then the response status is 200
    And session "A" receives no StatisticUpdate for subscription "{sub}" within 3 seconds

  Scenario: Updates reach only the session that owns the subscription
    Given I am signed in as the supervisor
    And the supervisor has a CometD session "B"
    And session "B" subscribes to "/statistics/v3/updates"
    And session "B" is used for the next requests
    And the JSON body is:
      """
      {"operationId": "{uuid:sub}", "data": {"statistics": [
        {"statisticId": "{uuid:time}", "objectId": "agent", "objectType": "Agent",
         "definition": {"notificationMode": "Periodical", "notificationFrequency": 1,
                        "category": "CurrentTime", "subject": "DNStatus", "mainMask": "*"}}
      ]}}
      """
    When I send a POST request to "/statistics/v3/subscriptions"
    Then the response status is 200
    And within 3 seconds session "B" receives a StatisticUpdate for subscription "{sub}"
    And session "A" receives no StatisticUpdate for subscription "{sub}" within 2 seconds

  @mock @serial
  Scenario: An unavailable service drops every subscription, and they can be made again
    Given session "A" subscribes to "/statistics/v3/service"
    And the JSON body is:
      """
      {"operationId": "{uuid:sub}", "data": {"statistics": [
        {"statisticId": "{uuid:time}", "objectId": "agent", "objectType": "Agent",
         "definition": {"notificationMode": "Periodical", "notificationFrequency": 1,
                        "category": "CurrentTime", "subject": "DNStatus", "mainMask": "*"}}
      ]}}
      """
    When I send a POST request to "/statistics/v3/subscriptions"
    Then the response status is 200
    Given the statistics service becomes UNAVAILABLE
    Then within 3 seconds session "A" receives a ServiceStateChange to "UNAVAILABLE"
    And the event matches the schema "statistics/ServiceStateChange"
    And session "A" receives no StatisticUpdate for subscription "{sub}" within 2 seconds
    Given the statistics service becomes AVAILABLE
    Then within 3 seconds session "A" receives a ServiceStateChange to "AVAILABLE"
    When I send a GET request to "/statistics/v3/subscriptions/{sub}/statistic-values"
    Then the response status is 404
    Given the JSON body is:
      """
      {"operationId": "{uuid:again}", "data": {"statistics": [
        {"statisticId": "{uuid:time}", "objectId": "agent", "objectType": "Agent",
         "definition": {"notificationMode": "Periodical", "notificationFrequency": 1,
                        "category": "CurrentTime", "subject": "DNStatus", "mainMask": "*"}}
      ]}}
      """
    When I send a POST request to "/statistics/v3/subscriptions"
    Then the response status is 200
    And within 3 seconds session "A" receives a StatisticUpdate for subscription "{again}"
