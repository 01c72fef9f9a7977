#!/usr/bin/env python3
"""Build schemas/catalog.json from the seed endpoint list.

Run from the project root (/work/main):
    python3 schemas/tools/make_catalog.py
Input:  ../shared/seed/endpoints.json (relative to the project root)
Output: schemas/catalog.json
"""
import json
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SRC = os.path.join(ROOT, "..", "shared", "seed", "endpoints.json")
OUT = os.path.join(ROOT, "schemas", "catalog.json")

SOURCE = "genesys-web-api-reference.txt (7/30/2025)"
AUTH_API = "Authentication API"
STATS_API = "Statistics API"
STATS_NOTIFY_API = "Statistics Notifications API"
# APIs whose responses get a contract_schema from CONTRACT.
TPM_API = "Third-Party Messaging API"
TPM_WEBHOOK = "Third-Party Messaging Webhook"
INTERACTIONS_WEBHOOK = "Interactions Webhook"
OPENMEDIA_API = "Openmedia API"
SECURE_EMAIL_API = "Secure Email API"
CONTRACT_APIS = {AUTH_API, STATS_API, STATS_NOTIFY_API, TPM_API, TPM_WEBHOOK, INTERACTIONS_WEBHOOK,
                 OPENMEDIA_API, SECURE_EMAIL_API}

# Our contract decisions for the Authentication API (and, below, the Statistics and Statistics
# Notifications APIs), keyed by (method, full_path, code).
# Value is "<dir>/<Name>" -> schemas/<dir>/<Name>.schema.json.
# Token errors from the real (Spring OAuth2) server are {"error","error_description"}
# (reference 407-419), not the ErrorResponse shown for 400/401 at 626-641.
TPM_ERRORS = "messaging/ResponseError"
# Openmedia documents every response as {object} (ambiguity 63): our shapes.
OPENMEDIA_BASE = "/nexus/v3/openmedia/{openMediaService}/interactions"
OPENMEDIA = {}
for suffix, method, codes in [
    ("", "POST", (200, 400, 404, 409, 500)),
    ("/ext_{externalId}", "GET", (200, 400, 404, 500)),
    ("/ext_{externalId}/stop", "POST", (200, 400, 404, 500)),
    ("/ext_{externalId}/update", "POST", (200, 400, 404, 500)),
    ("/{interactionId}", "GET", (200, 400, 404, 500)),
    ("/{interactionId}/stop", "POST", (200, 400, 404, 500)),
    ("/{interactionId}/update", "POST", (200, 400, 404, 500)),
]:
    for code in codes:
        OPENMEDIA[(method, OPENMEDIA_BASE + suffix, code)] = (
            "openmedia/InteractionResponse" if code == 200 else "openmedia/ErrorResponse")
