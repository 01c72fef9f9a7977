@statistics
Feature: The Bayeux 1.0 long-polling endpoint at /statistics/v3/notifications
  What Genesys's own clients and generic Bayeux clients need (Bayeux 1.0; reference
  3305-3470 documents the six endpoints with 200 and 500 only): message arrays, the id
  echoed with its JSON type, `successful` on every meta reply, advice
  {interval 0, timeout, reconnect retry}, and the STATISTICS_SESSIONID and BAYEUX_BROWSER
  cookies on the handshake reply with Path=/ so REST requests carry them.

  Background:
    Given I am signed in as the agent

  Scenario Outline: A handshake is answered on <path>
    Given the JSON body is:
      """
      [{"channel": "/meta/handshake", "version": "1.0", "minimumVersion": "1.0",
        "supportedConnectionTypes": ["long-polling"], "id": "1"}]
      """
    When I send a POST request to "<path>"
    Then the response status is 200
    And the response header "Content-Type" matches "application/json"
    And the JSON at "/0" matches the schema "statistics/BayeuxHandshakeReply"
    And the JSON at "/0/successful" equals true
    And the JSON at "/0/id" equals "1"
    And the JSON at "/0/advice/reconnect" equals "retry"
    And the JSON at "/0/advice/interval" equals 0
    And the JSON at "/0/clientId" is a non-empty string
    And the response sets the cookie "STATISTICS_SESSIONID" with path "/"
    And the response sets the cookie "BAYEUX_BROWSER" with path "/"

    Examples:
      | path                                     |
      | /statistics/v3/notifications             |
      | /statistics/v3/notifications/            |
      | /statistics/v3/notifications/handshake   |

  Scenario: Connect, subscribe, unsubscribe and disconnect on their own paths, ids echoed with their type
    Given the JSON body is:
      """
      [{"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["long-polling"], "id": 7}]
      """
    When I send a POST request to "/statistics/v3/notifications/handshake"
    Then the JSON at "/0/id" equals 7
    And I save the JSON at "/0/clientId" as "clientId"
    Given the JSON body is:
      """
      [{"channel": "/meta/connect", "clientId": "{clientId}", "connectionType": "long-polling", "advice": {"timeout": 0}, "id": "8"}]
      """
    When I send a POST request to "/statistics/v3/notifications/connect"
    Then the response status is 200
    And the JSON at "/0" matches the schema "statistics/BayeuxConnectReply"
    And the JSON at "/0/successful" equals true
    And the JSON at "/0/id" equals "8"
    Given the JSON body is:
      """
      [{"channel": "/meta/subscribe", "clientId": "{clientId}", "subscription": "/statistics/v3/updates", "id": 9}]
      """
    When I send a POST request to "/statistics/v3/notifications/subscribe"
    Then the JSON at "/0" matches the schema "statistics/BayeuxSubscribeReply"
    And the JSON at "/0/successful" equals true
    And the JSON at "/0/subscription" equals "/statistics/v3/updates"
    And the JSON at "/0/id" equals 9
    Given the JSON body is:
      """
      [{"channel": "/meta/unsubscribe", "clientId": "{clientId}", "subscription": "/statistics/v3/updates", "id": "10"}]
      """
    When I send a POST request to "/statistics/v3/notifications/unsubscribe"
    Then the JSON at "/0" matches the schema "statistics/BayeuxUnsubscribeReply"
    And the JSON at "/0/successful" equals true
    Given the JSON body is:
      """
      [{"channel": "/meta/disconnect", "clientId": "{clientId}", "id": "11"}]
      """
    When I send a POST request to "/statistics/v3/notifications/disconnect"
    Then the JSON at "/0" matches the schema "statistics/BayeuxDisconnectReply"
    And the JSON at "/0/successful" equals true
    Given the JSON body is:
      """
      [{"channel": "/meta/connect", "clientId": "{clientId}", "connectionType": "long-polling", "id": "12"}]
      """
    When I send a POST request to "/statistics/v3/notifications/connect"
    Then the JSON at "/0/successful" equals false
    And the JSON at "/0/error" equals "402::Unknown client"
    And the JSON at "/0/advice/reconnect" equals "handshake"

  Scenario: A subscribe to an unknown channel fails per Bayeux
    Given the JSON body is:
      """
      [{"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["long-polling"], "id": "1"}]
      """
    When I send a POST request to "/statistics/v3/notifications/handshake"
    Then I save the JSON at "/0/clientId" as "clientId"
    Given the JSON body is:
      """
      [{"channel": "/meta/subscribe", "clientId": "{clientId}", "subscription": "/statistics/v3/nothing", "id": "2"}]
      """
    When I send a POST request to "/statistics/v3/notifications/"
    Then the response status is 200
    And the JSON at "/0/successful" equals false
    And the JSON at "/0/error" is a non-empty string
    And the JSON at "/0/subscription" equals "/statistics/v3/nothing"

  Scenario: An unknown clientId is told to handshake again
    Given the JSON body is:
      """
      [{"channel": "/meta/connect", "clientId": "no-such-client", "connectionType": "long-polling", "id": "1"}]
      """
    When I send a POST request to "/statistics/v3/notifications/connect"
    Then the response status is 200
    And the JSON at "/0" matches the schema "statistics/BayeuxConnectReply"
    And the JSON at "/0/successful" equals false
    And the JSON at "/0/error" equals "402::Unknown client"
    And the JSON at "/0/advice/reconnect" equals "handshake"

  Scenario: A body that is not JSON is rejected with a Bayeux error array
    Given the raw body is "[{\"channel\": " with content type "application/json"
    When I send a POST request to "/statistics/v3/notifications"
    Then the response status is 400
    And the JSON at "/0/successful" equals false
    And the JSON at "/0/error" is a non-empty string

  Scenario: CometD requests need the API key
    Given I send no API key
    And the JSON body is:
      """
      [{"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["long-polling"], "id": "1"}]
      """
    When I send a POST request to "/statistics/v3/notifications/handshake"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"

  Scenario: CometD requests need a bearer token
    Given I send no bearer token
    And the JSON body is:
      """
      [{"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["long-polling"], "id": "1"}]
      """
    When I send a POST request to "/statistics/v3/notifications/handshake"
    Then the response status is 401
