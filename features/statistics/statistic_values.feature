@statistics
Feature: GET /statistics/v3/statistic-values/{statisticName} peeks one statistic
  Reference 2560-2590 (sample) and 2921-3040 (parameters and responses): objectType and
  objectId are mandatory query parameters (2929-2930), statisticName is a pre-configured
  statistic (2931), so names and objects come from the tenant profile. The 200 sample at
  2571-2585 shows data.statistic with only value and timestamp; 400 and 404 are
  documented (2957, 2973).

  Background:
    Given I am signed in as the agent

  # Reference 2566-2585, 2936-2956.
  Scenario: The value of one statistic of one agent
    Given the query parameter "objectType" is "{tenant.agent_object_type}"
    And the query parameter "objectId" is "{tenant.other_agent_object_id}"
    When I send a GET request to "/statistics/v3/statistic-values/{tenant.periodic_statistic}"
    Then the response status is 200
    And the response body matches the schema "statistics/PeekedStatisticResponse"
    And the envelope status code is 0
    And the JSON at "/data/statistic/value" is an object
    And the JSON at "/data/statistic/timestamp" is an integer

  # Both query parameters are required (2929-2930); 400 Bad Request (2957); every error
  # status carries a message (253-255).
  Scenario Outline: A missing <missing> is a bad request
    Given the query parameter "<present>" is "<value>"
    When I send a GET request to "/statistics/v3/statistic-values/{tenant.immediate_statistic}"
    Then the response status is 400
    And the response body matches the schema "common/ApiResponse"
    And the envelope has an error message

    Examples:
      | missing    | present    | value                            |
      | objectId   | objectType | {tenant.agent_object_type}       |
      | objectType | objectId   | {tenant.other_agent_object_id}   |

  # 404 NotFound is documented (2973); a statistic that is not pre-configured (2931).
  Scenario: An unknown statistic is not found
    Given the query parameter "objectType" is "{tenant.agent_object_type}"
    And the query parameter "objectId" is "{tenant.other_agent_object_id}"
    When I send a GET request to "/statistics/v3/statistic-values/NoSuchStatistic-{uuid:nosuch}"
    Then the response status is 404
    And the response body matches the schema "common/ApiResponse"

  # Authentication comes first (2490-2493); the answer is the auth service's (reference 394).
  Scenario: Without a bearer token the request is unauthorized
    Given I send no bearer token
    And the query parameter "objectType" is "{tenant.agent_object_type}"
    And the query parameter "objectId" is "{tenant.other_agent_object_id}"
    When I send a GET request to "/statistics/v3/statistic-values/{tenant.immediate_statistic}"
    Then the response status is 401
