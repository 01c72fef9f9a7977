@messaging
Feature: Media on /nexus/v3/channels/{channelId}/media
  Upload is multipart with one "file" part, signed over the raw multipart bytes; GET and
  DELETE have no body and are signed over the empty body (reference 4099-4340; 4192 and
  4275 say "built using the body"). An unsupported media type is 415 (documented); a
  file over the size limit is 400 (no 413 is documented).

  Background:
    Given the request header "x-ccid" is "{ccid}"

  Scenario: A file is uploaded, downloaded and deleted
    Given the multipart body has a file "photo.png" of type "image/png" with 2048 bytes
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/media"
    Then the response status is 200
    And the response body matches the schema "messaging/UploadResponse"
    And the JSON at "/data/filename" equals "photo.png"
    And the JSON at "/data/mimetype" equals "image/png"
    And the JSON at "/data/length" equals 2048
    And I save the JSON at "/data/mediaId" as "mediaId"
    Given the request header "x-ccid" is "{ccid}"
    And the request is signed with the channel secret
    When I send a GET request to "/nexus/v3/channels/{channel.sms}/media/{mediaId}"
    Then the response status is 200
    And the response header "Content-Type" matches "^image/png"
    Given the request header "x-ccid" is "{ccid}"
    And the request is signed with the channel secret
    When I send a DELETE request to "/nexus/v3/channels/{channel.sms}/media/{mediaId}"
    Then the response status is 200
    And the response body matches the schema "messaging/UploadResponse"
    And the JSON at "/data/mediaId" equals "{mediaId}"
    Given the request header "x-ccid" is "{ccid}"
    And the request is signed with the channel secret
    When I send a GET request to "/nexus/v3/channels/{channel.sms}/media/{mediaId}"
    Then the response status is 404
    And the response body matches the schema "messaging/ResponseError"

  Scenario: An unsupported media type is refused with 415
    Given the multipart body has a file "tool.exe" of type "application/x-msdownload" with 64 bytes
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/media"
    Then the response status is 415
    And the response body matches the schema "messaging/ResponseError"

  Scenario: A file over the size limit is refused
    Given the multipart body has a file "huge.png" of type "image/png" with 6000000 bytes
    And the request is signed with the channel secret
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/media"
    Then the response status is 400
    And the response body matches the schema "messaging/ResponseError"

  Scenario: An unsigned upload is rejected
    Given the multipart body has a file "photo.png" of type "image/png" with 16 bytes
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/media"
    Then the response status is 401

  Scenario: An upload whose bytes changed after signing is rejected
    Given the multipart body has a file "photo.png" of type "image/png" with 16 bytes
    And the request is signed with the channel secret
    And the body is changed by one byte after signing
    When I send a POST request to "/nexus/v3/channels/{channel.sms}/media"
    Then the response status is 401

  Scenario: A download signed with the wrong secret is rejected
    Given the request is signed with the secret "not-the-channel-secret"
    When I send a GET request to "/nexus/v3/channels/{channel.sms}/media/no-such-media"
    Then the response status is 401
    And the response body matches the schema "messaging/ResponseError"

  Scenario: Deleting unknown media is not found
    Given the request is signed with the channel secret
    When I send a DELETE request to "/nexus/v3/channels/{channel.sms}/media/no-such-media"
    Then the response status is 404
    And the response body matches the schema "messaging/ResponseError"
