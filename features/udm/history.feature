@udm
Feature: UDM and CDDS export history: the runs of jobs, their progress, and deleting them
  Reference 1281-1445 (CDDS /data-download/v4), 5696-5858 (UDM /udm/v4), 4772-4955
  (/udm/v10). A history record is one run of a job: a JobInfo (1359-1376, 4859-4880)
  whose parentId names its job (1376), read by its own id (1354, 1424; map ambiguity
  27). The list is a PagedResponse or 204 (1299-1306, 4795-4804, 5714-5724), filtered by
  "title contains" (1289); progress is JobProgress {progress, status}, "between 0 and 100
  percent" (1416-1434). "A job in progress can not be deleted" (1393, 1862), and a bulk
  delete that cannot delete some records answers an internal server error with "a list of
  jobs that weren't deleted as json array" (1323, 1582). The bulk delete's parameter is
  jobIDs, required (1328), naming history record ids (4819). No run ever starts on a
  real deployment here (every job is suspended and due in 2099), so the portable
  scenarios read the empty history and refusals; the runs themselves are @mock: the
  mock starts a run for an immediate job and its control plane completes or fails it
  (POST /__cxgate/udm/runs/{id}/complete|fail). Status values, the envelope and 404s the
  reference does not list are @strict.

  Background:
    Given I am signed in as the supervisor

  Scenario Outline: GET <prefix>/export/history with a title nobody used is 204 with no body
    # Reference 1289 (title filter), 1306, 4804, 5724 (204 No Content).
    Given the query parameter "title" is "cxgate-nobody-{uuid:title}"
    When I send a GET request to "<prefix>/export/history"
    Then the response status is 204
    And the response body is empty

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  Scenario Outline: GET <prefix>/export/history/{id} of a record nobody has is 404
    # Reference 1378, 4882, 5792 (404 "ManualJob Not Found"). No record has id 999999999:
    # no scenario here starts a run on a real deployment.
    When I send a GET request to "<prefix>/export/history/999999999"
    Then the response status is 404

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  Scenario Outline: GET <prefix>/export/history/{id}/progress of a record nobody has is refused
    # Reference 1435, 4945, 5848: the only refusal documented is 400; which 4xx an unknown
    # record gets is not said.
    When I send a GET request to "<prefix>/export/history/999999999/progress"
    Then the response status is a client error

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  Scenario Outline: DELETE <prefix>/export/history without jobIDs is 400
    # Reference 1328, 4825, 5744 (jobIDs required), 1334, 4832, 5750 (400).
    When I send a DELETE request to "<prefix>/export/history"
    Then the response status is 400

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  # Delete and progress document no 404 (1403-1404, 1435); the mock answers an unknown
  # record with 404 in its status envelope everywhere, and a bulk delete naming one with
  # the 500 of 1323 listing it.
  @strict
  Scenario Outline: The mock answers an unknown history record on <prefix> with 404, and its bulk delete with 500
    When I send a GET request to "<prefix>/export/history/999999999"
    Then the response status is 404
    And the response body matches the schema "udm/strict/ErrorResponse"
    And the JSON at "/status/message" equals "ManualJob Not Found"
    When I send a GET request to "<prefix>/export/history/999999999/progress"
    Then the response status is 404
    And the response body matches the schema "udm/strict/ErrorResponse"
    When I send a DELETE request to "<prefix>/export/history/999999999"
    Then the response status is 404
    And the response body matches the schema "udm/strict/ErrorResponse"
    Given the query parameter "jobIDs" is "999999999"
    When I send a DELETE request to "<prefix>/export/history"
    Then the response status is 500
    And the response body matches the schema "udm/strict/NotDeleted"
    And the JSON at "" equals ["999999999"]

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  @mock
  Scenario Outline: A run of an immediate job on <prefix> is a history record with progress, kept until it ends
    # Reference 1359-1376 (the record, parentId), 1416-1434 (progress 0-100), 1393 and
    # 1862 (in progress: no delete), 1403 (204), 1378 (404 afterwards).
    Given the body of an immediate export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    Given the query parameter "title" is "{title}"
    When I send a GET request to "<prefix>/export/history"
    Then the response status is 200
    And the response body matches the schema "udm/PagedResponse"
    And the array at "/items" has 1 item
    And the JSON at "/items/0/parentId" equals {job}
    And I save the JSON at "/items/0/id" as "run"
    When I send a GET request to "<prefix>/export/history/{run}"
    Then the response status is 200
    And the response body matches the schema "<jobinfo>"
    And the JSON at "/id" equals {run}
    And the JSON at "/parentId" equals {job}
    When I send a GET request to "<prefix>/export/history/{run}/progress"
    Then the response status is 200
    And the response body matches the schema "udm/JobProgress"
    And the JSON at "/progress" is an integer from 0 to 99
    And the JSON at "/status" is a non-empty string
    When I send a DELETE request to "<prefix>/export/history/{run}"
    Then the response status is 400
    When I send a DELETE request to "<prefix>/export/jobs/{job}"
    Then the response status is 400
    Given the mock completes the export run "{run}"
    When I send a GET request to "<prefix>/export/history/{run}/progress"
    Then the response status is 200
    And the JSON at "/progress" equals 100
    When I send a GET request to "<prefix>/export/history/{run}"
    Then the response status is 200
    And the JSON at "/fileName" is a non-empty string
    And the JSON at "/fileSize" is an integer
    When I send a DELETE request to "<prefix>/export/history/{run}"
    Then the response status is 204
    And the response body is empty
    When I send a GET request to "<prefix>/export/history/{run}"
    Then the response status is 404

    Examples:
      | prefix            | jobinfo        |
      | /udm/v10          | udm/JobInfoV10 |
      | /udm/v4           | udm/JobInfo    |
      | /data-download/v4 | udm/JobInfo    |

  # The status values are the mock's (map ambiguity 28): a run is IN_PROGRESS, then
  # COMPLETED or FAILED, and its job takes the status of its last run.
  @mock @strict
  Scenario Outline: The mock's run on <prefix> is IN_PROGRESS, then <end> when the mock <verb> it, and so is its job
    Given the body of an immediate export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    Given the query parameter "title" is "{title}"
    When I send a GET request to "<prefix>/export/history"
    Then the response status is 200
    And the JSON at "/count" equals 1
    And the JSON at "/items/0/status" equals "{tenant.udm_status_in_progress}"
    And the response body matches the schema "<page>"
    And I save the JSON at "/items/0/id" as "run"
    Given the query parameter "title" is "{title}"
    When I send a GET request to "<prefix>/export/jobs"
    Then the JSON at "/items/0/status" equals "{tenant.udm_status_in_progress}"
    Given the mock <verb> the export run "{run}"
    When I send a GET request to "<prefix>/export/history/{run}/progress"
    Then the response status is 200
    And the JSON at "/status" equals "<end>"
    Given the query parameter "title" is "{title}"
    When I send a GET request to "<prefix>/export/jobs"
    Then the JSON at "/items/0/status" equals "<end>"
    Given the query parameter "title" is "{title}"
    And the query parameter "status" is "<end>"
    When I send a GET request to "<prefix>/export/history"
    Then the response status is 200
    And the JSON at "/items/0/id" equals {run}

    Examples:
      | prefix            | verb      | end       | page                      |
      | /udm/v10          | completes | {tenant.udm_status_completed} | udm/strict/JobInfoPageV10 |
      | /udm/v4           | completes | {tenant.udm_status_completed} | udm/strict/JobInfoPage    |
      | /data-download/v4 | completes | {tenant.udm_status_completed} | udm/strict/JobInfoPage    |
      | /udm/v10          | fails     | {tenant.udm_status_failed} | udm/strict/JobInfoPageV10 |
      | /udm/v4           | fails     | {tenant.udm_status_failed} | udm/strict/JobInfoPage    |
      | /data-download/v4 | fails     | {tenant.udm_status_failed} | udm/strict/JobInfoPage    |

  @mock
  Scenario Outline: A bulk delete of <prefix>/export/history that names a running record answers 500 with it and deletes the rest
    # Reference 1320-1334, 4816-4832, 5736-5750; 1323 (the 500 and its array).
    Given the body of an immediate export job for POST on "<prefix>" titled "cxgate {uuid:batch} one"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    Given the body of an immediate export job for POST on "<prefix>" titled "cxgate {batch} two"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    Given the query parameter "title" is "{batch} one"
    When I send a GET request to "<prefix>/export/history"
    Then I save the JSON at "/items/0/id" as "finished"
    Given the query parameter "title" is "{batch} two"
    When I send a GET request to "<prefix>/export/history"
    Then I save the JSON at "/items/0/id" as "running"
    Given the mock completes the export run "{finished}"
    And the query parameter "jobIDs" is "{finished},{running}"
    When I send a DELETE request to "<prefix>/export/history"
    Then the response status is 500
    And the response body matches the schema "udm/NotDeleted"
    And the array at "" has 1 item
    When I send a GET request to "<prefix>/export/history/{finished}"
    Then the response status is 404
    When I send a GET request to "<prefix>/export/history/{running}"
    Then the response status is 200
    Given the mock completes the export run "{running}"
    And the query parameter "jobIDs" is "{running}"
    When I send a DELETE request to "<prefix>/export/history"
    Then the response status is 204

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  @mock
  Scenario Outline: A bulk delete of <prefix>/export/jobs that names a running job answers 500 with it and deletes the rest
    # Reference 1579-1593, 5103-5122, 5992-6006; 1582 ("A job with status in progress
    # cannot be deleted", the 500 and its array).
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:batch} idle"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "idle"
    Given the body of an immediate export job for POST on "<prefix>" titled "cxgate {batch} busy"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "busy"
    Given the query parameter "jobIDs" is "{idle},{busy}"
    When I send a DELETE request to "<prefix>/export/jobs"
    Then the response status is 500
    And the response body matches the schema "udm/NotDeleted"
    And the array at "" has 1 item
    And the JSON at "/0" equals "{busy}"
    When I send a GET request to "<prefix>/export/jobs/{idle}"
    Then the response status is 404
    When I send a GET request to "<prefix>/export/jobs/{busy}"
    Then the response status is 200

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  # Cancelling a running job (1606 "Cancel running", 5137) ends its run; CANCELLED and a
  # job that can be deleted afterwards are the mock's state machine.
  @mock @strict
  Scenario Outline: The mock's cancel on <prefix> ends the running run as CANCELLED
    Given the body of an immediate export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    Given the query parameter "title" is "{title}"
    When I send a GET request to "<prefix>/export/history"
    Then I save the JSON at "/items/0/id" as "run"
    When I send a POST request to "<prefix>/export/jobs/cancel/{job}"
    Then the response status is 200
    When I send a GET request to "<prefix>/export/history/{run}/progress"
    Then the JSON at "/status" equals "{tenant.udm_status_cancelled}"
    When I send a DELETE request to "<prefix>/export/jobs/{job}"
    Then the response status is 204
    When I send a GET request to "<prefix>/export/history/{run}"
    Then the response status is 404

    Examples:
      | prefix            | jobinfo        |
      | /udm/v10          | udm/JobInfoV10 |
      | /udm/v4           | udm/JobInfo    |
      | /data-download/v4 | udm/JobInfo    |

  # How long a run takes is the mock's seed; a day of mock time is more than any run (and
  # than the token's life, so the supervisor signs in again).
  @mock @strict @serial
  Scenario: The mock's run completes by itself when the mock clock passes its duration
    Given the body of an immediate export job for POST on "/udm/v10" titled "cxgate {uuid:title}"
    When I send a POST request to "/udm/v10/export/jobs"
    Then the response status is 202
    Given the query parameter "title" is "{title}"
    When I send a GET request to "/udm/v10/export/history"
    Then I save the JSON at "/items/0/id" as "run"
    Given the mock clock moves forward by 86400 seconds
    And I am signed in as the supervisor
    When I send a GET request to "/udm/v10/export/history/{run}/progress"
    Then the response status is 200
    And the JSON at "/progress" equals 100
    And the JSON at "/status" equals "{tenant.udm_status_completed}"
