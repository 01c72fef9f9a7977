@messaging
Feature: Delivery receipts on POST /nexus/v3/channels/{channelId}/messages
  A receipt is a message of type Receipt whose channel.messageId names a message of the
  channel's history (reference 3804: Digital Channels uses the id "to find the message in the
  history and possibly update its status"); status is Delivered, Removed or Failed
  (4066-4075), and Failed may carry reasons with the codes 305, 310, 350, 510, 512, 520,
  530, 500 (4076-4089). Samples: SMS 3902-3926, email 4020-4051. The answer is
  {"status":{"code":0}} (3940-3946, 4054-4064).
  On any target the receipts name a consumer message the scenario posted first, since
  only the mock's control plane can make an agent reply; these scenarios leave that
  message and its receipt in the channel's history (@leaves-state). The @mock scenarios
  send receipts for real agent replies and check that the reply's status changed.

  Background:
    Given the request header "x-ccid" is "{ccid}"
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": "{channel.sms}"}},
                     "type": "Text", "text": "Consumer message a receipt will name"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 200
    And I keep the message ids of the response as "consumer"

  @leaves-state
  Scenario Outline: A <status> receipt is answered with status code 0
    # Reference 4072-4075 (statuses), 3940-3946 (the answer).
    Given the request header "x-ccid" is "{ccid}"
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "{channel.sms}"}, "to": {"id": "16504661149"}, "messageId": "{consumer}"},
                     "type": "Receipt", "status": "<status>"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 200
    And the response body matches the schema "messaging/InboundMessageResponse"
    And the envelope status code is 0

    Examples:
      | status    |
      | Delivered |
      | Removed   |
      | Failed    |

  @leaves-state
  Scenario Outline: A Failed receipt with reason <code> is answered with status code 0
    # Reference 4076-4089 (reason codes), 4029-4051 (a Failed receipt with a reason).
    Given the request header "x-ccid" is "{ccid}"
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "{channel.sms}"}, "to": {"id": "16504661149"}, "messageId": "{consumer}"},
                     "type": "Receipt", "status": "Failed", "reasons": [{"code": <code>, "message": "<meaning>"}]}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 200
    And the response body matches the schema "messaging/InboundMessageResponse"
    And the envelope status code is 0

    Examples:
      | code | meaning                    |
      | 305  | expired                    |
      | 310  | rate limit reached         |
      | 350  | message not allowed        |
      | 510  | unsupported message        |
      | 512  | unknown message            |
      | 520  | invalid message structure  |
      | 530  | invalid destination        |
      | 500  | general error              |

  Scenario: A receipt signed with the wrong secret is rejected
    # Reference 4410 (401), 4372 (signature required).
    Given the request header "x-ccid" is "{ccid}"
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "{channel.sms}"}, "to": {"id": "16504661149"}, "messageId": "{consumer}"},
                     "type": "Receipt", "status": "Delivered"}]}
      """
    And the request is signed with the secret "not-the-channel-secret"
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 401
    And the response body matches the schema "messaging/ResponseError"

  Scenario: A receipt on the email channel signed with the wrong secret is rejected
    # Reference 4020-4051 (the email receipt sample), 4410 (401).
    Given the request header "x-ccid" is "{ccid}"
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "no-reply@{channel.email}"}, "to": {"id": "recipient-1@mail.com"}, "messageId": "{uuid:emailMessage}"},
                     "type": "Receipt", "status": "Failed",
                     "reasons": [{"code": 350, "message": "Message not allowed. Your account has been suspended."}]}]}
      """
    And the request is signed with the secret "not-the-channel-secret"
    When I send a POST request to "/nexus/v3/channels/{channel.email}/messages"
    Then the response status is 401
    And the response body matches the schema "messaging/ResponseError"

  Scenario: A receipt on the email channel without x-ccid is a bad request
    # Reference 4374 (x-ccid required), 4397 (400).
    Given the request header "x-ccid" is not sent
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "no-reply@{channel.email}"}, "to": {"id": "recipient-1@mail.com"}, "messageId": "{uuid:emailMessage}"},
                     "type": "Receipt", "status": "Delivered"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.email}/messages"
    Then the response status is 400
    And the response body matches the schema "messaging/ResponseError"

  @strict
  Scenario: A reason code outside the documented list is a bad request
    # The mock's choice: 4082-4089 list the codes but do not say others are refused.
    Given the request header "x-ccid" is "{ccid}"
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "{channel.sms}"}, "to": {"id": "16504661149"}, "messageId": "{consumer}"},
                     "type": "Receipt", "status": "Failed", "reasons": [{"code": 999}]}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 400
    And the response body matches the schema "messaging/ResponseError"

  @strict
  Scenario: Reasons on a status other than Failed are a bad request
    # The mock's choice: 4077 attaches reasons "if status=Failed" and is silent otherwise.
    Given the request header "x-ccid" is "{ccid}"
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "{channel.sms}"}, "to": {"id": "16504661149"}, "messageId": "{consumer}"},
                     "type": "Receipt", "status": "Delivered", "reasons": [{"code": 500}]}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 400
    And the response body matches the schema "messaging/ResponseError"

  @strict
  Scenario: A receipt for a message nobody sent is not found
    # The mock's choice: 404 is documented only as "Channel not found" (4430); 3804 says
    # the message is looked up "and possibly" updated.
    Given the request header "x-ccid" is "{ccid}"
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "{channel.sms}"}, "to": {"id": "16504661149"}, "messageId": "1613474523265-99"},
                     "type": "Receipt", "status": "Delivered"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/messages"
    Then the response status is 404
    And the response body matches the schema "messaging/ResponseError"

  @mock
  Scenario Outline: A <status> receipt for an agent reply updates the reply
    # Reference 3902-3926 (receipt for the webhook's messageId), 3804.
    Given a webhook receiver "third party" for a new sms channel "C"
    When the agent replies on channel "C" to "16504661149" with the text "Agent message text"
    Then within 5 seconds the receiver "third party" gets 1 delivery of the outgoing webhook
    Given the request header "x-ccid" is "{ccid}"
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "{C}"}, "to": {"id": "16504661149"}, "messageId": "{messageId}"},
                     "type": "Receipt", "status": "<status>"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{C}/messages"
    Then the response status is 200
    And the response body matches the schema "messaging/InboundMessageResponse"
    And the envelope status code is 0
    And the mock reports the reply on channel "C" with the status "<status>"

    Examples:
      | status    |
      | Delivered |
      | Removed   |
      | Failed    |

  @mock
  Scenario Outline: A Failed receipt with reason <code> for an agent reply marks it failed
    # Reference 4076-4089.
    Given a webhook receiver "third party" for a new sms channel "C"
    When the agent replies on channel "C" to "16504661149" with the text "Agent message text"
    Then within 5 seconds the receiver "third party" gets 1 delivery of the outgoing webhook
    Given the request header "x-ccid" is "{ccid}"
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "{C}"}, "to": {"id": "16504661149"}, "messageId": "{messageId}"},
                     "type": "Receipt", "status": "Failed", "reasons": [{"code": <code>, "message": "<meaning>"}]}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{C}/messages"
    Then the response status is 200
    And the mock reports the reply on channel "C" with the status "Failed"

    Examples:
      | code | meaning                    |
      | 305  | expired                    |
      | 350  | message not allowed        |
      | 500  | general error              |
