@webhooks @messaging @mock
Feature: The SMS data flow end to end
  Reference 3820-3950: 1. the consumer's message comes in through the Message API
  (3826-3852, answer 3856-3868); 3. the agent's answer goes out through the Message
  Webhook (3870-3892, answer 3896-3901); 5. the third party reports delivery with a
  Receipt (3902-3926, answer 3940-3946). The agent's answer comes from the mock's
  control plane (@mock).

  Scenario: Consumer message, agent answer, delivery receipt
    Given a webhook receiver "third party" for a new sms channel "C"
    And the request header "x-ccid" is "{ccid}"
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "{C}"}}, "type": "Text", "text": "Consumer message text"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{C}/messages"
    Then the response status is 200
    And I keep the message ids of the response as "consumer"
    And the mock holds every message of "consumer" on channel "C" exactly once
    When the agent replies on channel "C" to "16504661149" with the text "Agent message text"
    Then within 5 seconds the receiver "third party" gets 1 delivery of the outgoing webhook
    And every delivery to "third party" is signed with the channel secret and matches the schema "webhooks/OutgoingSmsMessage"
    Given the request header "x-ccid" is "{ccid}"
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "{C}"}, "to": {"id": "16504661149"}, "messageId": "{messageId}"},
                     "type": "Receipt", "status": "Delivered"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{C}/messages"
    Then the response status is 200
    And the response body matches the schema "messaging/InboundMessageResponse"
    And the envelope status code is 0
    And the mock reports the reply on channel "C" with the status "Delivered"
