@messaging @mock
Feature: Delivery receipts for agent replies
  A receipt is a message of type Receipt whose channel.messageId names an agent reply;
  status is Delivered, Removed or Failed, and Failed may carry reasons with the codes 305,
  310, 350, 510, 512, 520, 530, 500 (reference 4066-4089). The answer is
  {"status":{"code":0}} (3942-3946). Agent replies come from the mock's control plane.

  Background:
    Given a webhook receiver "third party" for a new sms channel "C"
    When the agent replies on channel "C" to "16504661149" with the text "Agent message text"
    Then within 5 seconds the receiver "third party" gets 1 delivery of the outgoing webhook

  Scenario Outline: A <status> receipt updates the reply
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

  Scenario Outline: A Failed receipt with reason <code> is accepted
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
      | 310  | rate limit reached         |
      | 350  | message not allowed        |
      | 510  | unsupported message        |
      | 512  | unknown message            |
      | 520  | invalid message structure  |
      | 530  | invalid destination        |
      | 500  | general error              |

  Scenario: A reason code outside the documented list is a bad request
    Given the request header "x-ccid" is "{ccid}"
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "{C}"}, "to": {"id": "16504661149"}, "messageId": "{messageId}"},
                     "type": "Receipt", "status": "Failed", "reasons": [{"code": 999}]}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{C}/messages"
    Then the response status is 400
    And the response body matches the schema "messaging/ResponseError"

  Scenario: A receipt for a message nobody sent is not found
    Given the request header "x-ccid" is "{ccid}"
    And the JSON body is:
      """
      {"messages": [{"channel": {"from": {"id": "{C}"}, "to": {"id": "16504661149"}, "messageId": "1613474523265-99"},
                     "type": "Receipt", "status": "Delivered"}]}
      """
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{C}/messages"
    Then the response status is 404
