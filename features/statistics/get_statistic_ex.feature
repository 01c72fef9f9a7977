@statistics
Feature: POST /statistics/v3/operations/get-statistic-ex peeks several statistics at once
  Reference 2495-2560 (sample request and response) and 2815-2900 (parameters and
  responses). The body is {"data":{"statistics":[{name, objectType, objectId}]}} as the
  sample shows (2508-2523); get-statistic-ex works only with statistics pre-configured for
  the contact center (2446), so names and objects come from the tenant profile. Each
  value is an object whose structure is Stat Server's (2839); status code 0 is success and
  2 a partial bulk success (236-267).

  Background:
    Given I am signed in as the agent

  # Reference 2508-2557, 2829-2852.
  Scenario: Two statistics of one agent are returned with values and timestamps
    Given the JSON body is:
      """
      {"data": {"statistics": [
        {"name": "{tenant.immediate_statistic}", "objectType": "{tenant.agent_object_type}", "objectId": "{tenant.other_agent_object_id}"},
        {"name": "{tenant.periodic_statistic}", "objectType": "{tenant.agent_object_type}", "objectId": "{tenant.other_agent_object_id}"}
      ]}}
      """
    When I send a POST request to "/statistics/v3/operations/get-statistic-ex"
    Then the response status is 200
    And the response body matches the schema "statistics/PeekedStatisticsResponse"
    And the envelope status code is 0
    And the JSON array at "/data/statistics" has an item whose "name" equals "{tenant.immediate_statistic}"
    And the JSON array at "/data/statistics" has an item whose "name" equals "{tenant.periodic_statistic}"
    And every item of the JSON array at "/data/statistics" has "objectId" equal to "{tenant.other_agent_object_id}"
    And every item of the JSON array at "/data/statistics" has "timestamp" as an integer
    And every item of the JSON array at "/data/statistics" has "value" as an object

  # The parameter table names the body "statistics" (2823), but in that table the name
  # labels the whole body ({object}, 2824); the sample wraps it in "data" (2508). Accepting
  # the bare form is the mock's leniency, not the contract.
  @strict
  Scenario: The body named as in the parameter table is accepted
    Given the JSON body is:
      """
      {"statistics": [{"name": "{tenant.periodic_statistic}", "objectType": "{tenant.agent_object_type}", "objectId": "{tenant.agent_object_id}"}]}
      """
    When I send a POST request to "/statistics/v3/operations/get-statistic-ex"
    Then the response status is 200
    And the response body matches the schema "statistics/PeekedStatisticsResponse"
    And the JSON at "/data/statistics/0/objectId" equals "{tenant.agent_object_id}"

  # Partial success: status code 2 with the failed items in errors (236-267, 2829).
  Scenario: An unknown statistic among known ones is a partial success
    Given the JSON body is:
      """
      {"data": {"statistics": [
        {"name": "{tenant.immediate_statistic}", "objectType": "{tenant.agent_object_type}", "objectId": "{tenant.agent_object_id}"},
        {"name": "NoSuchStatistic-{uuid:nosuch}", "objectType": "{tenant.agent_object_type}", "objectId": "{tenant.agent_object_id}"}
      ]}}
      """
    When I send a POST request to "/statistics/v3/operations/get-statistic-ex"
    Then the response status is 200
    And the response body matches the schema "statistics/PeekedStatisticsResponse"
    And the envelope status code is 2
    And the JSON array at "/data/statistics" has an item whose "name" equals "{tenant.immediate_statistic}"
    And no item of the JSON array at "/data/statistics" has "name" equal to "NoSuchStatistic-{nosuch}"
    And the JSON at "/errors/0/status/code" is an integer

  # 400 Bad Request with an ApiResponse (2853-2868): statistics is mandatory (2499, 2823);
  # every error status carries a message (253-255).
  Scenario: A body without statistics is a bad request
    Given the JSON body is:
      """
      {"data": {}}
      """
    When I send a POST request to "/statistics/v3/operations/get-statistic-ex"
    Then the response status is 400
    And the response body matches the schema "common/ApiResponse"
    And the envelope has an error message

  # 400 Bad Request (2853-2868) for a body that cannot be read.
  Scenario: A body that is not JSON is a bad request
    Given the raw body is "{\"data\": [" with content type "application/json"
    When I send a POST request to "/statistics/v3/operations/get-statistic-ex"
    Then the response status is 400
    And the response body matches the schema "common/ApiResponse"

  # Authentication comes first (2490-2493); the statistics tables document no 401, and
  # the answer is the auth service's OAuth error (reference 394).
  Scenario: Without a bearer token the request is unauthorized
    Given I send no bearer token
    And the JSON body is:
      """
      {"data": {"statistics": [{"name": "{tenant.immediate_statistic}", "objectType": "{tenant.agent_object_type}", "objectId": "{tenant.agent_object_id}"}]}}
      """
    When I send a POST request to "/statistics/v3/operations/get-statistic-ex"
    Then the response status is 401
    And the response body matches the schema "auth/OAuthError"

  # The gateway's API key (reference 400-405, and the x-api-key of the usage sample 2911-2918).
  Scenario: Without an API key the request is forbidden
    Given I send no API key
    And the JSON body is:
      """
      {"data": {"statistics": [{"name": "{tenant.immediate_statistic}", "objectType": "{tenant.agent_object_type}", "objectId": "{tenant.agent_object_id}"}]}}
      """
    When I send a POST request to "/statistics/v3/operations/get-statistic-ex"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"
