#!/usr/bin/env python3
"""Writes bench/schema/errors.schema.json, the peers' schema until `cyoda help errors --format
schema` exists.

It is written from the catalog facts table in bench/gen/gen.py (copied from
shared/catalog/errors.tsv), not from cyoda: the peers must not inherit a cyoda bug. One
`if`/`then` per code, discriminated by properties.errorCode: status, title (reason phrase),
ticket required or forbidden, properties.retryable true and required (`yes`), false or absent
(`no`), any boolean (`conditional`). Only rules at error severity are encoded; cyoda's warnings
(detail-prefix, extension-member, reserved-code) are not. Run it after changing the table:
    python3 bench/schema/make-schema.py
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gen"))
from gen import CATALOG  # noqa: E402

UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


def per_code(code, status, reason, retryable, ticket):
    then = {
        "type": "object",
        "properties": {"status": {"const": status}, "title": {"const": reason}},
    }
    if ticket == "required":
        then["required"] = ["ticket"]
    else:
        then["not"] = {"required": ["ticket"]}
    if retryable == "yes":
        then["properties"]["properties"] = {
            "type": "object",
            "properties": {"retryable": {"const": True}},
            "required": ["retryable"],
        }
    elif retryable == "no":
        then["properties"]["properties"] = {
            "type": "object",
            "properties": {"retryable": {"const": False}},
        }
    return {
        "if": {
            "type": "object",
            "properties": {
                "properties": {"type": "object", "properties": {"errorCode": {"const": code}}}
            },
        },
        "then": then,
    }


def main():
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.invalid/cyoda-bench/errors.schema.json",
        "title": "Cyoda REST error response, cyoda-go 0.6.2 catalog (benchmark peers' schema)",
        "type": "object",
        "required": ["type", "title", "status", "instance", "properties"],
        "properties": {
            "type": {"type": "string", "format": "uri-reference"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string", "pattern": "^/"},
            "ticket": {"type": "string", "format": "uuid", "pattern": UUID},
            "properties": {
                "type": "object",
                "required": ["errorCode"],
                "properties": {
                    "errorCode": {"type": "string", "enum": sorted(CATALOG)},
                    "retryable": {"type": "boolean"},
                },
            },
        },
        "allOf": [
            per_code(code, f[0], f[1], f[2], f[3]) for code, f in sorted(CATALOG.items())
        ],
    }
    with open(os.path.join(HERE, "errors.schema.json"), "w", encoding="utf-8") as f:
        json.dump(schema, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
