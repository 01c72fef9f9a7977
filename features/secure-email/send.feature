@secure-email
Feature: Send a consumer's secure email with POST /nexus/v3/securemail
  Reference 2102-2175: "The email is delivered to Genesys as a web form and routed as a
  standard email" (2105). The body is untyped: its table names only data and operationId
  (2112-2117). A request must say something, so every scenario sends
  {"data": {"from": <the consumer>, "subject", "text"}}: the least an email needs, with the
  consumer's address as sender. Each consumer address is a fresh UUID, so concurrent
  scenarios never share a mailbox. The untagged scenarios assert what is documented: the
  securebox rule (3 to 16 of A-Z, a-z, 0-9; 2110), the status codes 200 and 400, the
  genericResponse envelope (2052-2067) and the secureMailId and selfUri of the answer
  (2123-2135), which names the email for GET (2256-2274). How the mock reads the body
  (which fields it demands, the mailbox the email is filed in, the fields it answers,
  status.code and the detail naming the offending field) is @strict.

  Scenario: A consumer's email is accepted and its secureMailId names it
    # Reference 2105, 2120-2135, 2256-2274.
    Given the JSON body is:
      """
      {"operationId": "{uuid:op}",
       "data": {"from": "{uuid:mailbox}@example.com",
                "subject": "Your claim", "text": "Here are my documents."}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/CreateSecureMailResponse"
    And the response header "Content-Type" matches "^application/json"
    And I save the JSON at "/secureMailId" as "id"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the response body matches the schema "secure-email/RetrieveSecureMailResponse"

  @strict
  Scenario: The mock files the consumer's email unread in the consumer's mailbox
    Given the JSON body is:
      """
      {"operationId": "{uuid:op}",
       "data": {"from": "{uuid:mailbox}@example.com", "to": "service@{channel.email}",
                "subject": "Your claim", "text": "Here are my documents."}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/CreateSecureMailResponse"
    And the JSON at "/status/code" equals "SUCCESS"
    And the JSON at "/operationId" equals "{op}"
    And the JSON at "/referenceId" is a non-empty string
    And I save the JSON at "/secureMailId" as "id"
    And the JSON at "/selfUri" is a non-empty string
    Given the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/ListSecureMailResponse"
    And the JSON at "/data/0/id" equals "{id}"
    And the JSON at "/data/0/status" equals "unread"
    And the JSON at "/data/0/from" equals "{mailbox}@example.com"
    And the JSON at "/data/0/to" equals "service@{channel.email}"
    And the JSON at "/data/0/subject" equals "Your claim"
    And the JSON at "/data/0/text" equals "Here are my documents."
    And the JSON at "/data/0/deleted" equals false
    And the JSON at "/data/0/securebox" is absent
    And the JSON at "/data/1" is absent
    Given the query parameter "address" is "service@{channel.email}"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 0

  @strict
  Scenario: The mock keeps an absent subject empty and needs no recipient
    Given the JSON body is:
      """
      {"data": {"from": "{uuid:mailbox}@example.com", "text": "Hello"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 200
    And I save the JSON at "/secureMailId" as "id"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/RetrieveSecureMailResponse"
    And the JSON at "/secureMail/id" equals "{id}"
    And the JSON at "/secureMail/from" equals "{mailbox}@example.com"
    And the JSON at "/secureMail/to" is absent
    And the JSON at "/secureMail/text" equals "Hello"
    And the JSON at "/secureMail/subject" equals ""

  Scenario Outline: A send to a securebox of <length> characters is accepted
    # Reference 2110: 3 to 16 characters of A-Z, a-z and 0-9.
    Given the query parameter "securebox" is "<securebox>"
    And the JSON body is:
      """
      {"data": {"from": "{uuid:mailbox}@example.com", "subject": "Claims", "text": "For claims"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/CreateSecureMailResponse"

    Examples:
      | securebox        | length |
      | Abc              | 3      |
      | Abcdefghijklmn16 | 16     |

  @strict
  Scenario: An email sent to a securebox lands in that securebox only
    Given the query parameter "securebox" is "Claims"
    And the JSON body is:
      """
      {"data": {"from": "{uuid:mailbox}@example.com", "text": "For claims"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 200
    And I save the JSON at "/secureMailId" as "id"
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "securebox" is "Claims"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/ListSecureMailResponse"
    And the JSON at "/data/0/id" equals "{id}"
    And the JSON at "/data/0/securebox" equals "Claims"
    Given the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the JSON at "/data" equals []

  Scenario Outline: A send with a bad securebox (<why>) is refused with 400
    # Reference 2110 (the rule), 2140 (400).
    Given the query parameter "securebox" is "<securebox>"
    And the JSON body is:
      """
      {"data": {"from": "{uuid:mailbox}@example.com", "subject": "Hello", "text": "Hello"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 400
    And the response body matches the schema "secure-email/GenericResponse"

    Examples:
      | securebox         | why             |
      | ab                | 2 characters    |
      | abcdefghijklmnopq | 17 characters   |
      | bad-box!          | a bad character |

  @strict
  Scenario Outline: The mock's 400 for a bad securebox (<why>) names it and sends nothing
    Given the query parameter "securebox" is "<securebox>"
    And the JSON body is:
      """
      {"data": {"from": "{uuid:mailbox}@example.com", "text": "Hello"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 400
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "securebox"
    Given the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 0

    Examples:
      | securebox         | why             |
      | ab                | 2 characters    |
      | bad-box!          | a bad character |

  Scenario Outline: A body that is not a JSON object (<why>) is a 400, not a 500
    # Reference 2112-2117 (the body is an object with data), 2140.
    Given the raw body is "<body>" with content type "application/json"
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 400
    And the response body matches the schema "secure-email/GenericResponse"

    Examples:
      | why      | body      |
      | not JSON | {not json |
      | an array | [1, 2]    |

  @strict
  Scenario Outline: The mock refuses a body it cannot read (<why>) and names the field
    Given the raw body is "<body>" with content type "application/json"
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 400
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "<field>"

    Examples:
      | why            | body      | field |
      | not JSON       | {not json | body  |
      | an array       | [1, 2]    | body  |

  @strict
  Scenario Outline: The mock refuses a send with <why> and names the field
    Given the JSON body is:
      """
      <body>
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 400
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "<field>"

    Examples:
      | why                                | body                                                             | field         |
      | no data object                     | {}                                                               | data          |
      | no sender                          | {"data": {"text": "Hi"}}                                         | data.from     |
      | a sender that is not an address    | {"data": {"from": "nobody", "text": "Hi"}}                       | data.from     |
      | a recipient that is not an address | {"data": {"from": "a@b.c", "to": "x", "text": "Hi"}}             | data.to       |
      | no text                            | {"data": {"from": "a@b.c", "subject": "Empty"}}                  | data.text     |
      | userData that is not an object     | {"data": {"from": "a@b.c", "text": "Hi", "userData": "CaseId=1"}} | data.userData |

  Scenario: A send without an API key is stopped by the gateway
    # Reference 2111 (the key is required) and 400-405 (the gateway's 403).
    Given I send no API key
    And the JSON body is:
      """
      {"data": {"from": "{uuid:mailbox}@example.com", "subject": "Hello", "text": "Hello"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"

  @strict
  Scenario: After the gateway's 403 the mock's mailbox is still empty
    Given I send no API key
    And the JSON body is:
      """
      {"data": {"from": "{uuid:mailbox}@example.com", "text": "Hello"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 403
    Given I send the API key "{api_key}"
    And the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the response status is 200
    And the JSON at "/data/count" equals 0
