@webhooks @messaging @mock
Feature: The email data flow end to end
  Reference 3955-4065: 1. the agent's email goes out through the Email Webhook
  (3954-4009; the reference's sample is malformed; `to` and `messageId` sit inside
  `channel` as in the SMS sample); 3. the third party reports a Failed receipt with
  reason 350 (4020-4051), answered {"status":{"code":0}} (4054-4064). The agent's email
  comes from the mock's control plane (@mock).

  Scenario: Agent email, then a Failed receipt with reason 350
    Given a webhook receiver "mail gateway" for a new email channel "E"
    When the agent replies on channel "E" with an email to "customer@example.com" with the subject "Your request"
    Then within 5 seconds the receiver "mail gateway" gets 1 delivery of the outgoing webhook
    And every delivery to "mail gateway" is signed with the channel secret and matches the schema "webhooks/OutgoingEmailMessage"
    And the mock reports the reply on channel "E" as delivered after 1 attempt
    Given the request header "x-ccid" is "{ccid}"
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "{E}"}, "to": {"id": "customer@example.com"}, "messageId": "{messageId}"},
                     "type": "Receipt", "status": "Failed",
                     "reasons": [{"code": 350, "message": "Message not allowed. Your account has been suspended."}]}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{E}/messages"
    Then the response status is 200
    And the response body matches the schema "messaging/InboundMessageResponse"
    And the envelope status code is 0
    And the mock reports the reply on channel "E" with the status "Failed"
