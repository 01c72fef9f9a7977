#!/usr/bin/env python3
"""Check the JSON Schemas under schemas/ and the contract_schema names in catalog.json.

Run from anywhere:  python3 schemas/tools/check_examples.py [-v]
Needs: pip install jsonschema referencing   (jsonschema >= 4.18)

Checks, for every schemas/**/<Name>.schema.json:
  - $schema is draft 2020-12, $id is https://cxgate.invalid/schemas/<dir>/<Name>.schema.json,
    title and description are present, and the schema itself is a valid 2020-12 schema;
  - every $ref resolves (relative refs resolved against $id through a referencing Registry);
  - "examples" has >= 2 documents and each is valid (format checking on);
  - "x-counter-examples" has >= 2 {"why", "document"} entries and each document is invalid.
And every contract_schema named in schemas/catalog.json has a file.
-v prints the validation errors of each counter-example, to confirm they fail for the stated reason.
"""
import glob
import json
import os
import sys

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.dirname(HERE)
DRAFT = "https://json-schema.org/draft/2020-12/schema"
ID_PREFIX = "https://cxgate.invalid/schemas/"
VERBOSE = "-v" in sys.argv[1:]


def iter_refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                yield v
            elif k not in ("examples", "x-counter-examples"):
                yield from iter_refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from iter_refs(v)


def main():
    failures = []
    files = sorted(glob.glob(os.path.join(SCHEMAS, "*", "*.schema.json")))
    schemas = {}
    for path in files:
        rel = os.path.relpath(path, SCHEMAS)
        with open(path, encoding="utf-8") as f:
            schemas[rel] = json.load(f)

    resources = []
    for rel, s in schemas.items():
        want_id = ID_PREFIX + rel.replace(os.sep, "/")
        if s.get("$schema") != DRAFT:
            failures.append(f"{rel}: $schema is {s.get('$schema')!r}")
        if s.get("$id") != want_id:
            failures.append(f"{rel}: $id is {s.get('$id')!r}, want {want_id!r}")
        for key in ("title", "description"):
            if not s.get(key):
                failures.append(f"{rel}: missing {key}")
        try:
            Draft202012Validator.check_schema(s)
        except Exception as e:  # SchemaError
            failures.append(f"{rel}: not a valid 2020-12 schema: {e.message}")
        resources.append((s.get("$id", want_id), Resource(contents=s, specification=DRAFT202012)))
    registry = Registry().with_resources(resources)

    n_ex = n_cx = 0
    for rel, s in schemas.items():
        validator = Draft202012Validator(
            s, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        resolver = registry.resolver(base_uri=s["$id"])
        for ref in sorted(set(iter_refs(s))):
            try:
                resolver.lookup(ref)
            except Exception as e:
                failures.append(f"{rel}: $ref {ref!r} does not resolve ({type(e).__name__})")

        examples = s.get("examples")
        if not isinstance(examples, list) or len(examples) < 2:
            failures.append(f"{rel}: needs >= 2 examples")
            examples = examples if isinstance(examples, list) else []
        for i, doc in enumerate(examples):
            n_ex += 1
            errs = list(validator.iter_errors(doc))
            if errs:
                failures.append(f"{rel}: examples[{i}] is invalid: " + "; ".join(e.message for e in errs))

        counters = s.get("x-counter-examples")
        if not isinstance(counters, list) or len(counters) < 2:
            failures.append(f"{rel}: needs >= 2 x-counter-examples")
            counters = counters if isinstance(counters, list) else []
        for i, cx in enumerate(counters):
            n_cx += 1
            if not (isinstance(cx, dict) and isinstance(cx.get("why"), str) and cx.get("why") and "document" in cx):
                failures.append(f"{rel}: x-counter-examples[{i}] must be {{why, document}}")
                continue
            errs = list(validator.iter_errors(cx["document"]))
            if not errs:
                failures.append(f"{rel}: x-counter-examples[{i}] ({cx['why']}) is VALID")
            elif VERBOSE:
                print(f"  {rel} counter[{i}] {cx['why']}")
                for e in errs:
                    print(f"      -> {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}")

    catalog_path = os.path.join(SCHEMAS, "catalog.json")
    n_contract = 0
    with open(catalog_path, encoding="utf-8") as f:
        catalog = json.load(f)
    ids = [e["id"] for e in catalog["endpoints"]]
    if len(ids) != len(set(ids)):
        failures.append("catalog.json: duplicate endpoint ids")
    for ep in catalog["endpoints"]:
        for r in ep["responses"]:
            name = r.get("contract_schema")
            if name is None:
                continue
            n_contract += 1
            if name.replace("/", os.sep) + ".schema.json" not in schemas:
                failures.append(f"catalog.json: {ep['id']} {r['code']} -> {name}: no schemas/{name}.schema.json")

    print(f"schemas: {len(schemas)}; examples checked: {n_ex}; counter-examples checked: {n_cx}; "
          f"catalog endpoints: {len(ids)}; contract_schema refs checked: {n_contract}")
    if failures:
        print(f"FAIL ({len(failures)})")
        for msg in failures:
            print("  " + msg)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
