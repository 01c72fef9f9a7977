@secure-email
Feature: List and count a consumer's mailbox with GET /nexus/v3/securemail and /securemail/count
  Reference 2027-2100 and 2176-2251. A mailbox is "the email address of the consumer"
  (address, required, 2035 and 2183) plus an optional securebox (3 to 16 of A-Z, a-z,
  0-9; 2039-2042). status is unread, read or all (default all, 2036, 2184); the list pages
  with index (integer, default 0) and count (integer, default 10) (2037-2038). The answers
  are listSecureMailResponse with data, an array of the undefined SecureMail (2048-2049),
  and countSecureMailResponse with data.count, an integer (2194-2205); a broken parameter
  is a 400 genericResponse (2058, 2206). The untagged scenarios assert those rules on the
  profile's mailbox ({tenant.mailbox_address}) and on fresh addresses. Whether an email a
  consumer posts shows up in that consumer's list at once, in which order, with which
  fields, and what an unknown address answers (200 with an empty list, or the 404 of 2068
  and 2216) the reference does not say: those scenarios, and status.code and the
  detail naming the parameter, are @strict.

  Background:
    Given the JSON body is:
      """
      {"data": {"from": "{uuid:mailbox}@example.com", "subject": "first", "text": "1"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 200
    And I save the JSON at "/secureMailId" as "first"
    Given the JSON body is:
      """
      {"data": {"from": "{mailbox}@example.com", "subject": "second", "text": "2"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 200
    And I save the JSON at "/secureMailId" as "second"
    Given the JSON body is:
      """
      {"data": {"from": "{mailbox}@example.com", "subject": "third", "text": "3"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 200
    And I save the JSON at "/secureMailId" as "third"
    Given the query parameter "read" is "true"
    When I send a GET request to "/nexus/v3/securemail/{second}"
    Then the response status is 200

  Scenario: The profile's mailbox is listed and counted
    # Reference 2027-2049, 2176-2205.
    Given the query parameter "address" is "{tenant.mailbox_address}"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/ListSecureMailResponse"
    Given the query parameter "address" is "{tenant.mailbox_address}"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the response status is 200
    And the response body matches the schema "secure-email/CountSecureMailResponse"

  Scenario Outline: The profile's mailbox is listed with status=<status>
    # Reference 2036, 2184: unread, read or all.
    Given the query parameter "address" is "{tenant.mailbox_address}"
    And the query parameter "status" is "<status>"
    When I send a GET request to "<endpoint>"
    Then the response status is 200
    And the response body matches the schema "<schema>"

    Examples:
      | status | endpoint                   | schema                                 |
      | unread | /nexus/v3/securemail       | secure-email/ListSecureMailResponse    |
      | read   | /nexus/v3/securemail       | secure-email/ListSecureMailResponse    |
      | all    | /nexus/v3/securemail/count | secure-email/CountSecureMailResponse   |

  Scenario: One page of the profile's mailbox holds at most count emails
    # Reference 2037-2038.
    Given the query parameter "address" is "{tenant.mailbox_address}"
    And the query parameter "index" is "0"
    And the query parameter "count" is "1"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/ListSecureMailResponse"
    And the JSON at "/data/1" is absent

  @strict
  Scenario: Without status the list holds every email, oldest first
    Given the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/ListSecureMailResponse"
    And the JSON at "/status/code" equals "SUCCESS"
    And the JSON at "/data/0/id" equals "{first}"
    And the JSON at "/data/1/id" equals "{second}"
    And the JSON at "/data/2/id" equals "{third}"
    And the JSON at "/data/3" is absent

  @strict
  Scenario: status=unread lists only the unread emails
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "status" is "unread"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/ListSecureMailResponse"
    And the JSON at "/data/0/id" equals "{first}"
    And the JSON at "/data/0/status" equals "unread"
    And the JSON at "/data/1/id" equals "{third}"
    And the JSON at "/data/2" is absent

  @strict
  Scenario: status=read lists only the read emails
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "status" is "read"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/ListSecureMailResponse"
    And the JSON at "/data/0/id" equals "{second}"
    And the JSON at "/data/0/status" equals "read"
    And the JSON at "/data/1" is absent

  @strict
  Scenario: status=all lists read and unread emails
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "status" is "all"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the JSON at "/data/0/status" equals "unread"
    And the JSON at "/data/1/status" equals "read"
    And the JSON at "/data/2/status" equals "unread"
    And the JSON at "/data/3" is absent

  @strict
  Scenario: index and count select one page
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "index" is "1"
    And the query parameter "count" is "1"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/ListSecureMailResponse"
    And the JSON at "/data/0/id" equals "{second}"
    And the JSON at "/data/1" is absent

  @strict
  Scenario: An index past the end gives an empty page
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "index" is "3"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/ListSecureMailResponse"
    And the JSON at "/data" equals []

  @strict
  Scenario: count defaults to 10
    Given the JSON body is:
      """
      {"data": {"from": "{uuid:big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then I save the JSON at "/secureMailId" as "m1"
    Given the JSON body is:
      """
      {"data": {"from": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "{big}@example.com", "text": "x"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Given the JSON body is:
      """
      {"data": {"from": "{big}@example.com", "text": "eleventh"}}
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

  @strict
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

  @strict
  Scenario: Another address has a mailbox of its own
    Given the query parameter "address" is "{uuid:other}@example.com"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/ListSecureMailResponse"
    And the JSON at "/data" equals []
    Given the query parameter "address" is "{other}@example.com"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 0

  @strict
  Scenario: A securebox is a mailbox of its own, apart from the address without one
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "securebox" is "Billing"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the response status is 200
    And the JSON at "/data/count" equals 0
    Given the query parameter "securebox" is "Billing"
    And the JSON body is:
      """
      {"data": {"from": "{mailbox}@example.com", "text": "billing"}}
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

  Scenario Outline: <endpoint> without address is refused with 400
    # Reference 2035, 2183 (address is required), 2058, 2206.
    When I send a GET request to "<endpoint>"
    Then the response status is 400
    And the response body matches the schema "secure-email/GenericResponse"

    Examples:
      | endpoint                       |
      | /nexus/v3/securemail           |
      | /nexus/v3/securemail/count     |

  @strict
  Scenario Outline: The mock's 400 for <endpoint> without address names it
    When I send a GET request to "<endpoint>"
    Then the response status is 400
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "address"

    Examples:
      | endpoint                       |
      | /nexus/v3/securemail           |
      | /nexus/v3/securemail/count     |

  Scenario Outline: <endpoint> with <parameter>=<value> is refused with 400
    # Reference 2036-2042, 2184-2188 (the values and types), 2058, 2206.
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "<parameter>" is "<value>"
    When I send a GET request to "<endpoint>"
    Then the response status is 400
    And the response body matches the schema "secure-email/GenericResponse"

    Examples:
      | endpoint                   | parameter | value             |
      | /nexus/v3/securemail       | status    | new               |
      | /nexus/v3/securemail/count | status    | unseen            |
      | /nexus/v3/securemail       | index     | first             |
      | /nexus/v3/securemail       | count     | 2.5               |
      | /nexus/v3/securemail       | securebox | ab                |
      | /nexus/v3/securemail       | securebox | abcdefghijklmnopq |
      | /nexus/v3/securemail       | securebox | bad-box!          |
      | /nexus/v3/securemail/count | securebox | ab                |
      | /nexus/v3/securemail/count | securebox | abcdefghijklmnopq |
      | /nexus/v3/securemail/count | securebox | bad-box!          |

  @strict
  Scenario Outline: The mock's 400 for <endpoint> with <parameter>=<value> names the parameter
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "<parameter>" is "<value>"
    When I send a GET request to "<endpoint>"
    Then the response status is 400
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "<parameter>"

    Examples:
      | endpoint                   | parameter | value    |
      | /nexus/v3/securemail       | status    | new      |
      | /nexus/v3/securemail       | index     | -1       |
      | /nexus/v3/securemail       | index     | first    |
      | /nexus/v3/securemail       | count     | 2.5      |
      | /nexus/v3/securemail/count | securebox | bad-box! |

  Scenario Outline: A securebox of <length> characters is accepted
    # Reference 2039-2042.
    Given the query parameter "address" is "{tenant.mailbox_address}"
    And the query parameter "securebox" is "<securebox>"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the response status is 200
    And the response body matches the schema "secure-email/CountSecureMailResponse"

    Examples:
      | securebox        | length |
      | abc              | 3      |
      | Abcdefghijklmn16 | 16     |

  @strict
  Scenario Outline: An empty securebox of <length> characters is an empty list, not a 404
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
    # Reference 2043, 2189 (the key is required) and 400-405.
    Given I send no API key
    And the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "<endpoint>"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"

    Examples:
      | endpoint                   |
      | /nexus/v3/securemail       |
      | /nexus/v3/securemail/count |
