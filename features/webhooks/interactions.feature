@webhooks @mock @serial
Feature: The Interactions webhook reports STARTED and FINISHED interactions
  Reference 1886-2010: an EventsPayload {operationId, data{entities: [{event, entity{id,
  mediaType, interactionSubtype, selfUri}}]}} (1940-1958) with event STARTED or FINISHED
  (1896-1897, 1952), mediaType chat or email (1945-1947) and an interaction subtype
  (1949), signed with X-Hub-Signature (1907, 1938) and carrying X-B3-TraceId (1939). The
  receiver must answer 200 OK; anything else, or no answer, makes Digital Channels
  redeliver (1905), up to the configured retry attempts. Unlike the Third-Party Messaging
  webhook (3803-3805), a 4xx or another 2xx is retried too.
  The events come from the mock's control plane, and the webhook URL is one per
  deployment, so these scenarios are @mock and run alone.

  Scenario Outline: A <event> <media> interaction event arrives signed, as emitted
    Given a webhook receiver "listener" for the interactions webhook
    When the mock emits a <event> <media> interaction event of subtype "<subtype>"
    Then within 5 seconds the receiver "listener" gets a <event> event of the interactions webhook

    Examples:
      | event    | media | subtype     |
      | STARTED  | chat  | InboundNew  |
      | FINISHED | chat  | WhatsApp    |
      | STARTED  | email | InboundNew  |
      | FINISHED | email | Outbound    |

  Scenario: An event is redelivered until the receiver answers 200 OK
    Given the delivery policy is:
      | retry_backoff_ms | 20 |
    And a webhook receiver "listener" for the interactions webhook
    And the receiver "listener" answers the next 1 deliveries with status 400
    And the receiver "listener" answers the next 1 deliveries with status 202
    When the mock emits a STARTED chat interaction event
    Then within 10 seconds the receiver "listener" gets 3 deliveries of the interactions webhook
    And every delivery to "listener" is signed with the channel secret and matches the schema "webhooks/EventsPayload"
    And every delivery to "listener" carries the same operationId, trace id and body
    And the mock reports the interaction event as delivered after 3 attempts

  Scenario Outline: An answer of <status> makes the event come again
    Given the delivery policy is:
      | retry_backoff_ms | 20 |
    And a webhook receiver "listener" for the interactions webhook
    And the receiver "listener" answers the next 1 deliveries with status <status>
    When the mock emits a FINISHED email interaction event
    Then within 10 seconds the receiver "listener" gets 2 deliveries of the interactions webhook
    And every delivery to "listener" carries the same operationId, trace id and body
    And the mock reports the interaction event as delivered after 2 attempts

    Examples:
      | status |
      | 201    |
      | 404    |
      | 500    |

  Scenario: Redelivery of an event stops at the retry limit
    Given the delivery policy is:
      | retry_attempts   | 3  |
      | retry_backoff_ms | 20 |
    And a webhook receiver "listener" for the interactions webhook
    And the receiver "listener" answers the next 5 deliveries with status 400
    When the mock emits a STARTED email interaction event
    Then within 10 seconds the receiver "listener" gets 3 deliveries of the interactions webhook
    And the mock reports the interaction event as failed after 3 attempts

  Scenario: A receiver that stalls past the timeout gets the event again
    Given the delivery policy is:
      | timeout_ms       | 200 |
      | retry_backoff_ms | 20  |
    And a webhook receiver "listener" for the interactions webhook
    And the receiver "listener" stalls the next 1 deliveries for 2 seconds
    When the mock emits a STARTED chat interaction event
    Then within 10 seconds the receiver "listener" gets 2 deliveries of the interactions webhook
    And every delivery to "listener" carries the same operationId, trace id and body
    And the mock reports the interaction event as delivered after 2 attempts
