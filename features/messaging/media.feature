@messaging
Feature: Media on /nexus/v3/channels/{channelId}/media
  Upload (reference 4099-4161) is multipart with one "file" part (4111), signed over the
  raw multipart bytes (4107); the 200 answer is an UploadResponse whose filename, mimetype
  and length describe the file (4116-4131). Download (4184-4244) gives the file back; its
  200 documents no content type (4204). Delete (4267-4342) answers the deleted media's
  UploadResponse (4287). GET and DELETE carry no body and are signed over the empty body
  (4192, 4275: "built using the body"). Documented errors: 400 Bad Request (4132, 4205,
  4304), 401 for GET and DELETE (4214, 4313), 403 (4226, 4322), 404 "Channel not found"
  (4143, 4235, 4333), 415 Unsupported Media Type for uploads (4152).
  The media type uploaded outside @strict scenarios is the tenant's {tenant.media_type}.
  Which types are refused, the size limit, 401 on uploads (POST documents none) and 404
  for unknown media (404 is documented for an unknown channel) are the mock's choices:
  those scenarios are @strict. Every upload that succeeds is deleted after the scenario.

  Background:
    Given the request header "x-ccid" is "{ccid}"

  Scenario: A file is uploaded, downloaded byte for byte and deleted
    # Reference 4116-4131 (UploadResponse), 4204 (download), 4287 (delete answer).
    Given the multipart body has a file "cxgate-upload" of type "{tenant.media_type}" with 2048 bytes
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/media"
    Then the response status is 200
    And the response body matches the schema "messaging/UploadResponse"
    And I save the uploaded media id as "mediaId", deleted after the scenario
    And the JSON at "/data/filename" equals "cxgate-upload"
    And the JSON at "/data/mimetype" equals "{tenant.media_type}"
    And the JSON at "/data/length" equals 2048
    Given the request header "x-ccid" is "{ccid}"
    And the request is signed with the channel secret
    When I send a GET request to "/nexus/v3/channels/{channel.sms}/media/{mediaId}"
    Then the response status is 200
    And the response body is the uploaded file
    Given the request header "x-ccid" is "{ccid}"
    And the request is signed with the channel secret
    When I send a DELETE request to "/nexus/v3/channels/{channel.sms}/media/{mediaId}"
    Then the response status is 200
    And the response body matches the schema "messaging/UploadResponse"
    And the JSON at "/data/mediaId" equals "{mediaId}"
    Given the request header "x-ccid" is "{ccid}"
    And the request is signed with the channel secret
    When I send a GET request to "/nexus/v3/channels/{channel.sms}/media/{mediaId}"
    Then the response status is a client error

  @strict
  Scenario: A download is served with the uploaded media type, and deleted media is 404
    # Mock's choice: 4204 documents no content type; 404 is "Channel not found" (4235).
    Given the multipart body has a file "cxgate-upload" of type "{tenant.media_type}" with 512 bytes
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/media"
    Then the response status is 200
    And I save the uploaded media id as "mediaId", deleted after the scenario
    Given the request header "x-ccid" is "{ccid}"
    And the request is signed with the channel secret
    When I send a GET request to "/nexus/v3/channels/{channel.sms}/media/{mediaId}"
    Then the response status is 200
    And the response header "Content-Type" matches "^{tenant.media_type}"
    Given the request header "x-ccid" is "{ccid}"
    And the request is signed with the channel secret
    When I send a DELETE request to "/nexus/v3/channels/{channel.sms}/media/{mediaId}"
    Then the response status is 200
    Given the request header "x-ccid" is "{ccid}"
    And the request is signed with the channel secret
    When I send a GET request to "/nexus/v3/channels/{channel.sms}/media/{mediaId}"
    Then the response status is 404
    And the response body matches the schema "messaging/ResponseError"

  @strict
  Scenario: A media type outside the mock's allow-list is refused with 415
    # 415 is documented (4152); which types a deployment refuses is its configuration
    # (the mock's allow-list is [messaging] media_types of targets/mock.toml).
    Given the multipart body has a file "tool.exe" of type "application/x-msdownload" with 64 bytes
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/media"
    Then the response status is 415
    And the response body matches the schema "messaging/ResponseError"

  @strict
  Scenario: A file over the mock's size limit is refused with 400
    # No limit is documented (4099-4161); the mock's is [messaging] max_media_bytes (5 MiB),
    # and as no 413 is documented it answers the documented 400 (4132).
    Given the multipart body has a file "huge.bin" of type "{tenant.media_type}" with 6000000 bytes
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/media"
    Then the response status is 400
    And the response body matches the schema "messaging/ResponseError"

  Scenario: An upload without a file part is a bad request
    # Reference 4111 (the "file" form part), 4132 (400).
    Given the multipart body has no file part
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/media"
    Then the response status is 400
    And the response body matches the schema "messaging/ResponseError"

  Scenario: An upload to an unknown channel is not found
    # Reference 4143 (404 "Channel not found").
    Given the multipart body has a file "cxgate-upload" of type "{tenant.media_type}" with 16 bytes
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/1234567890/media"
    Then the response status is 404
    And the response body matches the schema "messaging/ResponseError"

  Scenario: An upload is accepted signed and refused unsigned
    # Reference 4107: the signature is required; POST media documents no 401, so only a
    # client error is asserted (the exact 401 is @strict below).
    Given the multipart body has a file "cxgate-upload" of type "{tenant.media_type}" with 16 bytes
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/media"
    Then the response status is 200
    And I save the uploaded media id as "mediaId", deleted after the scenario
    Given the request header "x-ccid" is "{ccid}"
    And the multipart body has a file "cxgate-upload" of type "{tenant.media_type}" with 16 bytes
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/media"
    Then the response status is a client error

  Scenario: An upload is accepted as signed and refused when its bytes changed after signing
    # Reference 4107 (the signature covers the body); see the scenario above for the code.
    Given the multipart body has a file "cxgate-upload" of type "{tenant.media_type}" with 16 bytes
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/media"
    Then the response status is 200
    And I save the uploaded media id as "mediaId", deleted after the scenario
    Given the request header "x-ccid" is "{ccid}"
    And the multipart body has a file "cxgate-upload" of type "{tenant.media_type}" with 16 bytes
    And the request is signed with the channel secret
    And the body is changed by one byte after signing
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/media"
    Then the response status is a client error

  @strict
  Scenario: An unsigned or altered upload is refused with 401
    # The mock's choice: 401 as for GET and DELETE (4214, 4313); POST documents none.
    Given the multipart body has a file "cxgate-upload" of type "{tenant.media_type}" with 16 bytes
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/media"
    Then the response status is 401
    And the response body matches the schema "messaging/ResponseError"
    Given the request header "x-ccid" is "{ccid}"
    And the multipart body has a file "cxgate-upload" of type "{tenant.media_type}" with 16 bytes
    And the request is signed with the channel secret
    And the body is changed by one byte after signing
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/media"
    Then the response status is 401
    And the response body matches the schema "messaging/ResponseError"

  Scenario: A download signed with the wrong secret is rejected
    # Reference 4214 (401).
    Given the request is signed with the secret "not-the-channel-secret"
    When I send a GET request to "/nexus/v3/channels/{channel.sms}/media/no-such-media"
    Then the response status is 401
    And the response body matches the schema "messaging/ResponseError"

  Scenario: A download without x-ccid is a bad request
    # Reference 4193 (x-ccid required), 4205 (400).
    Given the request header "x-ccid" is not sent
    And the request is signed with the channel secret
    When I send a GET request to "/nexus/v3/channels/{channel.sms}/media/no-such-media"
    Then the response status is 400
    And the response body matches the schema "messaging/ResponseError"

  Scenario: Deleting media a second time is refused
    # Reference 4287 (the first delete answers the UploadResponse); 4267-4342 document no
    # answer for media that is gone, so only a client error is asserted.
    Given the multipart body has a file "cxgate-upload" of type "{tenant.media_type}" with 16 bytes
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/media"
    Then the response status is 200
    And I save the uploaded media id as "mediaId", deleted after the scenario
    Given the request header "x-ccid" is "{ccid}"
    And the request is signed with the channel secret
    When I send a DELETE request to "/nexus/v3/channels/{channel.sms}/media/{mediaId}"
    Then the response status is 200
    And the response body matches the schema "messaging/UploadResponse"
    Given the request header "x-ccid" is "{ccid}"
    And the request is signed with the channel secret
    When I send a DELETE request to "/nexus/v3/channels/{channel.sms}/media/{mediaId}"
    Then the response status is a client error

  @strict
  Scenario: Deleting unknown media is 404
    # The mock's choice: 404 is documented as "Channel not found" (4333).
    Given the request is signed with the channel secret
    When I send a DELETE request to "/nexus/v3/channels/{channel.sms}/media/no-such-media"
    Then the response status is 404
    And the response body matches the schema "messaging/ResponseError"
