@messaging
Feature: POST /nexus/v3/channels/{channelId}/messages takes signed consumer messages
  Reference 4365-4446. The third party signs the exact body bytes with the channel secret:
  X-Hub-Signature: sha1=<hex HMAC-SHA1> (3807, 4372). x-ccid names the contact center and
  is required (4374). The answers: 200 InboundMessageResponse (4385-4396; SMS sample
  3837-3868), 400 Bad Request (4397), 401 Unauthorized for a bad or missing signature
  (4410), 403 Forbidden (4419) for a contact center that is not the channel's, 404
  "Channel not found" (4430), all errors in the ResponseError shape
  {"status":{"code","message"}}. Accepted messages stay in the tenant's history
  (@leaves-state).

  Background:
    Given the request header "x-ccid" is "{ccid}"

  @leaves-state
  Scenario: A signed text message is accepted and gets an id
    # Reference 3837-3868, 4385-4396.
    Given the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "{channel.sms}"}},
                     "type": "Text", "text": "Consumer message text"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 200
    And the response body matches the schema "messaging/InboundMessageResponse"
    And the envelope status code is 0
    And the JSON at "/data/ids/0" exists

  Scenario: A message signed with the wrong secret is rejected
    # Reference 4372, 4410.
    Given the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "{channel.sms}"}}, "type": "Text", "text": "hi"}]}
      """
    And the request is signed with the secret "not-the-channel-secret"
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 401
    And the response body matches the schema "messaging/ResponseError"

  Scenario: A body changed by one byte after signing is rejected
    # Reference 3807 (the signature is over the payload), 4410.
    Given the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "{channel.sms}"}}, "type": "Text", "text": "hello"}]}
      """
    And the request is signed with the channel secret
    And the body is changed by one byte after signing
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 401
    And the response body matches the schema "messaging/ResponseError"

  Scenario: The same JSON re-serialised after signing is rejected
    # Reference 3807: the signature covers the bytes sent, not the JSON data.
    Given the JSON body is:
      """
      {
        "messages": [ { "channel": { "from": { "id": "16504661149" }, "to": { "id": "{channel.sms}" } },
                        "type": "Text", "text": "hello" } ]
      }
      """
    And the request is signed with the channel secret
    And the body is re-serialised after signing
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 401

  Scenario Outline: A <case> is rejected
    # Reference 3807 (sha1= prefix, HMAC-SHA1), 4410.
    Given the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "{channel.sms}"}}, "type": "Text", "text": "hi"}]}
      """
    And the request header "X-Hub-Signature" is "<header>"
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 401
    And the response body matches the schema "messaging/ResponseError"

    Examples:
      | case                               | header                                            |
      | signature without the sha1= prefix | 9577d7a3922516701c2e14ca043145eb2057b803          |
      | sha256 signature                   | sha256=9577d7a3922516701c2e14ca043145eb2057b803  |
      | truncated signature                | sha1=9577d7a3                                     |
      | reference's example signature      | sha1=9577d7a3922516701c2e14ca043145eb2057b803     |

  Scenario: A message without a signature is rejected
    # Reference 4372 (required), 4410.
    Given the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "{channel.sms}"}}, "type": "Text", "text": "hi"}]}
      """
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 401
    And the response body matches the schema "messaging/ResponseError"

  Scenario: An unknown channel is not found
    # Reference 4430.
    Given the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "1234567890"}}, "type": "Text", "text": "hi"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/1234567890/messages"
    Then the response status is 404
    And the response body matches the schema "messaging/ResponseError"

  Scenario: A contact center that is not the channel's is forbidden
    # Reference 4374, 4419.
    Given the request header "x-ccid" is "00000000-0000-4000-8000-000000000000"
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "{channel.sms}"}}, "type": "Text", "text": "hi"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 403
    And the response body matches the schema "messaging/ResponseError"

  Scenario: A signed body that is not JSON is a bad request
    # Reference 4397.
    Given the raw body is "{\"messages\": [" with content type "application/json"
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 400
    And the response body matches the schema "messaging/ResponseError"

  @strict
  Scenario: A message of an unknown type is a bad request
    # The mock's choice: the Message model is not documented (4377-4380); the samples show
    # Text and Receipt, and the mock refuses other types with the documented 400.
    Given the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "{channel.sms}"}}, "type": "Sticker"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 400
    And the response body matches the schema "messaging/ResponseError"

  Scenario: A message without x-ccid is a bad request
    # Reference 4374 (x-ccid required), 4397 (400).
    Given the request header "x-ccid" is not sent
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "{channel.sms}"}}, "type": "Text", "text": "hi"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 400
    And the response body matches the schema "messaging/ResponseError"

  Scenario: A request without the API key is forbidden
    # Every usage sample sends x-api-key (4453); a bad key is 403 Forbidden (intro 398-405).
    Given I send no API key
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "{channel.sms}"}}, "type": "Text", "text": "hi"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 403

  @mock @leaves-state
  Scenario: Every accepted message is held exactly once
    # Reference 4385-4396: one id per accepted message.
    Given the JSON body is:
      """
      {"messages": [
        {"channel": {"from": {"id": "16504661149"}, "to": {"id": "{channel.sms}"}}, "type": "Text", "text": "one"},
        {"channel": {"from": {"id": "16504661149"}, "to": {"id": "{channel.sms}"}}, "type": "Text", "text": "two"},
        {"channel": {"from": {"id": "16504661150"}, "to": {"id": "{channel.sms}"}}, "type": "Text", "text": "three"}
      ]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 200
    And I keep the message ids of the response as "accepted"
    Given the request header "x-ccid" is "{ccid}"
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "{channel.sms}"}}, "type": "Text", "text": "four"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then I keep the message ids of the response as "accepted"
    And the mock holds every message of "accepted" on channel "channel.sms" exactly once
