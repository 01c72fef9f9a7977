#!/usr/bin/env python3
"""Build schemas/catalog.json from the reference's endpoint list and the contract mappings.

Run from the project root:
    python3 schemas/tools/make_catalog.py
Input:  schemas/tools/endpoints.json (every endpoint of the reference, with its lines)
        schemas/*/responses.json (per API: which schema each documented response has)
Output: schemas/catalog.json

A responses.json maps "METHOD /full/path" to {"code": "<dir>/<Name>"}, the schema
schemas/<dir>/<Name>.schema.json; "$comment" says where the choices come from. A new API
family adds its own responses.json and re-runs this script.
"""
import glob
import json
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SRC = os.path.join(ROOT, "schemas", "tools", "endpoints.json")
OUT = os.path.join(ROOT, "schemas", "catalog.json")

SOURCE = "genesys-web-api-reference.txt (7/30/2025)"


def load_contract():
    """Every (method, full_path, code) -> schema name, from every responses.json."""
    contract = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "schemas", "*", "responses.json"))):
        with open(path, encoding="utf-8") as f:
            mapping = json.load(f)["responses"]
        for endpoint, codes in mapping.items():
            method, full_path = endpoint.split(" ", 1)
            for code, schema in codes.items():
                key = (method, full_path, int(code))
                if key in contract:
                    sys.exit(f"{os.path.relpath(path, ROOT)}: {endpoint} {code} is mapped twice")
                contract[key] = schema
    return contract


CONTRACT = load_contract()


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
