@udm
Feature: UDM and CDDS reference data: version, job statuses, sources, types, sub-types, attributes and labels
  Reference 987-1094 and 1257-1279 (CDDS, /data-download/v3), 6308-6416 and 6579-6600
  (UDM /udm/v3, the same text), 4627-4770 and 5631-5688 (/udm/v10). The legacy tables
  name the models: VersionInfo {version, buildNumber, changeset, name} (1263-1269),
  KeyValueItem {label, value} for job statuses and sources (993-997, 1015-1021),
  DataType {name, source} (1079-1083) and SubType {name, displayName, source, dataType,
  enabled} (1046-1053). Sources, types and sub-types may be empty: 204 (1022, 1084,
  1054); sub-types document a 400 as well (1055). The /udm/v10 lookups show only "{}"
  (4641, 4670, 4697, 4727, 4759) and labels no body at all (5639), so that /udm/v10
  answers in the v3 models is the mock's reading (map ambiguity 17): those rows
  are @strict. Every /udm/v10 endpoint but /version wants a bearer token (4572, 5659;
  authentication.feature). What a tenant exports (a source, one of its data types, one
  of that type's sub-types) comes from the profile: {tenant.udm_source},
  {tenant.udm_data_type}, {tenant.udm_media}.

  Background:
    Given I am signed in as the supervisor

  Scenario Outline: GET <prefix>/version answers the service's VersionInfo
    # Reference 1257-1269, 5651-5679, 6579-6591.
    When I send a GET request to "<prefix>/version"
    Then the response status is 200
    And the response body matches the schema "udm/VersionInfo"

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v3           |
      | /data-download/v3 |

  Scenario Outline: GET <prefix>/data/job-statuses lists the job statuses as label and value
    # Reference 987-997, 6308-6319 (the only catalogue of job statuses).
    When I send a GET request to "<prefix>/data/job-statuses"
    Then the response status is 200
    And the response body matches the schema "udm/KeyValueItemList"
    And the JSON at "/0/value" is a non-empty string

    Examples:
      | prefix            |
      | /udm/v3           |
      | /data-download/v3 |

    # /udm/v10 documents the body as {} (4669-4670): the v3 model is the mock's reading.
    @strict
    Examples:
      | prefix   |
      | /udm/v10 |

  # The reference names no status value (map ambiguity 28); these six are the mock's
  # state machine, and every seed must list them.
  @strict
  Scenario Outline: The mock's job statuses on <prefix> are the six states of its export jobs
    When I send a GET request to "<prefix>/data/job-statuses"
    Then the response status is 200
    And the array at "" has an item whose "/value" equals "{tenant.udm_status_scheduled}"
    And the array at "" has an item whose "/value" equals "{tenant.udm_status_suspended}"
    And the array at "" has an item whose "/value" equals "{tenant.udm_status_in_progress}"
    And the array at "" has an item whose "/value" equals "{tenant.udm_status_completed}"
    And the array at "" has an item whose "/value" equals "{tenant.udm_status_failed}"
    And the array at "" has an item whose "/value" equals "{tenant.udm_status_cancelled}"

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v3           |
      | /data-download/v3 |

  Scenario Outline: GET <prefix>/data/sources lists the tenant's source
    # Reference 1009-1022, 6331-6344: KeyValueItem; the value is what Job.source names.
    When I send a GET request to "<prefix>/data/sources"
    Then the response status is 200
    And the response body matches the schema "udm/KeyValueItemList"
    And the array at "" has an item whose "/value" equals "{tenant.udm_source}"

    Examples:
      | prefix            |
      | /udm/v3           |
      | /data-download/v3 |

    # /udm/v10 documents the body as {} (4696-4697).
    @strict
    Examples:
      | prefix   |
      | /udm/v10 |

  Scenario Outline: GET <prefix>/data/types?source= lists the data types of that source
    # Reference 1068-1084 ("Filter data types by source", 1074), 6390-6406.
    Given the query parameter "source" is "{tenant.udm_source}"
    When I send a GET request to "<prefix>/data/types"
    Then the response status is 200
    And the response body matches the schema "udm/DataTypeList"
    And the array at "" has an item whose "/name" equals "{tenant.udm_data_type}"
    And every item of the array at "" has "/source" equal to "{tenant.udm_source}"

    Examples:
      | prefix            |
      | /udm/v3           |
      | /data-download/v3 |

    # /udm/v10 documents the body as {} (4758-4759).
    @strict
    Examples:
      | prefix   |
      | /udm/v10 |

  Scenario Outline: GET <prefix>/data/types of a source nobody has is 204 with no body
    # Reference 1084, 4760, 6406 (204 No Content); 1074 (the source filters the types).
    Given the query parameter "source" is "cxgate-no-source-{uuid:source}"
    When I send a GET request to "<prefix>/data/types"
    Then the response status is 204
    And the response body is empty

    Examples:
      | prefix            |
      | /udm/v10          |
      | /udm/v3           |
      | /data-download/v3 |

  Scenario Outline: GET <prefix>/data/sub-types?source=&dataType= lists the sub-types of that data type
    # Reference 1034-1054 (the two filters, 1040-1041), 6356-6376.
    Given the query parameter "source" is "{tenant.udm_source}"
    And the query parameter "dataType" is "{tenant.udm_data_type}"
    When I send a GET request to "<prefix>/data/sub-types"
    Then the response status is 200
    And the response body matches the schema "udm/SubTypeList"
    And the array at "" has an item whose "/name" equals "{tenant.udm_media}"
    And every item of the array at "" has "/source" equal to "{tenant.udm_source}"
    And every item of the array at "" has "/dataType" equal to "{tenant.udm_data_type}"

    Examples:
      | prefix            |
      | /udm/v3           |
      | /data-download/v3 |

    # /udm/v10 documents the body as {} (4726-4727).
    @strict
    Examples:
      | prefix   |
      | /udm/v10 |

  # 1054-1055 document both 204 and 400 without saying which a lookup of an unknown
  # source or data type gets; the mock answers 400 in its status envelope.
  @strict
  Scenario Outline: The mock refuses sub-types of an unknown <which> on <prefix> with 400
    Given the query parameter "source" is "<source>"
    And the query parameter "dataType" is "<dataType>"
    When I send a GET request to "<prefix>/data/sub-types"
    Then the response status is 400
    And the response body matches the schema "udm/strict/ErrorResponse"
    And the JSON at "/status/code" equals 400

    Examples:
      | prefix            | which     | source                       | dataType                       |
      | /udm/v10          | source    | cxgate-no-source-{uuid:s}    | {tenant.udm_data_type}         |
      | /udm/v3           | source    | cxgate-no-source-{uuid:s}    | {tenant.udm_data_type}         |
      | /data-download/v3 | source    | cxgate-no-source-{uuid:s}    | {tenant.udm_data_type}         |
      | /udm/v10          | data type | {tenant.udm_source}          | cxgate-no-data-type-{uuid:d}   |
      | /udm/v3           | data type | {tenant.udm_source}          | cxgate-no-data-type-{uuid:d}   |
      | /data-download/v3 | data type | {tenant.udm_source}          | cxgate-no-data-type-{uuid:d}   |

  Scenario: GET /udm/v10/data/attributes answers a JSON object
    # Reference 4627-4641: the only body shown is {}.
    Given the query parameter "entities" is "{tenant.udm_media}"
    When I send a GET request to "/udm/v10/data/attributes"
    Then the response status is 200
    And the response body matches the schema "udm/Attributes"
    # Control (4635, 394): without the bearer token the same request is 401.
    Given I send no bearer token
    And the query parameter "entities" is "{tenant.udm_media}"
    When I send a GET request to "/udm/v10/data/attributes"
    Then the response status is 401

  # entities is undescribed (4634) and the body is only {} (4641): the mock keys its
  # attributes by entity and keeps only the entities asked for.
  @strict
  Scenario: The mock's attributes keep only the entities asked for
    Given the query parameter "entities" is "{tenant.udm_media}"
    When I send a GET request to "/udm/v10/data/attributes"
    Then the response status is 200
    And the JSON object at "" has the key "{tenant.udm_media}"
    Given the query parameter "entities" is "cxgate-no-entity-{uuid:e}"
    When I send a GET request to "/udm/v10/data/attributes"
    Then the response status is 200
    And the JSON object at "" has no key "{tenant.udm_media}"
    And the JSON object at "" has no key "cxgate-no-entity-{e}"

  Scenario: GET /udm/v10/resources/labels answers 200 with labels and their values
    # Reference 5631-5639: "get labels and their values", 200 with no body documented.
    When I send a GET request to "/udm/v10/resources/labels"
    Then the response status is 200
    And the response body matches the schema "udm/Labels"
    # Control (322, 400-405): with a wrong API key the same request is refused.
    Given I send the API key "cxgate-wrong-key-{uuid:key}"
    When I send a GET request to "/udm/v10/resources/labels"
    Then the response status is 403

  # 5639 documents no body, and udm/Labels allows an object or an array: the mock's
  # labels are an object (label key to text).
  @strict
  Scenario: The mock's labels are a JSON object of label key to text
    When I send a GET request to "/udm/v10/data/job-statuses"
    Then the response status is 200
    And I save the JSON at "/0/value" as "status"
    When I send a GET request to "/udm/v10/resources/labels"
    Then the response status is 200
    And the JSON at "" is an object
    And the JSON object at "" has the key "{status}"
    Given I send the API key "cxgate-wrong-key-{uuid:key}"
    When I send a GET request to "/udm/v10/resources/labels"
    Then the response status is 403
