@udm
Feature: UDM and CDDS export jobs: create, list, get, update and delete
  Reference 1447-1604 and 1720-1884 (CDDS /data-download/v4), 5860-6017 and 6101-6250
  (UDM /udm/v4), 4957-5132 and 5261-5461 (/udm/v10). A job is the Job body (v4
  1507-1515, v10 5032-5040): source, title, timeFrame, schedulerParam, jobParams {type,
  media} and suspended are required, suspended is a string in v4 (1515) and a boolean in
  v10 (5040), v10 adds a required top-level type "UCS or DataSync" (5034) and the UDM v4
  PUT a required type as well (6141, 6159). Create answers 202 with JobInfo (1520, 5045),
  update 200 with JobInfo (1799, 5372), get 200 with JobInfo (1731, 5276) except on UDM v4,
  whose sample is the Job itself with a string id (6113-6116); lists are PagedResponse
  {count, from, items, size} or 204 (1465-1472, 4981-4989, 5878-5885), filtered by
  "title contains" (1455), sorted by orderField with descAsc "true for descending"
  (1453) and paged by from and size (1459-1460). Delete answers 204 (1871, 5450, 6240);
  the bulk delete takes jobIDs, "a comma-separated list of job IDs", required (1587).
  Every job a scenario creates is suspended and due in 2099, so nothing runs on a real
  deployment, and is deleted after the scenario (src/steps/cleanup.rs). Titles carry a
  fresh UUID, so a title filter finds only this scenario's jobs. What the mock decides
  beyond that (its status values, count and size, 400 for bad paging, its validation of
  cron, dates and sources, its error envelope, the 500 of a bulk delete naming an
  unknown id) is @strict.

  Background:
    Given I am signed in as the supervisor

  Scenario Outline: POST <prefix>/export/jobs accepts a suspended job with 202 and its JobInfo
    # Reference 1486-1537 (v4: body and 202 JobInfo), 5005-5065 (v10, usage 5075-5099), 5899-5950.
    Given the JSON body is:
      """
      {"source": "{tenant.udm_source}", <type>
       "title": "cxgate {uuid:title}",
       "timeFrame": {"all": false, "dateFrom": "2025-01-01T00:00:00Z", "dateTo": "2025-01-31T23:59:59Z"},
       "description": "cxgate contract test: suspended, due in 2099, deleted after the scenario",
       "schedulerParam": {"immediately": false, "startDate": "2099-01-01T00:00:00Z"},
       "jobParams": {"type": "{tenant.udm_data_type}", "media": ["{tenant.udm_media}"]},
       "suspended": <suspended>}
      """
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And the response body matches the schema "<jobinfo>"
    And the JSON at "/id" is an integer
    And the JSON at "/title" equals "cxgate {title}"
    And the JSON at "/source" equals "{tenant.udm_source}"
    And the JSON at "/media" equals ["{tenant.udm_media}"]
    And I save the JSON at "/id" as "job"
    Given the query parameter "title" is "{title}"
    When I send a GET request to "<prefix>/export/jobs"
    Then the response status is 200
    And the response body matches the schema "<page>"
    And the array at "/items" has an item whose "/id" equals {job}

    Examples:
      | prefix            | type           | suspended | jobinfo        | page                |
      | /udm/v10          | "type": "UCS", | true      | udm/JobInfoV10 | udm/JobInfoPageV10  |
      | /udm/v4           |                | "true"    | udm/JobInfo    | udm/JobInfoPage     |
      | /data-download/v4 |                | "true"    | udm/JobInfo    | udm/JobInfoPage     |

  Scenario: POST /udm/v10/export/jobs keeps jobParams.exportAttachments in the JobInfo
    # Reference 5029 (jobParams.exportAttachments), 5065 (JobInfo.exportAttachments).
    Given the body of a suspended export job for POST on "/udm/v10" titled "cxgate {uuid:title}"
    And the JSON body field "/jobParams/exportAttachments" is true
    When I send a POST request to "/udm/v10/export/jobs"
    Then the response status is 202
    And the response body matches the schema "udm/JobInfoV10"
    And the JSON at "/exportAttachments" equals true

  # JobInfo.status is a string with no values listed (1528, map ambiguity 28): SUSPENDED,
  # progress 0 and no run are the mock's state machine.
  @strict
  Scenario Outline: The mock's new suspended job on <prefix> is SUSPENDED with progress 0 and no run
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And the response body matches the schema "<jobinfo>"
    And the JSON at "/status" equals "{tenant.udm_status_suspended}"
    And the JSON at "/progress" equals 0
    And the JSON at "/dateFrom" equals "2025-01-01T00:00:00Z"
    And the JSON at "/dateTo" equals "2025-01-31T23:59:59Z"
    And the JSON at "/createdDate" is a non-empty string
    Given the query parameter "title" is "{title}"
    When I send a GET request to "<prefix>/export/history"
    Then the response status is 204

    Examples:
      | prefix            | jobinfo               |
      | /udm/v10          | udm/strict/JobInfoV10 |
      | /udm/v4           | udm/strict/JobInfo    |
      | /data-download/v4 | udm/strict/JobInfo    |

  Scenario Outline: GET <prefix>/export/jobs with a title nobody used is 204 with no body
    # Reference 1455 (title filter), 1472, 4989, 5885 (204 No Content).
    Given the query parameter "title" is "cxgate-nobody-{uuid:title}"
    When I send a GET request to "<prefix>/export/jobs"
    Then the response status is 204
    And the response body is empty

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  Scenario Outline: GET <prefix>/export/jobs sorts by orderField, descending with descAsc=true, and pages with from and size
    # Reference 1452-1460, 4965-4973, 5865-5873.
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:batch} one"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "first"
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {batch} two"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "second"
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {batch} three"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "third"
    Given the query parameter "title" is "{batch}"
    And the query parameter "orderField" is "id"
    And the query parameter "descAsc" is "true"
    When I send a GET request to "<prefix>/export/jobs"
    Then the response status is 200
    And the response body matches the schema "udm/PagedResponse"
    And the array at "/items" has 3 items
    And the array at "/items" is in descending order of "/id"
    And the JSON at "/items/0/id" equals {third}
    Given the query parameter "title" is "{batch}"
    And the query parameter "orderField" is "id"
    And the query parameter "descAsc" is "false"
    And the query parameter "size" is "2"
    When I send a GET request to "<prefix>/export/jobs"
    Then the response status is 200
    And the array at "/items" has 2 items
    And the array at "/items" is in ascending order of "/id"
    And the JSON at "/items/0/id" equals {first}
    Given the query parameter "title" is "{batch}"
    And the query parameter "orderField" is "id"
    And the query parameter "descAsc" is "false"
    And the query parameter "from" is "2"
    And the query parameter "size" is "2"
    When I send a GET request to "<prefix>/export/jobs"
    Then the response status is 200
    And the array at "/items" has 1 item
    And the JSON at "/items/0/id" equals {third}

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  # count and size are undefined (map ambiguity 16): the mock's count is every match,
  # from echoes the request and size is the number of items on the page; a page past
  # the end is the empty list's 204.
  @strict
  Scenario Outline: The mock's page of <prefix>/export/jobs counts every match and sizes the page
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:batch} one"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {batch} two"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {batch} three"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    Given the query parameter "title" is "{batch}"
    When I send a GET request to "<prefix>/export/jobs"
    Then the response status is 200
    And the response body matches the schema "<page>"
    And the JSON at "/count" equals 3
    And the JSON at "/from" equals 0
    And the JSON at "/size" equals 3
    And the array at "/items" is in ascending order of "/id"
    And every item of the array at "/items" has "/status" equal to "{tenant.udm_status_suspended}"
    Given the query parameter "title" is "{batch}"
    And the query parameter "from" is "1"
    And the query parameter "size" is "1"
    When I send a GET request to "<prefix>/export/jobs"
    Then the response status is 200
    And the JSON at "/count" equals 3
    And the JSON at "/from" equals 1
    And the JSON at "/size" equals 1
    Given the query parameter "title" is "{batch}"
    And the query parameter "from" is "3"
    When I send a GET request to "<prefix>/export/jobs"
    Then the response status is 204

    Examples:
      | prefix            | page                       |
      | /udm/v10          | udm/strict/JobInfoPageV10  |
      | /udm/v4           | udm/strict/JobInfoPage     |
      | /data-download/v4 | udm/strict/JobInfoPage     |

  # from and size are integers (1459-1460) but no error is documented for a bad one; the
  # usage samples even send size=0 (1483, 5896). The mock refuses them with 400.
  @strict
  Scenario Outline: The mock refuses <name>=<value> on <prefix>/export/jobs with 400
    Given the query parameter "<name>" is "<value>"
    When I send a GET request to "<prefix>/export/jobs"
    Then the response status is 400
    And the response body matches the schema "udm/strict/ErrorResponse"
    And the JSON at "/status/code" equals 400

    Examples:
      | prefix            | name | value |
      | /udm/v10          | size | 0     |
      | /udm/v4           | size | 0     |
      | /data-download/v4 | size | 0     |
      | /udm/v10          | size | -5    |
      | /udm/v4           | size | -5    |
      | /data-download/v4 | size | -5    |
      | /udm/v10          | from | -1    |
      | /udm/v4           | from | -1    |
      | /data-download/v4 | from | -1    |
      | /udm/v10          | size | ten   |
      | /udm/v4           | from | first |
      | /data-download/v4 | size | 1.5   |

  # suspend and scheduleType carry copy-pasted descriptions (1457-1458) and no values
  # (map ambiguity 31-32): the mock reads suspend as the suspended flag and scheduleType
  # as immediately, cron or startDate.
  @strict
  Scenario Outline: The mock filters <prefix>/export/jobs by suspend and scheduleType
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    Given the query parameter "title" is "{title}"
    And the query parameter "suspend" is "true"
    And the query parameter "scheduleType" is "startDate"
    When I send a GET request to "<prefix>/export/jobs"
    Then the response status is 200
    And the array at "/items" has an item whose "/id" equals {job}
    Given the query parameter "title" is "{title}"
    And the query parameter "suspend" is "false"
    When I send a GET request to "<prefix>/export/jobs"
    Then the response status is 204
    Given the query parameter "title" is "{title}"
    And the query parameter "scheduleType" is "cron"
    When I send a GET request to "<prefix>/export/jobs"
    Then the response status is 204

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  Scenario Outline: GET <prefix>/export/jobs/{id} answers the job's JobInfo
    # Reference 1720-1748, 5261-5294.
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    When I send a GET request to "<prefix>/export/jobs/{job}"
    Then the response status is 200
    And the response body matches the schema "<jobinfo>"
    And the JSON at "/id" equals {job}
    And the JSON at "/title" equals "cxgate {title}"

    Examples:
      | prefix            | jobinfo        |
      | /udm/v10          | udm/JobInfoV10 |
      | /data-download/v4 | udm/JobInfo    |

  Scenario: GET /udm/v4/export/jobs/{id} answers the Job as it was sent, with a string id
    # Reference 6101-6118: the 200 sample is the Job model plus "id": "" (6113, 6116);
    # suspended is a string there (6116), as in the body (5928).
    Given the body of a suspended export job for POST on "/udm/v4" titled "cxgate {uuid:title}"
    When I send a POST request to "/udm/v4/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    When I send a GET request to "/udm/v4/export/jobs/{job}"
    Then the response status is 200
    And the response body matches the schema "udm/JobWithId"
    And the JSON at "/id" equals "{job}"
    And the JSON at "/title" equals "cxgate {title}"
    And the JSON at "/source" equals "{tenant.udm_source}"
    And the JSON at "/suspended" equals "true"
    And the JSON at "/schedulerParam/startDate" equals "2099-01-01T00:00:00Z"
    And the JSON at "/jobParams/media" equals ["{tenant.udm_media}"]

  Scenario Outline: A deleted job is not found by GET <prefix>/export/jobs/{id}
    # Reference 1750, 5298, 6118 (404 "ManualJob Not Found"); 1871, 5450, 6240 (204).
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    When I send a DELETE request to "<prefix>/export/jobs/{job}"
    Then the response status is 204
    When I send a GET request to "<prefix>/export/jobs/{job}"
    Then the response status is 404

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  # The 404s have only a reason phrase (1750): the body is the mock's status envelope
  # with that reason as message and the id in detail.
  @strict
  Scenario Outline: The mock's 404 for an unknown job on <prefix> is its status envelope
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    When I send a DELETE request to "<prefix>/export/jobs/{job}"
    Then the response status is 204
    When I send a GET request to "<prefix>/export/jobs/{job}"
    Then the response status is 404
    And the response body matches the schema "udm/strict/ErrorResponse"
    And the JSON at "/status/code" equals 404
    And the JSON at "/status/message" equals "ManualJob Not Found"
    When I send a DELETE request to "<prefix>/export/jobs/{job}"
    Then the response status is 404
    And the response body matches the schema "udm/strict/ErrorResponse"

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  # The path id is a string (1726) and 1749 documents a 400 without saying for what: the
  # mock's ids are integers, and any other id names no job, so it is the 404 with the id
  # in detail, never a 500.
  @strict
  Scenario Outline: The mock answers a job id that is not a number on <prefix> with 404
    When I send a GET request to "<prefix>/export/jobs/not-a-number"
    Then the response status is 404
    And the response body matches the schema "udm/strict/ErrorResponse"
    And the JSON at "/status/message" equals "ManualJob Not Found"
    And the JSON at "/status/detail/id" equals "not-a-number"

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  Scenario Outline: PUT <prefix>/export/jobs/{id} replaces a job that has not started
    # Reference 1762-1818 (CDDS v4: the body has no top-level type), 5310-5393 ("update not
    # started job", 5313), 6132-6190 (UDM v4: type required, 6159).
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    Given the body of a suspended export job for PUT on "<prefix>" titled "cxgate {title} renamed"
    When I send a PUT request to "<prefix>/export/jobs/{job}"
    Then the response status is 200
    And the response body matches the schema "<jobinfo>"
    And the JSON at "/id" equals {job}
    And the JSON at "/title" equals "cxgate {title} renamed"
    When I send a GET request to "<prefix>/export/jobs/{job}"
    Then the response status is 200
    And the JSON at "/title" equals "cxgate {title} renamed"

    Examples:
      | prefix            | jobinfo        |
      | /udm/v10          | udm/JobInfoV10 |
      | /udm/v4           | udm/JobInfo    |
      | /data-download/v4 | udm/JobInfo    |

  Scenario Outline: PUT <prefix>/export/jobs/{id} of a deleted job is 404
    # Reference 1820, 5395, 6192 (404 "Job Not Found").
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    When I send a DELETE request to "<prefix>/export/jobs/{job}"
    Then the response status is 204
    Given the body of a suspended export job for PUT on "<prefix>" titled "cxgate {title} renamed"
    When I send a PUT request to "<prefix>/export/jobs/{job}"
    Then the response status is 404

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  @mock
  Scenario Outline: PUT <prefix>/export/jobs/{id} of a job whose run has started is 400
    # Reference 5313 (v10: "update not started job"), 5394 (400).
    Given the body of an immediate export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    Given the body of a suspended export job for PUT on "<prefix>" titled "cxgate {title} renamed"
    When I send a PUT request to "<prefix>/export/jobs/{job}"
    Then the response status is 400
    When I send a GET request to "<prefix>/export/jobs/{job}"
    Then the response status is 200
    And the JSON at "/title" equals "cxgate {title}"

    Examples:
      | prefix   |
      | /udm/v10 |

    # The v4 PUT states no such rule (1762, 6132; map ambiguity 29): the mock applies v10's.
    @strict
    Examples:
      | prefix            |
      | /udm/v4           |
      | /data-download/v4 |

  Scenario Outline: <method> <prefix>/export/jobs without the top-level type is 400 and changes nothing
    # Reference 5034 and 5361 (v10: type required), 5066, 5394; 6141 and 6159 (UDM v4 PUT:
    # type required), 6191.
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    Given the body of a suspended export job for <method> on "<prefix>" titled "cxgate {title} renamed"
    And the JSON body has no field "/type"
    When I send a <method> request to "<prefix><path>"
    Then the response status is 400
    When I send a GET request to "<prefix>/export/jobs/{job}"
    Then the response status is 200
    And the JSON at "/title" equals "cxgate {title}"

    Examples:
      | method | prefix   | path                |
      | POST   | /udm/v10 | /export/jobs        |
      | PUT    | /udm/v10 | /export/jobs/{job}  |
      | PUT    | /udm/v4  | /export/jobs/{job}  |

  Scenario Outline: POST <prefix>/export/jobs without the required <field> is 400 and creates nothing
    # Reference 1507-1515 and 5920-5928 (v4: required fields), 5032-5040 (v10); 1538, 5066, 5951 (400).
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    And the JSON body has no field "<pointer>"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 400
    Given the query parameter "title" is "{title}"
    When I send a GET request to "<prefix>/export/jobs"
    Then the response status is 204

    Examples:
      | prefix            | field          | pointer          |
      | /udm/v10          | source         | /source          |
      | /udm/v4           | source         | /source          |
      | /data-download/v4 | source         | /source          |
      | /udm/v10          | timeFrame      | /timeFrame       |
      | /udm/v4           | schedulerParam | /schedulerParam  |
      | /data-download/v4 | jobParams      | /jobParams       |
      | /udm/v10          | jobParams.type | /jobParams/type  |
      | /udm/v4           | jobParams.media | /jobParams/media |
      | /data-download/v4 | jobParams.media | /jobParams/media |
      | /udm/v10          | suspended      | /suspended       |
      | /udm/v4           | suspended      | /suspended       |
      | /data-download/v4 | suspended      | /suspended       |

  Scenario Outline: POST <prefix>/export/jobs with a body that is not a JSON object is 400
    # Reference 1492 and 5013 (the body is the Job model), 1538, 5066, 5951.
    Given the raw body is "<body>" with content type "application/json"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 400

    Examples:
      | prefix            | body         |
      | /udm/v10          | {not json    |
      | /udm/v4           | [1, 2]       |
      | /data-download/v4 | 42           |

  # The reference documents no date, cron or runs format (map ambiguity 52-53) and no
  # check on sources or schedules: these refusals and the envelope naming the field are
  # the mock's.
  @strict
  Scenario Outline: The mock refuses a job on <prefix> with <why> and names <field>
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    And the JSON body field "<pointer>" is <value>
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 400
    And the response body matches the schema "udm/strict/ErrorResponse"
    And the JSON at "/status/code" equals 400
    And the JSON at "/status/detail/field" equals "<field>"
    Given the query parameter "title" is "{title}"
    When I send a GET request to "<prefix>/export/jobs"
    Then the response status is 204

    Examples:
      | prefix            | why                           | pointer                  | value                   | field                  |
      | /udm/v10          | a malformed cron              | /schedulerParam/cron     | "every day at noon"     | schedulerParam.cron    |
      | /udm/v4           | a malformed cron              | /schedulerParam/cron     | "61 * * * *"            | schedulerParam.cron    |
      | /data-download/v4 | a malformed cron              | /schedulerParam/cron     | "* * *"                 | schedulerParam.cron    |
      | /udm/v10          | a time frame ending too early | /timeFrame/dateTo        | "2024-12-31T00:00:00Z"  | timeFrame.dateTo       |
      | /udm/v4           | a time frame ending too early | /timeFrame/dateTo        | "2024-12-31"            | timeFrame.dateTo       |
      | /data-download/v4 | a time frame ending too early | /timeFrame/dateTo        | "2024-06-30T00:00:00Z"  | timeFrame.dateTo       |
      | /udm/v10          | a date that is no date        | /timeFrame/dateFrom      | "yesterday"             | timeFrame.dateFrom     |
      | /udm/v4           | no trigger in schedulerParam  | /schedulerParam          | {"immediately": false}  | schedulerParam         |
      | /data-download/v4 | runs that is no count         | /schedulerParam/runs     | "0"                     | schedulerParam.runs    |
      | /udm/v10          | a source nobody has           | /source                  | "cxgate-no-source"      | source                 |
      | /udm/v4           | a source nobody has           | /source                  | "cxgate-no-source"      | source                 |
      | /udm/v10          | suspended as a string         | /suspended               | "true"                  | suspended              |
      | /udm/v4           | suspended as a boolean        | /suspended               | true                    | suspended              |
      | /data-download/v4 | suspended as a boolean        | /suspended               | false                   | suspended              |
      | /udm/v10          | a type other than UCS or DataSync | /type                | "Other"                 | type                   |
      | /udm/v10          | media that is no list         | /jobParams/media         | "{tenant.udm_media}"    | jobParams.media        |

  Scenario Outline: DELETE <prefix>/export/jobs/{id} deletes a job with 204
    # Reference 1859-1872, 5435-5451, 6227-6241.
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:title}"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "job"
    When I send a DELETE request to "<prefix>/export/jobs/{job}"
    Then the response status is 204
    And the response body is empty
    Given the query parameter "title" is "{title}"
    When I send a GET request to "<prefix>/export/jobs"
    Then the response status is 204

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  Scenario Outline: DELETE <prefix>/export/jobs?jobIDs= deletes every job named with 204
    # Reference 1579-1593, 5103-5122, 5992-6006.
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:batch} one"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "one"
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {batch} two"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "two"
    Given the query parameter "jobIDs" is "{one},{two}"
    When I send a DELETE request to "<prefix>/export/jobs"
    Then the response status is 204
    And the response body is empty
    When I send a GET request to "<prefix>/export/jobs/{one}"
    Then the response status is 404
    When I send a GET request to "<prefix>/export/jobs/{two}"
    Then the response status is 404

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  Scenario Outline: DELETE <prefix>/export/jobs without jobIDs is 400
    # Reference 1587 and 6000 (jobIDs required), 5115, 1593, 5122, 6006 (400).
    When I send a DELETE request to "<prefix>/export/jobs"
    Then the response status is 400

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  # 1582 names an in-progress job as one that cannot be deleted (runs.feature); that an
  # unknown id is one too, listed in the 500's array as a string as it was sent, is the
  # mock's reading.
  @strict
  Scenario Outline: The mock's bulk delete on <prefix> deletes what it can and answers 500 with the ids it could not
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {uuid:batch} one"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "one"
    Given the body of a suspended export job for POST on "<prefix>" titled "cxgate {batch} two"
    When I send a POST request to "<prefix>/export/jobs"
    Then the response status is 202
    And I save the JSON at "/id" as "two"
    When I send a DELETE request to "<prefix>/export/jobs/{two}"
    Then the response status is 204
    Given the query parameter "jobIDs" is "{one},{two}"
    When I send a DELETE request to "<prefix>/export/jobs"
    Then the response status is 500
    And the response body matches the schema "udm/strict/NotDeleted"
    And the array at "" has 1 item
    And the JSON at "/0" equals "{two}"
    When I send a GET request to "<prefix>/export/jobs/{one}"
    Then the response status is 404

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v4           |
      | /data-download/v4 |

  @strict
  Scenario Outline: The mock refuses jobIDs=<value> on <prefix> with 400
    Given the query parameter "jobIDs" is "<value>"
    When I send a DELETE request to "<prefix>/export/jobs"
    Then the response status is 400
    And the response body matches the schema "udm/strict/ErrorResponse"

    Examples:
      | prefix            | value   |
      | /udm/v10          | abc     |
      | /udm/v4           | 1,,2    |
      | /data-download/v4 |         |
