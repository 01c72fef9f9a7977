@udm
Feature: UDM and CDDS job actions: resume, suspend and cancel
  Reference 1606-1718 (CDDS /data-download/v4), 6019-6099 (UDM /udm/v4), 5134-5259
  (/udm/v10). Resume, suspend and cancel apply to an "unfinished job" (5137, 5166, 5214)
  named by its job id (1612, 1640, 1684). Resume and suspend answer 200 with JobInfo on
  /udm/v10 and /data-download/v4 (5178, 5229, 1645, 1689) but with the status envelope
  {"status":{"code":0,"detail":{},"message":"successful"}} on /udm/v4 (6058-6059,
  6084-6087; code 0 is a synchronous success, 251); cancel answers 200 with no body
  documented (1617, 5149, 6030). Unknown jobs are 404: "Job Not Found" for resume and
  suspend (1664, 1708, 6061, 6089), "Not Found" for cancel (1619, 6032). The UDM v4 GET
  shows the Job's suspended flag (6113-6116), so a resume or suspend there is visible.
  Jobs are created suspended and due in 2099: resumed, they still never run. What the
  mock decides beyond that (its status values after each action, 400 for an action the
  job's state does not allow, its envelope) is @strict.

  Background:
    Given I am signed in as the supervisor

  Scenario Outline: POST <prefix>/export/jobs/resume/{id} resumes a suspended job with 200
    # Reference 1634-1664, 5163-5197, 6047-6061.
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    When I send a POST request to "<prefix>/export/jobs/resume/{job}"
    Then the response status is 200
    And the response body matches the schema "<answer>"

    Examples:
      | prefix            | answer             |
      | /udm/v10          | udm/JobInfoV10     |
      | /udm/v4           | udm/StatusEnvelope |
      | /data-download/v4 | udm/JobInfo        |

  Scenario Outline: POST <prefix>/export/jobs/suspend/{id} suspends a resumed job with 200
    # Reference 1676-1708, 5211-5249, 6073-6089.
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    When I send a POST request to "<prefix>/export/jobs/resume/{job}"
    Then the response status is 200
    When I send a POST request to "<prefix>/export/jobs/suspend/{job}"
    Then the response status is 200
    And the response body matches the schema "<answer>"

    Examples:
      | prefix            | answer             |
      | /udm/v10          | udm/JobInfoV10     |
      | /udm/v4           | udm/StatusEnvelope |
      | /data-download/v4 | udm/JobInfo        |

  Scenario: On /udm/v4 resume and suspend answer the status envelope and flip the Job's suspended flag
    # Reference 6058-6059 and 6084-6087 (the envelope, code 0 = success, 251); 6113-6116
    # (the GET shows "suspended" as a string).
    Given the body of a suspended export job for POST on "/udm/v4" titled "cxgate {uuid:title}"
    When I send a POST request to "/udm/v4/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    When I send a POST request to "/udm/v4/export/jobs/resume/{job}"
    Then the response status is 200
    And the response body matches the schema "udm/StatusEnvelope"
    And the JSON at "/status/code" equals 0
    When I send a GET request to "/udm/v4/export/jobs/{job}"
    Then the response status is 200
    And the JSON at "/suspended" equals "false"
    When I send a POST request to "/udm/v4/export/jobs/suspend/{job}"
    Then the response status is 200
    And the response body matches the schema "udm/StatusEnvelope"
    And the JSON at "/status/code" equals 0
    When I send a GET request to "/udm/v4/export/jobs/{job}"
    Then the response status is 200
    And the JSON at "/suspended" equals "true"

  Scenario Outline: On <prefix> resume and suspend answer the job's JobInfo
    # Reference 1645-1662 and 1689-1706 (CDDS v4), 5178-5195 and 5229-5247 (v10).
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    When I send a POST request to "<prefix>/export/jobs/resume/{job}"
    Then the response status is 200
    And the response body matches the schema "<jobinfo>"
    And the JSON at "/id" equals {job}
    And the JSON at "/title" equals "cxgate {title}"
    When I send a POST request to "<prefix>/export/jobs/suspend/{job}"
    Then the response status is 200
    And the response body matches the schema "<jobinfo>"
    And the JSON at "/id" equals {job}

    Examples:
      | prefix            | jobinfo        |
      | /udm/v10          | udm/JobInfoV10 |
      | /data-download/v4 | udm/JobInfo    |

  # No status value is documented (map ambiguity 28): SCHEDULED after a resume and
  # SUSPENDED after a suspend are the mock's state machine, as is the 400 for resuming a
  # job that is not suspended or suspending one that is.
  @strict
  Scenario Outline: The mock's job on <prefix> is SCHEDULED when resumed and SUSPENDED when suspended, and refuses the same action twice
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    When I send a POST request to "<prefix>/export/jobs/suspend/{job}"
    Then the response status is 400
    And the response body matches the schema "udm/strict/ErrorResponse"
    When I send a POST request to "<prefix>/export/jobs/resume/{job}"
    Then the response status is 200
    Given the query parameter "title" is "{title}"
    When I send a GET request to "<prefix>/export/jobs"
    Then the JSON at "/items/0/status" equals "{tenant.udm_status_scheduled}"
    When I send a POST request to "<prefix>/export/jobs/resume/{job}"
    Then the response status is 400
    And the response body matches the schema "udm/strict/ErrorResponse"
    When I send a POST request to "<prefix>/export/jobs/suspend/{job}"
    Then the response status is 200
    Given the query parameter "title" is "{title}"
    When I send a GET request to "<prefix>/export/jobs"
    Then the JSON at "/items/0/status" equals "{tenant.udm_status_suspended}"

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  Scenario Outline: POST <prefix>/export/jobs/cancel/{id} cancels an unfinished job with 200
    # Reference 1606-1617, 5134-5149 ("cancel an unfinished job", 5137), 6019-6030.
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    When I send a POST request to "<prefix>/export/jobs/cancel/{job}"
    Then the response status is 200

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  # A cancelled job is finished: CANCELLED, and every further action a 400, is the mock's
  # state machine; cancel's 200 has no body documented (1617), and the mock sends none.
  @strict
  Scenario Outline: The mock's cancelled job on <prefix> is CANCELLED and takes no further action
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    When I send a POST request to "<prefix>/export/jobs/cancel/{job}"
    Then the response status is 200
    And the response body is empty
    Given the query parameter "title" is "{title}"
    When I send a GET request to "<prefix>/export/jobs"
    Then the JSON at "/items/0/status" equals "{tenant.udm_status_cancelled}"
    When I send a POST request to "<prefix>/export/jobs/cancel/{job}"
    Then the response status is 400
    When I send a POST request to "<prefix>/export/jobs/resume/{job}"
    Then the response status is 400
    When I send a POST request to "<prefix>/export/jobs/suspend/{job}"
    Then the response status is 400
    When I send a DELETE request to "<prefix>/export/jobs/{job}"
    Then the response status is 204

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  Scenario Outline: POST <prefix>/export/jobs/<action>/{id} of a deleted job is 404
    # Reference 1619, 1664, 1708 (CDDS v4), 5151, 5197, 5249 (v10), 6032, 6061, 6089 (UDM v4).
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    When I send a DELETE request to "<prefix>/export/jobs/{job}"
    Then the response status is 204
    When I send a POST request to "<prefix>/export/jobs/<action>/{job}"
    Then the response status is 404

    Examples:
      | prefix            | action  |
      | /udm/v10          | resume  |
      | /udm/v4           | resume  |
      | /data-download/v4 | resume  |
      | /udm/v10          | suspend |
      | /udm/v4           | suspend |
      | /data-download/v4 | suspend |
      | /udm/v10          | cancel  |
      | /udm/v4           | cancel  |
      | /data-download/v4 | cancel  |

  # The 404 reasons are "Job Not Found" (1664, 1708) and "Not Found" for cancel (1619):
  # the mock puts them in its status envelope.
  @strict
  Scenario Outline: The mock's 404 for <action> of an unknown job on <prefix> says "<message>"
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    When I send a DELETE request to "<prefix>/export/jobs/{job}"
    Then the response status is 204
    When I send a POST request to "<prefix>/export/jobs/<action>/{job}"
    Then the response status is 404
    And the response body matches the schema "udm/strict/ErrorResponse"
    And the JSON at "/status/code" equals 404
    And the JSON at "/status/message" equals "<message>"

    Examples:
      | prefix            | action  | message       |
      | /udm/v10          | resume  | Job Not Found |
      | /udm/v4           | suspend | Job Not Found |
      | /data-download/v4 | cancel  | Not Found     |
