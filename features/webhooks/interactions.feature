@webhooks @mock @serial
Feature: The Interactions webhook reports STARTED and FINISHED interactions
  Reference 1885-2010: EventsPayload with event STARTED or FINISHED, mediaType chat or
  email and an interaction subtype, signed like the messaging webhook (1907, 1938).
  The interactions webhook URL is one per deployment, so these scenarios run alone.

  Scenario Outline: A <event> <media> interaction event arrives signed and well-formed
    Given a webhook receiver "listener" for the interactions webhook
    When the mock emits a <event> <media> interaction event
    Then within 5 seconds the receiver "listener" gets a <event> event of the interactions webhook

    Examples:
      | event    | media |
      | STARTED  | chat  |
      | FINISHED | chat  |
      | STARTED  | email |
      | FINISHED | email |