SE = "/nexus/v3/securemail"
SE_ERR = "secure-email/GenericResponse"
SECURE_EMAIL = {
    ("GET", SE, 200): "secure-email/ListSecureMailResponse",
    ("GET", SE, 400): SE_ERR, ("GET", SE, 404): SE_ERR, ("GET", SE, 500): SE_ERR,
    ("POST", SE, 200): "secure-email/CreateSecureMailResponse",
    ("POST", SE, 400): SE_ERR, ("POST", SE, 500): SE_ERR,
    ("GET", SE + "/count", 200): "secure-email/CountSecureMailResponse",
    ("GET", SE + "/count", 400): SE_ERR, ("GET", SE + "/count", 404): SE_ERR, ("GET", SE + "/count", 500): SE_ERR,
    ("GET", SE + "/{secureMailId}", 200): "secure-email/RetrieveSecureMailResponse",
    ("GET", SE + "/{secureMailId}", 400): SE_ERR, ("GET", SE + "/{secureMailId}", 500): SE_ERR,
    ("DELETE", SE + "/{secureMailId}", 200): "secure-email/RetrieveSecureMailResponse",
    ("DELETE", SE + "/{secureMailId}", 404): SE_ERR,
    ("GET", SE + "/{secureMailId}/userdata", 200): "secure-email/RetrieveSecureMailUserdataResponse",
    ("GET", SE + "/{secureMailId}/userdata", 400): SE_ERR, ("GET", SE + "/{secureMailId}/userdata", 500): SE_ERR,
}
CONTRACT = {**OPENMEDIA, **SECURE_EMAIL,
    # Third-Party Messaging API (reference 4091-4460). GET media 200 is the file itself
    # (no schema, line 4204); DELETE media answers an UploadResponse (line 4288).
    ("POST", "/nexus/v3/channels/{channelId}/media", 200): "messaging/UploadResponse",
    ("POST", "/nexus/v3/channels/{channelId}/media", 400): TPM_ERRORS,
    ("POST", "/nexus/v3/channels/{channelId}/media", 404): TPM_ERRORS,
    ("POST", "/nexus/v3/channels/{channelId}/media", 415): TPM_ERRORS,
    ("POST", "/nexus/v3/channels/{channelId}/media", 500): TPM_ERRORS,
    ("GET", "/nexus/v3/channels/{channelId}/media/{mediaId}", 400): TPM_ERRORS,
    ("GET", "/nexus/v3/channels/{channelId}/media/{mediaId}", 401): TPM_ERRORS,
    ("GET", "/nexus/v3/channels/{channelId}/media/{mediaId}", 403): TPM_ERRORS,
    ("GET", "/nexus/v3/channels/{channelId}/media/{mediaId}", 404): TPM_ERRORS,
    ("GET", "/nexus/v3/channels/{channelId}/media/{mediaId}", 500): TPM_ERRORS,
    ("DELETE", "/nexus/v3/channels/{channelId}/media/{mediaId}", 200): "messaging/UploadResponse",
    ("DELETE", "/nexus/v3/channels/{channelId}/media/{mediaId}", 400): TPM_ERRORS,
    ("DELETE", "/nexus/v3/channels/{channelId}/media/{mediaId}", 401): TPM_ERRORS,
    ("DELETE", "/nexus/v3/channels/{channelId}/media/{mediaId}", 403): TPM_ERRORS,
    ("DELETE", "/nexus/v3/channels/{channelId}/media/{mediaId}", 404): TPM_ERRORS,
    ("DELETE", "/nexus/v3/channels/{channelId}/media/{mediaId}", 500): TPM_ERRORS,
    ("POST", "/nexus/v3/channels/{channelId}/messages", 200): "messaging/InboundMessageResponse",
    ("POST", "/nexus/v3/channels/{channelId}/messages", 400): TPM_ERRORS,
    ("POST", "/nexus/v3/channels/{channelId}/messages", 401): TPM_ERRORS,
    ("POST", "/nexus/v3/channels/{channelId}/messages", 403): TPM_ERRORS,
    ("POST", "/nexus/v3/channels/{channelId}/messages", 404): TPM_ERRORS,
    ("POST", "/nexus/v3/channels/{channelId}/messages", 500): TPM_ERRORS,
    # The two outbound webhooks: what the third party answers.
    ("POST", "/nexus/v3/some/webhook/path", 200): "webhooks/OutgoingMessageResponse",
    ("POST", "/nexus/v3/some/interactions/webhook/path", 200): "webhooks/EventsResponse",
    ("POST", "/auth/v3/oauth/token", 200): "auth/DefaultOAuth2AccessToken",
    ("POST", "/auth/v3/oauth/token", 400): "auth/OAuthError",
    ("POST", "/auth/v3/oauth/token", 401): "auth/OAuthError",
    ("POST", "/auth/v3/oauth/token", 403): "common/GatewayForbidden",
    ("GET", "/auth/v3/oauth/authorize", 401): "auth/OAuthError",
    ("GET", "/auth/v3/userinfo", 200): "auth/CloudUserDetails",
    ("GET", "/auth/v3/userinfo", 401): "auth/OAuthError",
    ("GET", "/auth/v3/openid/userinfo", 200): "auth/OpenIdUserInfo",
    ("GET", "/auth/v3/openid/userinfo", 401): "auth/OAuthError",
    ("GET", "/auth/v3/jwt-userinfo", 200): "common/ApiResponse",
    ("GET", "/auth/v3/jwt-userinfo", 401): "auth/OAuthError",
    ("GET", "/auth/v3/ping", 200): "common/ApiResponse",
    ("GET", "/auth/v3/ping", 403): "common/ErrorResponse",
    ("GET", "/auth/v3/sign-out", 200): "common/ApiResponse",
    ("GET", "/auth/v3/sign-out", 401): "auth/OAuthError",
    ("POST", "/auth/v3/sign-out", 200): "common/ApiResponse",
    ("POST", "/auth/v3/sign-out", 401): "auth/OAuthError",
    ("POST", "/auth/v3/change-password", 200): "common/ApiResponse",
    ("POST", "/auth/v3/change-password", 403): "common/ErrorResponse",
}

# Statistics API (reference 2815-3300). 200 bodies are the typed envelopes of the model tables
# (PeekedStatisticsResponse 2831-2852, PeekedStatisticResponse 2938-2956, StatisticDataResponse
# 3061-3085 and 3231-3256); every documented error code carries the generic ApiResponse. DELETE
# is fire-and-forget and always answers ApiResponse (2736, 3172). Only codes present in the
# input are listed (GET .../statistic-values documents no 400/404, CATALOG item 57).
_STATS = "/statistics/v3"
_STATS_ERRORS = {
    ("POST", _STATS + "/operations/get-statistic-ex"): (400, 500, 503, 504),
    ("GET", _STATS + "/statistic-values/{statisticName}"): (400, 404, 500, 503, 504),
    ("POST", _STATS + "/subscriptions"): (400, 403, 500, 503, 504),
    ("GET", _STATS + "/subscriptions/{id}/statistic-values"): (500, 503, 504),
}
CONTRACT.update({
    ("POST", _STATS + "/operations/get-statistic-ex", 200): "statistics/PeekedStatisticsResponse",
    ("GET", _STATS + "/statistic-values/{statisticName}", 200): "statistics/PeekedStatisticResponse",
    ("POST", _STATS + "/subscriptions", 200): "statistics/StatisticDataResponse",
    ("DELETE", _STATS + "/subscriptions/{id}", 200): "common/ApiResponse",
    ("GET", _STATS + "/subscriptions/{id}/statistic-values", 200): "statistics/StatisticDataResponse",
})
for (_method, _path), _codes in _STATS_ERRORS.items():
    for _code in _codes:
        CONTRACT[(_method, _path, _code)] = "common/ApiResponse"

