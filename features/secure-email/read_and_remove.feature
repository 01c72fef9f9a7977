@secure-email
Feature: One secure email: GET, DELETE and userdata of /nexus/v3/securemail/{secureMailId}
  Reference 2253-2433. GET answers retrieveSecureMailResponse (200, 400; 2268-2296);
  read=true (a boolean, 2261) marks the email read. DELETE (200, 404 "Entity with specified
  ID not found"; 2335-2348) takes remove: read (the default, also when absent), true or \
  (both deprecated, they mark read), delete (left out of the list but kept) or purge (gone);
  2320-2328. userdata answers data, the interaction userdata (200, 400; 2376-2409). The
  untagged scenarios assert those codes and envelopes for the email the scenario posted
  (its secureMailId, 2127). The item model is undefined (secureMail has a blank type,
  2274), so the fields and their changes are @strict; so are the mock's 404 on GET and
  userdata, which document no 404 (ambiguity 48), its 400 for an unknown remove value
  (DELETE documents no 400), the userdata it echoes from the POST body, and its
  INVALID_ENDPOINT answers for paths and methods the API does not have.

  Background:
    Given the JSON body is:
      """
      {"operationId": "{uuid:op}",
       "data": {"from": "{uuid:mailbox}@example.com",
                "subject": "Your claim", "text": "Documents attached.",
                "userData": {"CaseId": "C-1001", "Priority": 3, "Tags": ["claims"]}}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 200
    And I save the JSON at "/secureMailId" as "id"

  Scenario Outline: GET with <read> answers the email
    # Reference 2256-2274.
    When I send a GET request to "/nexus/v3/securemail/{id}<read>"
    Then the response status is 200
    And the response body matches the schema "secure-email/RetrieveSecureMailResponse"

    Examples:
      | read        |
      |             |
      | ?read=true  |
      | ?read=false |

  @strict
  Scenario: The mock's GET answers the email's fields and leaves it unread
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/RetrieveSecureMailResponse"
    And the JSON at "/status/code" equals "SUCCESS"
    And the JSON at "/secureMail/id" equals "{id}"
    And the JSON at "/secureMail/from" equals "{mailbox}@example.com"
    And the JSON at "/secureMail/subject" equals "Your claim"
    And the JSON at "/secureMail/text" equals "Documents attached."
    And the JSON at "/secureMail/status" equals "unread"
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "status" is "unread"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 1

  @strict
  Scenario: GET with read=true marks the mock's email read
    Given the query parameter "read" is "true"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/RetrieveSecureMailResponse"
    And the JSON at "/secureMail/status" equals "read"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the JSON at "/secureMail/status" equals "read"
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "status" is "read"
    When I send a GET request to "/nexus/v3/securemail"
    Then the JSON at "/data/0/id" equals "{id}"
    And the JSON at "/data/0/status" equals "read"

  @strict
  Scenario: GET with read=false leaves the mock's email unread
    Given the query parameter "read" is "false"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the JSON at "/secureMail/status" equals "unread"

  Scenario: GET with a read value that is not a boolean is refused with 400
    # Reference 2261 (read is a boolean), 2283.
    Given the query parameter "read" is "yes"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the response status is 400
    And the response body matches the schema "secure-email/GenericResponse"

  @strict
  Scenario: The mock's 400 for a read value that is not a boolean names it
    Given the query parameter "read" is "yes"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the response status is 400
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "read"

  @strict
  Scenario: GET of an unknown id is a 404 genericResponse
    When I send a GET request to "/nexus/v3/securemail/{uuid:unknown}"
    Then the response status is 404
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "secureMailId"

  Scenario Outline: DELETE with <remove> is a success
    # Reference 2320-2328 (the values of remove), 2335.
    When I send a DELETE request to "/nexus/v3/securemail/{id}<remove>"
    Then the response status is 200
    And the response body matches the schema "secure-email/RetrieveSecureMailResponse"

    Examples:
      | remove         |
      |                |
      | ?remove=read   |
      | ?remove=true   |
      | ?remove=%5C    |
      | ?remove=delete |

  @strict
  Scenario: DELETE without remove marks the mock's email read and answers it
    When I send a DELETE request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/RetrieveSecureMailResponse"
    And the JSON at "/status/code" equals "SUCCESS"
    And the JSON at "/secureMail/id" equals "{id}"
    And the JSON at "/secureMail/status" equals "read"
    And the JSON at "/secureMail/deleted" equals false
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "status" is "read"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 1

  @strict
  Scenario Outline: DELETE with remove=<remove> marks the mock's email read and keeps it listed
    Given the query parameter "remove" is "<remove>"
    When I send a DELETE request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/RetrieveSecureMailResponse"
    And the JSON at "/secureMail/status" equals "read"
    And the JSON at "/secureMail/deleted" equals false
    Given the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail"
    Then the JSON at "/data/0/id" equals "{id}"
    And the JSON at "/data/0/status" equals "read"

    Examples:
      | remove |
      | read   |
      | true   |

  @strict
  Scenario: DELETE with the deprecated remove=\ marks the mock's email read
    # The value is one backslash (mangled at 2325). A step string cannot carry a lone
    # backslash ("\\" arrives as two), so it is percent-encoded in the path.
    When I send a DELETE request to "/nexus/v3/securemail/{id}?remove=%5C"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/RetrieveSecureMailResponse"
    And the JSON at "/secureMail/status" equals "read"
    And the JSON at "/secureMail/deleted" equals false

  @strict
  Scenario: DELETE with remove=delete hides the mock's email from list and count but keeps it
    Given the query parameter "remove" is "delete"
    When I send a DELETE request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/RetrieveSecureMailResponse"
    And the JSON at "/secureMail/id" equals "{id}"
    And the JSON at "/secureMail/deleted" equals true
    Given the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail"
    Then the response status is 200
    And the JSON at "/data" equals []
    Given the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 0
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/RetrieveSecureMailResponse"
    And the JSON at "/secureMail/id" equals "{id}"
    And the JSON at "/secureMail/deleted" equals true
    When I send a GET request to "/nexus/v3/securemail/{id}/userdata"
    Then the response status is 200
    And the JSON at "/data/CaseId" equals "C-1001"

  Scenario: DELETE with remove=purge deletes the email for good: a second DELETE is 404
    # Reference 2328 (purge deletes it from the list and the contact database), 2347.
    Given the query parameter "remove" is "purge"
    When I send a DELETE request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the response body matches the schema "secure-email/RetrieveSecureMailResponse"
    When I send a DELETE request to "/nexus/v3/securemail/{id}"
    Then the response status is 404
    And the response body matches the schema "secure-email/GenericResponse"

  @strict
  Scenario: After remove=purge the mock answers 404 everywhere and counts nothing
    Given the query parameter "remove" is "purge"
    When I send a DELETE request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the response body matches the schema "secure-email/strict/RetrieveSecureMailResponse"
    And the JSON at "/secureMail/id" equals "{id}"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the response status is 404
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    When I send a GET request to "/nexus/v3/securemail/{id}/userdata"
    Then the response status is 404
    Given the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 0

  @strict
  Scenario Outline: DELETE with remove=<remove> is refused and changes nothing
    Given the query parameter "remove" is "<remove>"
    When I send a DELETE request to "/nexus/v3/securemail/{id}"
    Then the response status is 400
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "remove"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the JSON at "/secureMail/status" equals "unread"
    And the JSON at "/secureMail/deleted" equals false

    Examples:
      | remove |
      | erase  |
      | false  |

  @strict
  Scenario: Two backslashes are not the deprecated remove value
    # In a step string "\\" arrives as two backslashes (cucumber does not unescape it),
    # which is not the one-backslash value of 2325.
    Given the query parameter "remove" is "\\"
    When I send a DELETE request to "/nexus/v3/securemail/{id}"
    Then the response status is 400
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "remove"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the JSON at "/secureMail/status" equals "unread"

  Scenario: DELETE of an unknown id is the documented 404
    # Reference 2347: "Entity with specified ID not found".
    When I send a DELETE request to "/nexus/v3/securemail/{uuid:unknown}"
    Then the response status is 404
    And the response body matches the schema "secure-email/GenericResponse"

  @strict
  Scenario: The mock's 404 for DELETE of an unknown id names the id
    When I send a DELETE request to "/nexus/v3/securemail/{uuid:unknown}"
    Then the response status is 404
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "secureMailId"

  Scenario: userdata answers the email's interaction userdata
    # Reference 2376-2388: data (object), the interaction userdata.
    When I send a GET request to "/nexus/v3/securemail/{id}/userdata"
    Then the response status is 200
    And the response body matches the schema "secure-email/RetrieveSecureMailUserdataResponse"

  @strict
  Scenario: The mock's userdata is the userData the email was sent with
    When I send a GET request to "/nexus/v3/securemail/{id}/userdata"
    Then the response status is 200
    And the response body matches the schema "secure-email/RetrieveSecureMailUserdataResponse"
    And the JSON at "/status/code" equals "SUCCESS"
    And the JSON at "/data" equals {"CaseId": "C-1001", "Priority": 3, "Tags": ["claims"]}

  @strict
  Scenario: The mock's userdata of an email sent without userData is an empty object
    Given the JSON body is:
      """
      {"data": {"from": "{mailbox}@example.com", "text": "plain"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then I save the JSON at "/secureMailId" as "plain"
    When I send a GET request to "/nexus/v3/securemail/{plain}/userdata"
    Then the response status is 200
    And the response body matches the schema "secure-email/RetrieveSecureMailUserdataResponse"
    And the JSON at "/data" equals {}

  @strict
  Scenario: userdata of an unknown id is a 404 genericResponse
    When I send a GET request to "/nexus/v3/securemail/{uuid:unknown}/userdata"
    Then the response status is 404
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/detail" equals "secureMailId"

  Scenario Outline: <method> <path> without an API key is stopped by the gateway
    # Reference 2262, 2329, 2381 (the key is required) and 400-405.
    Given I send no API key
    When I send a <method> request to "<path>"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"

    Examples:
      | method | path                                   |
      | GET    | /nexus/v3/securemail/{id}?read=true    |
      | DELETE | /nexus/v3/securemail/{id}?remove=purge |
      | GET    | /nexus/v3/securemail/{id}/userdata     |

  @strict
  Scenario Outline: After the gateway's 403 on <method> <path> the mock's email is unchanged
    Given I send no API key
    When I send a <method> request to "<path>"
    Then the response status is 403
    Given I send the API key "{api_key}"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the JSON at "/secureMail/status" equals "unread"

    Examples:
      | method | path                                   |
      | GET    | /nexus/v3/securemail/{id}?read=true    |
      | DELETE | /nexus/v3/securemail/{id}?remove=purge |

  @strict
  Scenario: A path the API does not have is a 404 INVALID_ENDPOINT in the same envelope
    When I send a GET request to "/nexus/v3/securemail/{id}/attachments"
    Then the response status is 404
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_ENDPOINT"

  @strict
  Scenario: A method the API does not have is a 405 INVALID_ENDPOINT with Allow
    When I send a PUT request to "/nexus/v3/securemail/{id}"
    Then the response status is 405
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_ENDPOINT"
    And the response header "Allow" matches "DELETE"
