@secure-email
Feature: One secure email: GET, DELETE and userdata of /nexus/v3/securemail/{secureMailId}
  GET answers the email; read=true marks it read (2261). DELETE's remove is read (the
  default, also when absent), true or \ (both deprecated, they mark read), delete
  (hidden from list and count, still served by id) or purge (gone); 2320-2328. Any
  other remove value is a 400. An unknown or purged id is a 404 genericResponse with
  INVALID_PARAMETER, also on GET and userdata, which document no 404 (ambiguity 48).

  Background:
    Given the JSON body is:
      """
      {"operationId": "{uuid:op}",
       "data": {"from": "agent@company.com", "to": "{uuid:mailbox}@example.com",
                "subject": "Your claim", "text": "Documents received.",
                "userData": {"CaseId": "C-1001", "Priority": 3, "Tags": ["claims"]}}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then the response status is 200
    And I save the JSON at "/secureMailId" as "id"

  Scenario: GET answers the email and leaves it unread
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the response body matches the schema "secure-email/RetrieveSecureMailResponse"
    And the JSON at "/status/code" equals "SUCCESS"
    And the JSON at "/secureMail/id" equals "{id}"
    And the JSON at "/secureMail/from" equals "agent@company.com"
    And the JSON at "/secureMail/subject" equals "Your claim"
    And the JSON at "/secureMail/text" equals "Documents received."
    And the JSON at "/secureMail/status" equals "unread"
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "status" is "unread"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 1

  Scenario: GET with read=true marks the email read
    Given the query parameter "read" is "true"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the response body matches the schema "secure-email/RetrieveSecureMailResponse"
    And the JSON at "/secureMail/status" equals "read"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the JSON at "/secureMail/status" equals "read"
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "status" is "read"
    When I send a GET request to "/nexus/v3/securemail"
    Then the JSON at "/data/0/id" equals "{id}"
    And the JSON at "/data/0/status" equals "read"

  Scenario: GET with read=false leaves the email unread
    Given the query parameter "read" is "false"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the JSON at "/secureMail/status" equals "unread"

  Scenario: GET with a read value that is not a boolean is refused
    Given the query parameter "read" is "yes"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the response status is 400
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "read"

  Scenario: GET of an unknown id is a 404 genericResponse
    When I send a GET request to "/nexus/v3/securemail/{uuid:unknown}"
    Then the response status is 404
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "secureMailId"

  Scenario: DELETE without remove marks the email read and answers it
    When I send a DELETE request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the response body matches the schema "secure-email/RetrieveSecureMailResponse"
    And the JSON at "/status/code" equals "SUCCESS"
    And the JSON at "/secureMail/id" equals "{id}"
    And the JSON at "/secureMail/status" equals "read"
    And the JSON at "/secureMail/deleted" equals false
    Given the query parameter "address" is "{mailbox}@example.com"
    And the query parameter "status" is "read"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 1

  Scenario Outline: DELETE with remove=<remove> marks the email read and keeps it listed
    Given the query parameter "remove" is "<remove>"
    When I send a DELETE request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the response body matches the schema "secure-email/RetrieveSecureMailResponse"
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

  Scenario: DELETE with the deprecated remove=\ marks the email read
    # The value is one backslash (mangled at 2325). A step string cannot carry a lone
    # backslash ("\\" arrives as two), so it is percent-encoded in the path.
    When I send a DELETE request to "/nexus/v3/securemail/{id}?remove=%5C"
    Then the response status is 200
    And the response body matches the schema "secure-email/RetrieveSecureMailResponse"
    And the JSON at "/secureMail/status" equals "read"
    And the JSON at "/secureMail/deleted" equals false

  Scenario: DELETE with remove=delete hides the email from list and count but keeps it
    Given the query parameter "remove" is "delete"
    When I send a DELETE request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the response body matches the schema "secure-email/RetrieveSecureMailResponse"
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
    And the response body matches the schema "secure-email/RetrieveSecureMailResponse"
    And the JSON at "/secureMail/id" equals "{id}"
    And the JSON at "/secureMail/deleted" equals true
    When I send a GET request to "/nexus/v3/securemail/{id}/userdata"
    Then the response status is 200
    And the JSON at "/data/CaseId" equals "C-1001"

  Scenario: DELETE with remove=purge removes the email for good
    Given the query parameter "remove" is "purge"
    When I send a DELETE request to "/nexus/v3/securemail/{id}"
    Then the response status is 200
    And the response body matches the schema "secure-email/RetrieveSecureMailResponse"
    And the JSON at "/secureMail/id" equals "{id}"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the response status is 404
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    When I send a GET request to "/nexus/v3/securemail/{id}/userdata"
    Then the response status is 404
    When I send a DELETE request to "/nexus/v3/securemail/{id}"
    Then the response status is 404
    And the response body matches the schema "secure-email/GenericResponse"
    Given the query parameter "address" is "{mailbox}@example.com"
    When I send a GET request to "/nexus/v3/securemail/count"
    Then the JSON at "/data/count" equals 0

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
    When I send a DELETE request to "/nexus/v3/securemail/{uuid:unknown}"
    Then the response status is 404
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_PARAMETER"
    And the JSON at "/status/detail" equals "secureMailId"

  Scenario: userdata answers the userData the email was sent with
    When I send a GET request to "/nexus/v3/securemail/{id}/userdata"
    Then the response status is 200
    And the response body matches the schema "secure-email/RetrieveSecureMailUserdataResponse"
    And the JSON at "/status/code" equals "SUCCESS"
    And the JSON at "/data" equals {"CaseId": "C-1001", "Priority": 3, "Tags": ["claims"]}

  Scenario: userdata of an email sent without userData is an empty object
    Given the JSON body is:
      """
      {"data": {"from": "agent@company.com", "to": "{mailbox}@example.com", "text": "plain"}}
      """
    When I send a POST request to "/nexus/v3/securemail"
    Then I save the JSON at "/secureMailId" as "plain"
    When I send a GET request to "/nexus/v3/securemail/{plain}/userdata"
    Then the response status is 200
    And the response body matches the schema "secure-email/RetrieveSecureMailUserdataResponse"
    And the JSON at "/data" equals {}

  Scenario: userdata of an unknown id is a 404 genericResponse
    When I send a GET request to "/nexus/v3/securemail/{uuid:unknown}/userdata"
    Then the response status is 404
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/detail" equals "secureMailId"

  Scenario Outline: <method> <path> without an API key is stopped by the gateway
    Given I send no API key
    When I send a <method> request to "<path>"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"
    Given I send the API key "{api_key}"
    When I send a GET request to "/nexus/v3/securemail/{id}"
    Then the JSON at "/secureMail/status" equals "unread"

    Examples:
      | method | path                                  |
      | GET    | /nexus/v3/securemail/{id}?read=true   |
      | DELETE | /nexus/v3/securemail/{id}?remove=purge |
      | GET    | /nexus/v3/securemail/{id}/userdata    |

  Scenario: A path the API does not have is a 404 INVALID_ENDPOINT in the same envelope
    When I send a GET request to "/nexus/v3/securemail/{id}/attachments"
    Then the response status is 404
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_ENDPOINT"

  Scenario: A method the API does not have is a 405 INVALID_ENDPOINT with Allow
    When I send a PUT request to "/nexus/v3/securemail/{id}"
    Then the response status is 405
    And the response body matches the schema "secure-email/GenericResponse"
    And the JSON at "/status/code" equals "INVALID_ENDPOINT"
    And the response header "Allow" matches "DELETE"
