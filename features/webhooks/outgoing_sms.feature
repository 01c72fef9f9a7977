@webhooks @mock
Feature: The outgoing SMS webhook: agent replies signed, redelivered, never lost
  Reference 4468-4512 and 3796-3807. The mock posts an agent reply to the channel's
  webhook URL with X-Hub-Signature: sha1=<HMAC-SHA1 of the exact body, keyed by the
  channel secret> (3807, 4475) and X-B3-TraceId (4476; sample 3873-3892). The third party
  answers within 10 s with a 2xx (3802-3803) and the messageId (3804, 4486-4500); a 5xx
  (3805, 4501), a timeout or a refused connection makes the sender redeliver the same
  message, up to the configured retry attempts (3805). The reference names only 2xx and
  5xx: that a 4xx is final is the mock's choice (@strict). The replies come from the
  mock's control plane (@mock).

  Background:
    Given a webhook receiver "third party" for a new sms channel "C"

  Scenario: An agent reply arrives signed, with a trace id, in the documented shape
    # Reference 3873-3892, 4475-4476, 4486-4500.
    When the agent replies on channel "C" to "16504661149" with the text "Agent message text"
    Then within 5 seconds the receiver "third party" gets 1 delivery of the outgoing webhook
    And every delivery to "third party" is signed with the channel secret and matches the schema "webhooks/OutgoingSmsMessage"
    And every delivery to "third party" carries the same messageId, trace id and body
    And the mock reports the reply on channel "C" as delivered after 1 attempt

  Scenario: A reply is redelivered after 5xx answers until it is accepted
    # Reference 3805, 4501.
    Given the receiver "third party" answers the next 2 deliveries with status 500
    When the agent replies on channel "C" to "16504661149" with the text "try again"
    Then within 10 seconds the receiver "third party" gets 3 deliveries of the outgoing webhook
    And every delivery to "third party" is signed with the channel secret and matches the schema "webhooks/OutgoingSmsMessage"
    And every delivery to "third party" carries the same messageId, trace id and body
    And every agent reply reached "third party" exactly once
    And the mock reports the reply on channel "C" as delivered after 3 attempts

  Scenario: Redelivery stops at the retry limit
    # Reference 3805 ("according to the configuration for retry timeout and retry attempts").
    Given the delivery policy is:
      | retry_attempts   | 3  |
      | retry_backoff_ms | 50 |
    And the receiver "third party" answers the next 5 deliveries with status 503
    When the agent replies on channel "C" to "16504661149" with the text "never accepted"
    Then within 10 seconds the receiver "third party" gets 3 deliveries of the outgoing webhook
    And the mock reports the reply on channel "C" as failed after 3 attempts

  Scenario: A receiver that stalls past the timeout gets the reply again
    # Reference 3802 (respond within 10 seconds), 3805.
    Given the delivery policy is:
      | timeout_ms       | 500 |
      | retry_backoff_ms | 50  |
    And the receiver "third party" stalls the next 1 deliveries for 2 seconds
    When the agent replies on channel "C" to "16504661149" with the text "slow"
    Then within 10 seconds the receiver "third party" gets 2 deliveries of the outgoing webhook
    And every delivery to "third party" carries the same messageId, trace id and body
    And the mock reports the reply on channel "C" as delivered after 2 attempts

  @strict
  Scenario: A 4xx answer is final
    # The mock's choice: 3803-3805 name only 2xx (processed) and 5xx (redeliver).
    Given the receiver "third party" answers the next 1 deliveries with status 400
    When the agent replies on channel "C" to "16504661149" with the text "refused"
    Then within 5 seconds the receiver "third party" gets 1 delivery of the outgoing webhook
    And the mock reports the reply on channel "C" as failed after 1 attempt

  Scenario: A 201 answer counts as processed
    # Reference 3803: "The response for processed webhooks must have a 2XX HTTP code."
    Given the receiver "third party" answers the next 1 deliveries with status 201
    When the agent replies on channel "C" to "16504661149" with the text "accepted later"
    Then within 5 seconds the receiver "third party" gets 1 delivery of the outgoing webhook
    And the mock reports the reply on channel "C" as delivered after 1 attempt

  Scenario: Many replies with failures on the way are each accepted exactly once
    # Reference 3804-3805: redelivered until processed, each message once.
    Given the receiver "third party" answers the next 3 deliveries with status 502
    When the agent replies on channel "C" to "16504661149" with the text "one"
    And the agent replies on channel "C" to "16504661149" with the text "two"
    And the agent replies on channel "C" to "16504661150" with the text "three"
    Then within 10 seconds the receiver "third party" gets 6 deliveries of the outgoing webhook
    And every delivery to "third party" is signed with the channel secret and matches the schema "webhooks/OutgoingSmsMessage"
    And every agent reply reached "third party" exactly once
