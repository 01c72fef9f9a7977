@udm
Feature: UDM and CDDS certificate: upload with POST /cipher/{certificatefilename}, read with GET /cipher
  Reference 936-985 (CDDS /data-download/v3), 6258-6306 (UDM /udm/v3, the same text),
  4563-4625 (/udm/v10). The upload is a formData parameter of type file (968, 6289):
  multipart/form-data with a part whose "field name must be 'file'" (4607); the usage
  samples' application/json body with no file (980-985, 4620-4624) is what the 400 is
  for (975, 4615, 6296). A good upload answers 201 with a JSON string (973-974, 4613-4614);
  GET /cipher answers CertificateInfo {ccid, name, size, lastModified} (942-948, 4577-4585).
  There is no delete and no way to get the old certificate back (map section 1, ambiguity
  47), so an upload cannot be undone on a real deployment: the scenarios that upload
  are tagged mock, never destructive, because a test certificate would replace the one
  the tenant's exports are encrypted with. They are @serial as well: the deployment has one
  certificate, which concurrent uploads would replace under each other. The refusals
  change nothing and run everywhere. What CertificateInfo holds after an upload and the
  404 before any upload (no response documented, map O1) are the mock's: @strict. The two
  refusals are @destructive all the same: a deployment that wrongly accepted one would
  have its certificate replaced, and nothing can put it back.

  Background:
    Given I am signed in as the supervisor

  @destructive
  Scenario Outline: POST <prefix>/cipher/{certificatefilename} without a file part is 400
    # Reference 968, 4607, 6289 (the part named file), 975, 4615, 6296 (400).
    Given the multipart body has no file part
    When I send a POST request to "<prefix>/cipher/cxgate-{uuid:cert}.pem"
    Then the response status is 400

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v3           |
      | /data-download/v3 |

  @destructive
  Scenario Outline: POST <prefix>/cipher/{certificatefilename} with a JSON body instead of a file is 400
    # Reference 980-985 and 4620-4624 (the samples send JSON, no file), 975, 4615, 6296.
    Given the JSON body is:
      """
      {"file": "not a certificate"}
      """
    When I send a POST request to "<prefix>/cipher/cxgate-{uuid:cert}.pem"
    Then the response status is 400

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v3           |
      | /data-download/v3 |

  @mock @serial
  Scenario Outline: A certificate uploaded to <prefix> is answered with 201 and described by GET <prefix>/cipher
    # Reference 959-974, 4597-4614, 6282-6295 (201, a JSON string); 936-948, 4563-4585 (CertificateInfo).
    Given the multipart body has a file "cxgate-{uuid:cert}.pem" of type "application/x-pem-file" with 512 bytes
    When I send a POST request to "<prefix>/cipher/cxgate-{cert}.pem"
    Then the response status is 201
    And the response body matches the schema "udm/CertificateUploaded"
    And the JSON at "" is a non-empty string
    When I send a GET request to "<prefix>/cipher"
    Then the response status is 200
    And the response body matches the schema "udm/CertificateInfo"

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v3           |
      | /data-download/v3 |

  # CertificateInfo's fields have no description (943-948): the mock's name is the path's
  # certificatefilename, size the bytes of the file part, ccid the contact center's, and
  # a second upload replaces the first (4536 "update certificate"; map ambiguity 47).
  @mock @strict @serial
  Scenario Outline: The mock's certificate on <prefix> is the last one uploaded, by name and size
    Given the multipart body has a file "first.pem" of type "application/x-pem-file" with 300 bytes
    When I send a POST request to "<prefix>/cipher/cxgate-{uuid:first}.pem"
    Then the response status is 201
    Given the multipart body has a file "second.pem" of type "application/x-pem-file" with 700 bytes
    When I send a POST request to "<prefix>/cipher/cxgate-{uuid:second}.pem"
    Then the response status is 201
    When I send a GET request to "<prefix>/cipher"
    Then the response status is 200
    And the response body matches the schema "udm/CertificateInfo"
    And the JSON at "/name" equals "cxgate-{second}.pem"
    And the JSON at "/size" equals 700
    And the JSON at "/ccid" is a non-empty string
    And the JSON at "/lastModified" is a non-empty string

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v3           |
      | /data-download/v3 |

  # No answer is documented for GET /cipher before any upload (map O1): the mock's is a
  # 404 in its status envelope. Only a mock back at its seed has no certificate.
  @mock @strict @serial
  Scenario Outline: The mock's <prefix>/cipher is 404 before any upload
    Given the mock is back to its seed
    And I am signed in as the supervisor
    When I send a GET request to "<prefix>/cipher"
    Then the response status is 404
    And the response body matches the schema "udm/strict/ErrorResponse"

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v3           |
      | /data-download/v3 |