# Statistics Notifications API (CometD, reference 3319-3445): only 200 is mapped. Each reply
# schema describes ONE Bayeux message; the HTTP body is a JSON array of such messages, so the
# harness applies the schema to the array element(s) whose channel matches. POST /notifications
# carries every message type; its contract is the /meta/connect reply. The 500s stay unmapped
# (a real server answers with a Spring Boot error body, not a Bayeux message).
CONTRACT.update({
    ("POST", _STATS + "/notifications", 200): "statistics/BayeuxConnectReply",
    ("POST", _STATS + "/notifications/handshake", 200): "statistics/BayeuxHandshakeReply",
    ("POST", _STATS + "/notifications/connect", 200): "statistics/BayeuxConnectReply",
    ("POST", _STATS + "/notifications/subscribe", 200): "statistics/BayeuxSubscribeReply",
    ("POST", _STATS + "/notifications/unsubscribe", 200): "statistics/BayeuxUnsubscribeReply",
    ("POST", _STATS + "/notifications/disconnect", 200): "statistics/BayeuxDisconnectReply",
})


def first_line(ep):
    """First line number available, in the order usage, params, responses, source_lines."""
    usage = ep.get("usage") or {}
    if isinstance(usage, dict) and usage.get("source_line") is not None:
        return usage["source_line"]
    for p in ep.get("params") or []:
        if p.get("source_line") is not None:
            return p["source_line"]
    for r in ep.get("responses") or []:
        if r.get("source_line") is not None:
            return r["source_line"]
    lines = ep.get("source_lines") or []
    return lines[0] if lines else None


def trim_param(p):
    out = {"name": p["name"], "in": p["in"], "required": bool(p.get("required"))}
    if "type" in p:
        out["type"] = p["type"]
    if p.get("default") is not None:
        out["default"] = p["default"]
    if "enum" in p:
        out["enum"] = p["enum"]
    return out


def main():
    with open(SRC, encoding="utf-8") as f:
        endpoints = json.load(f)

    used_keys = set()
    out = []
    seen = {}
    renamed = []
    for ep in endpoints:
        ident = f'{ep["method"]} {ep["full_path"]}'
        if ident in seen:
            new = f'{ident} ({ep.get("section")})'
            renamed.append((ident, new))
            ident = new
        seen[ident] = True

        item = {
            "id": ident,
            "api": ep["api"],
            "base_path": ep["base_path"],
            "method": ep["method"],
            "path": ep["path"],
            "full_path": ep["full_path"],
        }
        if ep.get("section") is not None:
            item["section"] = ep["section"]
        item["summary"] = ep.get("summary")
        item["deprecated"] = bool(ep.get("deprecated"))
        item["direction"] = ep.get("direction")
        item["source_line"] = first_line(ep)
        item["params"] = [trim_param(p) for p in ep.get("params") or []]

        responses = []
        for r in ep.get("responses") or []:
            resp = {"code": r["code"], "reason": r.get("reason"), "schema": r.get("schema")}
            if ep["api"] in CONTRACT_APIS:
                key = (ep["method"], ep["full_path"], r["code"])
                if key in CONTRACT:
                    resp["contract_schema"] = CONTRACT[key]
                    used_keys.add(key)
            responses.append(resp)
        item["responses"] = responses
        out.append(item)

    ids = [e["id"] for e in out]
    assert len(ids) == len(endpoints), (len(ids), len(endpoints))
    assert len(set(ids)) == len(ids), "duplicate ids"

    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"source": SOURCE, "endpoints": out}, f, indent=2, ensure_ascii=False)
        f.write("\n")

    print(f"wrote {os.path.relpath(OUT, ROOT)}: {len(out)} endpoints, {len(set(ids))} unique ids")
    for old, new in renamed:
        print(f"  duplicate id disambiguated: {old!r} -> {new!r}")
    if not renamed:
        print("  no duplicate METHOD+full_path pairs")
    unmatched = sorted(set(CONTRACT) - used_keys)
    if unmatched:
        print("  mapping keys that matched nothing:")
        for k in unmatched:
            print(f"    {k[0]} {k[1]} {k[2]} -> {CONTRACT[k]}")
    else:
        print("  every mapping key matched a documented response")
    mapped = sum(1 for e in out for r in e["responses"] if "contract_schema" in r)
    print(f"  contract_schema set on {mapped} responses")
    return 0


if __name__ == "__main__":
    sys.exit(main())
