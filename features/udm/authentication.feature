@udm
Feature: UDM and CDDS credentials: the API key everywhere, the bearer token on /udm/v10
  Reference 322 (x-api-key on every request), 394 (401 for an expired or invalid token),
  400-405 (403 {"message":"Forbidden"} for a bad API key). Every /udm/v10 table lists
  Authorization "Bearer token", required "Yes" (4572 and the same row on 26 of the 28
  endpoints), except /version, whose table lists only x-api-key and whose sample sends no
  bearer (5659, 5684-5687), and /resources/labels, which has no table at all (5636-5639)
  but whose sample sends one (5645-5647). The legacy tables list no Authorization and
  their samples send only x-api-key (e.g. 954, 1312, 5730, 6277). Each 401 scenario first
  sends the same request with the bearer token and sees no 401, so a server that refuses
  everything fails it. The requests name ids and files nobody has (999999999,
  cxgate-nobody.csv) or carry bodies the endpoint refuses, so none changes anything.

  Background:
    Given I am signed in as the supervisor

  Scenario Outline: <method> /udm/v10<path> without a bearer token is 401
    # Reference 4572 (Authorization required) and 394.
    When I send a <method> request to "/udm/v10<path>"
    Then the response status is not 401
    Given I send no bearer token
    When I send a <method> request to "/udm/v10<path>"
    Then the response status is 401

    Examples:
      | method | path                                   |
      | GET    | /cipher                                |
      | GET    | /data/attributes                       |
      | GET    | /data/job-statuses                     |
      | GET    | /data/sources                          |
      | GET    | /data/sub-types                        |
      | GET    | /data/types                            |
      | GET    | /export/history                        |
      | DELETE | /export/history?jobIDs=999999999       |
      | GET    | /export/history/999999999              |
      | DELETE | /export/history/999999999              |
      | GET    | /export/history/999999999/progress     |
      | GET    | /export/jobs                           |
      | DELETE | /export/jobs?jobIDs=999999999          |
      | POST   | /export/jobs/cancel/999999999          |
      | POST   | /export/jobs/resume/999999999          |
      | POST   | /export/jobs/suspend/999999999         |
      | GET    | /export/jobs/999999999                 |
      | DELETE | /export/jobs/999999999                 |
      | GET    | /file-metadatas                        |
      | GET    | /files?filename=cxgate-nobody.csv      |
      | DELETE | /files?filename=cxgate-nobody.csv      |
      | GET    | /files/cxgate-nobody.csv               |
      | DELETE | /files/cxgate-nobody.csv               |

  Scenario Outline: <method> /udm/v10<path> with a body but without a bearer token is 401
    # Reference 5012 and 5320 (Authorization required), 394. The body {} is refused (400)
    # with the bearer, so nothing is created or changed.
    Given the raw body is "{}" with content type "application/json"
    When I send a <method> request to "/udm/v10<path>"
    Then the response status is not 401
    Given I send no bearer token
    And the raw body is "{}" with content type "application/json"
    When I send a <method> request to "/udm/v10<path>"
    Then the response status is 401

    Examples:
      | method | path                   |
      | POST   | /export/jobs           |
      | PUT    | /export/jobs/999999999 |

  # @destructive: a deployment that wrongly accepted the upload would lose its certificate.
  @destructive
  Scenario: POST /udm/v10/cipher/{certificatefilename} without a bearer token is 401
    # Reference 4608 (Authorization required), 394. The body has no file part, so the
    # upload is refused (400) with the bearer and no certificate changes.
    Given the multipart body has no file part
    When I send a POST request to "/udm/v10/cipher/cxgate-nobody.pem"
    Then the response status is not 401
    Given I send no bearer token
    And the multipart body has no file part
    When I send a POST request to "/udm/v10/cipher/cxgate-nobody.pem"
    Then the response status is 401

  Scenario: A bearer token the service never issued is 401 on /udm/v10
    # Reference 394: "If an application token is expired or invalid, the API returns 401".
    Given I use the bearer token "cxgate-not-a-token-{uuid:token}"
    When I send a GET request to "/udm/v10/export/jobs"
    Then the response status is 401

  @mock
  Scenario: An expired bearer token is 401 on /udm/v10
    # Reference 394.
    Given the access token of the supervisor has expired
    When I send a GET request to "/udm/v10/data/job-statuses"
    Then the response status is 401

  # 394 gives the status only: the OAuth error body and WWW-Authenticate are the mock's,
  # as for the other families (README, "401 for tokens").
  @strict
  Scenario: The mock's 401 on /udm/v10 asks for a bearer token
    Given I send no bearer token
    When I send a GET request to "/udm/v10/export/jobs"
    Then the response status is 401
    And the response header "WWW-Authenticate" matches "^Bearer"
    And the JSON at "/error" is a non-empty string

  Scenario Outline: GET <path> answers without a bearer token
    # Reference 5659 and 5684-5687 (/udm/v10/version: x-api-key only); the legacy tables
    # list no Authorization and their samples send only x-api-key (954, 1312, 5730, 6277).
    # VersionInfo 5664-5679, 1263-1269; [KeyValueItem] 993-997. Control (322, 400-405):
    # the same request with a wrong API key is refused.
    Given I send no bearer token
    When I send a GET request to "<path>"
    Then the response status is 200
    And the response body matches the schema "<schema>"
    Given I send the API key "cxgate-wrong-key-{uuid:key}"
    When I send a GET request to "<path>"
    Then the response status is 403

    Examples:
      | path                                | schema                 |
      | /udm/v10/version                    | udm/VersionInfo        |
      | /udm/v3/version                     | udm/VersionInfo        |
      | /udm/v3/data/job-statuses           | udm/KeyValueItemList   |
      | /data-download/v3/version           | udm/VersionInfo        |
      | /data-download/v3/data/job-statuses | udm/KeyValueItemList   |

  Scenario Outline: GET <path> answers an empty page without a bearer token
    # Reference 1472, 5885, 1306, 5724: 204 No Content, no Authorization in the tables.
    # Control (322, 400-405): the same request with a wrong API key is refused.
    Given I send no bearer token
    When I send a GET request to "<path>"
    Then the response status is 204
    And the response body is empty
    Given I send the API key "cxgate-wrong-key-{uuid:key}"
    When I send a GET request to "<path>"
    Then the response status is 403

    Examples:
      | path                                                          |
      | /udm/v4/export/jobs?title=cxgate-nobody-{uuid:t}              |
      | /udm/v4/export/history?title=cxgate-nobody-{uuid:t}           |
      | /data-download/v4/export/jobs?title=cxgate-nobody-{uuid:t}    |
      | /data-download/v4/export/history?title=cxgate-nobody-{uuid:t} |

  # /resources/labels has no parameter table (5636-5639) but its sample sends a bearer
  # (5645-5647): that the mock serves it without one is its reading.
  @strict
  Scenario: The mock serves /udm/v10/resources/labels without a bearer token
    When I send a GET request to "/udm/v10/data/job-statuses"
    Then the response status is 200
    And I save the JSON at "/0/value" as "status"
    Given I send no bearer token
    When I send a GET request to "/udm/v10/resources/labels"
    Then the response status is 200
    And the JSON object at "" has the key "{status}"
    Given I send the API key "cxgate-wrong-key-{uuid:key}"
    When I send a GET request to "/udm/v10/resources/labels"
    Then the response status is 403

  Scenario Outline: A legacy client without a bearer token creates and deletes a job on <prefix>
    # Reference 1486-1540 and 1859-1872 (CDDS v4), 5899-5953 and 6227-6241 (UDM v4): no
    # Authorization in the tables.
    Given I send no bearer token
    And the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    When I send a DELETE request to "<prefix>/export/jobs/{job}"
    Then the response status is 204

    Examples:
      | prefix            |
      | /udm/v4           |
      | /data-download/v4 |

  Scenario Outline: GET <prefix><path> with a wrong API key is 403 Forbidden
    # Reference 322 and 400-405.
    When I send a GET request to "<prefix><path>"
    Then the response status is not 403
    Given I send the API key "cxgate-wrong-key-{uuid:key}"
    When I send a GET request to "<prefix><path>"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"

    Examples:
      | prefix            | path               |
      | /udm/v10          | /export/jobs       |
      | /udm/v10          | /version           |
      | /udm/v4           | /export/jobs       |
      | /udm/v3           | /data/job-statuses |
      | /data-download/v4 | /export/history    |
      | /data-download/v3 | /version           |

  Scenario Outline: GET <prefix>/<path> without an API key is 403 Forbidden
    # Reference 322 and 400-405.
    Given I send no API key
    When I send a GET request to "<prefix>/<path>"
    Then the response status is 403
    And the response body matches the schema "common/GatewayForbidden"

    Examples:
      | prefix            | path         |
      | /udm/v10          | data/sources |
      | /udm/v4           | export/jobs  |
      | /data-download/v3 | version      |
