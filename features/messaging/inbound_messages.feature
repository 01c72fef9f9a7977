@messaging
Feature: POST /nexus/v3/channels/{channelId}/messages takes signed consumer messages
  The third party signs the exact body bytes with the channel secret:
  X-Hub-Signature: sha1=<hex HMAC-SHA1> (reference 3807, 4107). x-ccid names the contact
  center (4108). A bad or missing signature is 401 (documented for this endpoint), an
  unknown channel 404, a contact center that is not the channel's 403, a malformed body
  400, all in the ResponseError shape {"status":{"code","message"}} (4139-4151).

  Background:
    Given the request header "x-ccid" is "{ccid}"

  Scenario: A signed text message is accepted and gets an id
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
    Given the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "{channel.sms}"}}, "type": "Text", "text": "hi"}]}
      """
    And the request is signed with the secret "not-the-channel-secret"
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 401
    And the response body matches the schema "messaging/ResponseError"

  Scenario: A body changed by one byte after signing is rejected
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
    Given the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "{channel.sms}"}}, "type": "Text", "text": "hi"}]}
      """
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 401
    And the response body matches the schema "messaging/ResponseError"

  Scenario: An unknown channel is not found
    Given the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "1234567890"}}, "type": "Text", "text": "hi"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/1234567890/messages"
    Then the response status is 404
    And the response body matches the schema "messaging/ResponseError"

  Scenario: A contact center that is not the channel's is forbidden
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
    Given the raw body is "{\"messages\": [" with content type "application/json"
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 400
    And the response body matches the schema "messaging/ResponseError"

  Scenario: A message of an unknown type is a bad request
    Given the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "{channel.sms}"}}, "type": "Sticker"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 400
    And the response body matches the schema "messaging/ResponseError"

  Scenario: A request without the API key is forbidden
    Given I send no API key
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "{channel.sms}"}}, "type": "Text", "text": "hi"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 403

  @mock
  Scenario: Every accepted message is held exactly once
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
