@secure-email
Feature: List and count a mailbox with GET /nexus/v3/securemail and /securemail/count
  A mailbox is a consumer address (required, 2035 and 2183) plus an optional securebox
  (2039-2042). status is unread, read or all (default all, 2036, 2184); the list pages
  with index (default 0) and count (default 10), oldest email first (2037-2038). Every
  broken rule is a 400 genericResponse with status.code INVALID_PARAMETER and the
  parameter's name in status.detail.

  Background:
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{uuid:mailbox}@example.com", "subject": "first", "text": "1"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then I save the JSON at "/secureMailId" as "first"
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{mailbox}@example.com", "subject": "second", "text": "2"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then I save the JSON at "/secureMailId" as "second"
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{mailbox}@example.com", "subject": "third", "text": "3"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then I save the JSON at "/secureMailId" as "third"
    Given the query parameter "read" is "true"
    When I send a GET request to "/nexus/v3/securemail/{second}"
    Then the response status is 200

  Scenario: Without status the list holds every email, oldest first
    Given the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/ListSecureMailResponse"
    And the JSON at "/status/code" equals "SUCCESS"
    And the JSON at "/data/0/id" equals "{first}"
    And the JSON at "/data/1/id" equals "{second}"
    And the JSON at "/data/2/id" equals "{third}"
    And the JSON at "/data/3" is absent

  Scenario: status=unread lists only the unread emails
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "status" is "unread"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/ListSecureMailResponse"
    And the JSON at "/data/0/id" equals "{first}"
    And the JSON at "/data/0/status" equals "unread"
    And the JSON at "/data/1/id" equals "{third}"
    And the JSON at "/data/2" is absent

  Scenario: status=read lists only the read emails
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "status" is "read"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/ListSecureMailResponse"
    And the JSON at "/data/0/id" equals "{second}"
    And the JSON at "/data/0/status" equals "read"
    And the JSON at "/data/1" is absent

  Scenario: status=all lists read and unread emails
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "status" is "all"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the JSON at "/data/0/status" equals "unread"
    And the JSON at "/data/1/status" equals "read"
    And the JSON at "/data/2/status" equals "unread"
    And the JSON at "/data/3" is absent

  Scenario: index and count select one page
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "index" is "1"
    And the query parameter "count" is "1"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/ListSecureMailResponse"
    And the JSON at "/data/0/id" equals "{second}"
    And the JSON at "/data/1" is absent

  Scenario: An index past the end gives an empty page
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "index" is "3"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/ListSecureMailResponse"
    And the JSON at "/data" equals []

  Scenario: count defaults to 10
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{uuid:big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then I save the JSON at "/secureMailId" as "m1"
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{big}@example.com", "text": "eleventh"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then I save the JSON at "/secureMailId" as "m11"
    Given the query parameter "address" is "{big}@example.com"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the JSON at "/data/0/id" equals "{m1}"
    And the JSON at "/data/9/text" equals "x"
    And the JSON at "/data/10" is absent
    Given the query parameter "address" is "{big}@example.com"
    And the query parameter "index" is "10"
    When I send a GET request to "/nexus/v3/securemail"
    Then the JSON at "/data/0/id" equals "{m11}"
    And the JSON at "/data/1" is absent

  Scenario: The count follows the status filter
    Given the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the response status is 200
    And the response body matches the schema "secure-email/CountSecureMailResponse"
    And the JSON at "/status/code" equals "SUCCESS"
    And the JSON at "/data/count" equals 3
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "status" is "unread"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 2
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "status" is "read"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 1
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "status" is "all"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 3

  Scenario: Another address has a mailbox of its own
    Given the query parameter "address" is "{uuid:other}@example.com"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/ListSecureMailResponse"
    And the JSON at "/data" equals []
    Given the query parameter "address" is "{other}@example.com"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 0

  Scenario: A securebox is a mailbox of its own, apart from the address without one
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "securebox" is "Billing"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the response status is 200
    And the JSON at "/data/count" equals 0
    Given the query parameter "securebox" is "Billing"
    And the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{mailbox}@example.com", "text": "billing"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then I save the JSON at "/secureMailId" as "billing"
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "securebox" is "Billing"
    When I send a GET request to "/nexus/v3/securemail"
    Then the JSON at "/data/0/id" equals "{billing}"
    And the JSON at "/data/0/securebox" equals "Billing"
    And the JSON at "/data/1" is absent
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "securebox" is "Claims"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 0
    Given the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 3

  Scenario Outline: <endpoint> without address is refused with INVALID_PARAMETER
    When I send a GET request to "<endpoint>"
    Then the response status is 400
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "address"

    Examples:
      | endpoint                       |
      | /nexus/v3/securemail           |
      | /nexus/v3/securemail/count     |

  Scenario Outline: <endpoint> with <parameter>=<value> is refused with INVALID_PARAMETER
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "<parameter>" is "<value>"
    When I send a GET request to "<endpoint>"
    Then the response status is 400
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "<parameter>"

    Examples:
      | endpoint                   | parameter | value             |
      | /nexus/v3/securemail       | status    | new               |
      | /nexus/v3/securemail/count | status    | unseen            |
      | /nexus/v3/securemail       | index     | -1                |
      | /nexus/v3/securemail       | index     | first             |
      | /nexus/v3/securemail       | count     | 2.5               |
      | /nexus/v3/securemail       | securebox | ab                |
      | /nexus/v3/securemail       | securebox | abcdefghijklmnopq |
      | /nexus/v3/securemail       | securebox | bad-box!          |
      | /nexus/v3/securemail/count | securebox | ab                |
      | /nexus/v3/securemail/count | securebox | abcdefghijklmnopq |
      | /nexus/v3/securemail/count | securebox | bad-box!          |

  Scenario Outline: A securebox of <length> characters is accepted
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "securebox" is "<securebox>"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/ListSecureMailResponse"
    And the JSON at "/data" equals []

    Examples:
      | securebox        | length |
      | abc              | 3      |
      | Abcdefghijklmn16 | 16     |

  Scenario Outline: <endpoint> without an API key is stopped by the gateway
    Given I send no API key
    And the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "<endpoint>"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"

    Examples:
      | endpoint                   |
      | /nexus/v3/securemail       |
      | /nexus/v3/securemail/count |
