@secure-email
Feature: Send a secure email with POST /nexus/v3/securemail
  The body is {"operationId"?, "data": {"from", "to", "subject"?, "text", "userData"?}}
  (the reference leaves it untyped, 2112-2117; see secure-email/SecureMailRequest). The
  email lands unread in the mailbox of "to" and the optional securebox (3 to 16 of A-Z,
  a-z, 0-9; 2110). The answer carries secureMailId and selfUri (2123-2135). Every
  address is a fresh UUID, so concurrent scenarios never share a mailbox.

  Scenario: An email sent without a securebox is unread in the recipient's mailbox
    Given the JSON body is:
      """
      {"operationId": "{uuid:op}",
       "data": {"from": "agent@company.com", "to": "{uuid:mailbox}@example.com",
                "subject": "Your claim", "text": "We have received your documents."}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/CreateSecureMailResponse"
    And the JSON at "/status/code" equals "SUCCESS"
    And the JSON at "/operationId" equals "{op}"
    And the JSON at "/referenceId" is a non-empty string
    And I save the JSON at "/secureMailId" as "id"
    And the response header "Content-Type" matches "^application/json"
    And the JSON at "/selfUri" is a non-empty string
    Given the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/ListSecureMailResponse"
    And the JSON at "/data/0/id" equals "{id}"
    And the JSON at "/data/0/status" equals "unread"
    And the JSON at "/data/0/from" equals "agent@company.com"
    And the JSON at "/data/0/to" equals "{mailbox}@example.com"
    And the JSON at "/data/0/subject" equals "Your claim"
    And the JSON at "/data/0/text" equals "We have received your documents."
    And the JSON at "/data/0/deleted" equals false
    And the JSON at "/data/0/securebox" is absent
    And the JSON at "/data/1" is absent

  Scenario: The new secureMailId names the email, which keeps an absent subject empty
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{uuid:mailbox}@example.com", "text": "Hello"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/CreateSecureMailResponse"
    And I save the JSON at "/secureMailId" as "id"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the response body matches the schema "secure-email/RetrieveSecureMailResponse"
    And the JSON at "/secureMail/id" equals "{id}"
    And the JSON at "/secureMail/to" equals "{mailbox}@example.com"
    And the JSON at "/secureMail/text" equals "Hello"
    And the JSON at "/secureMail/subject" equals ""

  Scenario: An email sent to a securebox lands in that securebox only
    Given the query parameter "securebox" is "Claims"
    And the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{uuid:mailbox}@example.com", "text": "For claims"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/CreateSecureMailResponse"
    And I save the JSON at "/secureMailId" as "id"
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "securebox" is "Claims"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/ListSecureMailResponse"
    And the JSON at "/data/0/id" equals "{id}"
    And the JSON at "/data/0/securebox" equals "Claims"
    Given the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the JSON at "/data" equals []

  Scenario Outline: A send with a bad securebox (<why>) is refused with INVALID_PARAMETER
    Given the query parameter "securebox" is "<securebox>"
    And the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{uuid:mailbox}@example.com", "text": "Hello"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 400
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "securebox"
    Given the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 0

    Examples:
      | securebox         | why             |
      | ab                | 2 characters    |
      | abcdefghijklmnopq | 17 characters   |
      | bad-box!          | a bad character |

  Scenario Outline: A body that is not a JSON object with data (<why>) is a 400, not a 500
    Given the raw body is "<body>" with content type "application/json"
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 400
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "<field>"

    Examples:
      | why             | body      | field |
      | not JSON        | {not json | body  |
      | an array        | [1, 2]    | body  |
      | no data object  | {}        | data  |

  Scenario: A recipient that is not an email address is refused
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{uuid:mailbox}", "text": "Hello"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 400
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "data.to"

  Scenario: A send without text is refused
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{uuid:mailbox}@example.com", "subject": "Empty"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 400
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "data.text"
    Given the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 0

  Scenario: userData that is not an object is refused
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{uuid:mailbox}@example.com", "text": "Hi", "userData": "CaseId=1"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 400
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "data.userData"

  Scenario: A send without an API key is stopped by the gateway
    Given I send no API key
    And the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{uuid:mailbox}@example.com", "text": "Hello"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"
    Given I send the API key "{api_key}"
    And the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the response status is 200
    And the JSON at "/data/count" equals 0
