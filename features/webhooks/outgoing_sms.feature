@webhooks @mock
Feature: The outgoing SMS webhook: agent replies signed, redelivered, never lost
  The mock posts an agent reply to the channel's webhook URL with
  X-Hub-Signature: sha1=<HMAC-SHA1 of the exact body, keyed by the channel secret> and
  X-B3-TraceId (reference 3873-3901). The third party answers 2xx with the messageId
  within 10 s; a 5xx, a timeout or a refused connection makes the sender redeliver the
  same message (3800-3805), up to the retry policy's limit.

  Background:
    Given a webhook receiver "third party" for a new sms channel "C"

  Scenario: An agent reply arrives signed, with a trace id, in the documented shape
    When the agent replies on channel "C" to "16504661149" with the text "Agent message text"
    Then within 5 seconds the receiver "third party" gets 1 delivery of the outgoing webhook
    And every delivery to "third party" is signed with the channel secret and matches the schema "webhooks/OutgoingSmsMessage"
    And every delivery to "third party" carries the same messageId, trace id and body
    And the mock reports the reply on channel "C" as delivered after 1 attempt

  Scenario: A reply is redelivered after 5xx answers until it is accepted
    Given the receiver "third party" answers the next 2 deliveries with status 500
    When the agent replies on channel "C" to "16504661149" with the text "try again"
    Then within 10 seconds the receiver "third party" gets 3 deliveries of the outgoing webhook
    And every delivery to "third party" is signed with the channel secret and matches the schema "webhooks/OutgoingSmsMessage"
    And every delivery to "third party" carries the same messageId, trace id and body
    And every agent reply reached "third party" exactly once
    And the mock reports the reply on channel "C" as delivered after 3 attempts

  Scenario: Redelivery stops at the retry limit
    Given the delivery policy is:
      | retry_attempts   | 3  |
      | retry_backoff_ms | 50 |
    And the receiver "third party" answers the next 5 deliveries with status 503
    When the agent replies on channel "C" to "16504661149" with the text "never accepted"
    Then within 10 seconds the receiver "third party" gets 3 deliveries of the outgoing webhook
    And the mock reports the reply on channel "C" as failed after 3 attempts

  Scenario: A receiver that stalls past the timeout gets the reply again
    Given the delivery policy is:
      | timeout_ms       | 500 |
      | retry_backoff_ms | 50  |
    And the receiver "third party" stalls the next 1 deliveries for 2 seconds
    When the agent replies on channel "C" to "16504661149" with the text "slow"
    Then within 10 seconds the receiver "third party" gets 2 deliveries of the outgoing webhook
    And every delivery to "third party" carries the same messageId, trace id and body
    And the mock reports the reply on channel "C" as delivered after 2 attempts

  Scenario: A 4xx answer is final
    Given the receiver "third party" answers the next 1 deliveries with status 400
    When the agent replies on channel "C" to "16504661149" with the text "refused"
    Then within 5 seconds the receiver "third party" gets 1 delivery of the outgoing webhook
    And the mock reports the reply on channel "C" as failed after 1 attempt

  Scenario: Many replies with failures on the way are each accepted exactly once
    Given the receiver "third party" answers the next 3 deliveries with status 502
    When the agent replies on channel "C" to "16504661149" with the text "one"
    And the agent replies on channel "C" to "16504661149" with the text "two"
    And the agent replies on channel "C" to "16504661150" with the text "three"
    Then within 10 seconds the receiver "third party" gets 6 deliveries of the outgoing webhook
    And every delivery to "third party" is signed with the channel secret and matches the schema "webhooks/OutgoingSmsMessage"
    And every agent reply reached "third party" exactly once
