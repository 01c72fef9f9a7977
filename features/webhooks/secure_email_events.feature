@webhooks @receiver @serial
Feature: A secure email is reported STARTED on the Interactions Webhook
  Reference 2105: a secure email "is delivered to Genesys as a web form and routed as a
  standard email", that is, it becomes a new email interaction. The Interactions Webhook
  reports chat and secure email interactions (1894) as STARTED when one "is created in
  Universal Contact Server and submitted into the interaction queue" (1895), in a POST
  (1905) of an EventsPayload (1940-1958) signed with X-Hub-Signature, sha1= and the
  HMAC-SHA1 of the body keyed by the app secret (1907). The webhook URL is configured
  per deployment (1901): against a deployment the run's receiver listens where that URL
  leads (--webhook-listen, --webhook-public-url), and the scenario runs alone. A
  deployment also reports interactions the run did not start, and the interaction id it
  gives is its own, so the event is matched by its type and media type only. How long
  the event takes is the deployment's: [target.tenant] webhook_wait_seconds.

  Scenario: A secure email starts an email interaction, reported STARTED and signed
    # Reference 2105, 1894-1895, 1905-1907, 1940-1958.
    Given a webhook receiver "listener" for the interactions webhook
    And the JSON body is:
      """
      {"operationId": "{uuid:op}",
       "data": {"from": "{uuid:mailbox}@example.com",
                "subject": "Interaction event check", "text": "Please call me back."}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 200
    And within {tenant.webhook_wait_seconds} seconds the receiver "listener" gets a STARTED event for an email interaction of the interactions webhook
    And every delivery to "listener" is signed with the channel secret and matches the schema "webhooks/EventsPayload"
