#!/usr/bin/env python3
"""Deterministic corpora for the cyoda benchmark.

Writes, under OUT:
  dir/            FILES response bodies, one per file, in sub-folders of 100 (a recursive walk)
  responses.ndjson  NDJSON_LINES responses, one per line
  capture.har     HAR_ENTRIES entries, one entry per line (so a line number names an entry)
  small.json      one valid response (the single-small-file timing)
  expected/dir.tsv, expected/ndjson.tsv, expected/har.tsv
                  exactly the invalid responses, one per row: locator <TAB> rule.
                  Locators: the file's path relative to dir/; the 1-based NDJSON line; the
                  1-based index of the HAR entry in log.entries.
  expected/har-lines.tsv  entry index <TAB> line of capture.har holding that entry
  manifest.json   the parameters and counts, for the report

Python 3.11 standard library only, on purpose: the machine already has CPython (the
check-jsonschema peer needs it anyway), so the corpora cost no compile step, and the output is
a pure function of (seed, sizes): `random.Random(seed)` is stable across CPython versions for
the calls used here (random(), randrange(), choice(), getrandbits()).

Every valid response follows the catalog facts exactly (read from the repository's pinned
catalog help/errors.tsv, cyoda-go 0.6.2) and the envelope of shared/catalog/envelope.md:
type "about:blank", title = reason phrase of the documented status, status = documented status,
detail "<CODE>: ...", instance "/entity/<uuid>", ticket (lowercase hyphenated UUID v4) exactly
when the code's ticket column is `required`, properties.errorCode, properties.retryable: true
exactly when retryable is `yes` (omitted otherwise), members in the order Go's encoder writes
them and properties' keys sorted. The reserved IDEMPOTENCY_CONFLICT is never used: it warns.

About 5% of responses are invalid, each breaking exactly one rule, spread evenly over the kinds
in INVALID_KINDS; the expected files record which response breaks which rule.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import sys

# The catalog facts come from the repository's pinned catalog, help/errors.tsv, so the corpora
# follow the same facts as the binary. Extra `properties` members (from the error pages' front
# matter) are the few below.
PINNED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "help", "errors.tsv")
SERVER_PROPERTIES = {
    "CONFLICT": ("entityId", "entityName", "entityVersion", "expectedState", "actualState"),
    "ENTITY_NOT_FOUND": ("entityId", "messageId"),
    "MODEL_NOT_FOUND": ("entityName", "entityVersion"),
}


def load_catalog(path: str) -> dict:
    """code -> (status, reason phrase, retryable, ticket, reserved, server properties)."""
    catalog = {}
    with open(path, encoding="utf-8") as tsv:
        header = tsv.readline().rstrip("\n").split("\t")
        for line in tsv:
            if not line.strip():
                continue
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            catalog[row["code"]] = (
                int(row["http_status"]),
                row["reason_phrase"],
                row["retryable"],
                row["ticket"],
                row["reserved"] == "yes",
                SERVER_PROPERTIES.get(row["code"], ()),
            )
    return catalog


CATALOG = load_catalog(PINNED)

# What the message after "<CODE>: " says; wording is ours, from the catalog's `meaning` column.
MESSAGES = {
    "BAD_REQUEST": "request body is not valid JSON",
    "CLUSTER_NODE_NOT_REGISTERED": "node is not registered in cluster membership",
    "COMPUTE_MEMBER_DISCONNECTED": "compute member disconnected before replying",
    "CONFLICT": "transaction conflict \u2014 retry",
    "DISPATCH_FORWARD_FAILED": "forwarding the processor call to the owning node failed",
    "DISPATCH_TIMEOUT": "no reply from compute member within the dispatch timeout",
    "ENTITY_NOT_FOUND": "entity not found",
    "EPOCH_MISMATCH": "shard ownership epoch is stale",
    "FORBIDDEN": "caller lacks the role required for this endpoint",
    "HELP_TOPIC_NOT_FOUND": "no help topic with this path",
    "MODEL_NOT_FOUND": "cannot find model entityName=invoice, version=3",
    "MODEL_NOT_LOCKED": "model invoice version 3 is not locked",
    "NOT_IMPLEMENTED": "this route is not implemented",
    "NO_COMPUTE_MEMBER_FOR_TAG": "no compute member available for the required tags",
    "POLYMORPHIC_SLOT": "payload node kind differs from the registered schema",
    "SEARCH_JOB_ALREADY_TERMINAL": "search job already finished",
    "SEARCH_JOB_NOT_FOUND": "search job not found",
    "SEARCH_RESULT_LIMIT": "requested page size exceeds the server cap",
    "SEARCH_SHARD_TIMEOUT": "search shard did not reply before the timeout",
    "SERVER_ERROR": "internal error",
    "TRANSACTION_EXPIRED": "transaction routing token expired",
    "TRANSACTION_NODE_UNAVAILABLE": "node owning the transaction is unreachable",
    "TRANSACTION_NOT_FOUND": "transaction is not active on this node",
    "TRANSITION_NOT_FOUND": "transition is not defined for the current state",
    "TX_CONFLICT": "serialization conflict, transaction aborted",
    "TX_COORDINATOR_NOT_CONFIGURED": "no distributed transaction coordinator on this node",
    "TX_NO_STATE": "coordinator has no state for this transaction",
    "TX_REQUIRED": "operation needs a transaction context",
    "UNAUTHORIZED": "credentials missing or invalid",
    "VALIDATION_FAILED": "workflow definitions fail static validation",
    "WORKFLOW_FAILED": "workflow step failed during transition",
    "WORKFLOW_NOT_FOUND": "no workflow definitions stored for the model",
}

# Codes a valid response may carry: all but the reserved ones (they warn: rule reserved-code).
VALID_CODES = sorted(c for c, facts in CATALOG.items() if not facts[4])
CODES_4XX = [c for c in VALID_CODES if CATALOG[c][0] < 500]
CODES_NOT_RETRYABLE = [c for c in VALID_CODES if CATALOG[c][2] == "no"]
CODES_WITH_TICKET = [c for c in VALID_CODES if CATALOG[c][3] == "required"]

# Statuses a status-mismatch response may claim, each with its own reason phrase, so that only
# status-mismatch fires (the title stays the reason phrase of the claimed status).
OTHER_4XX = {400: "Bad Request", 404: "Not Found", 409: "Conflict", 410: "Gone"}
# Codes that are not in the catalog (INCOMPATIBLE_TYPE first appears in cyoda-go 0.6.3).
UNKNOWN_CODES = ["ENTITY_NOT_FOUNDD", "INCOMPATIBLE_TYPE", "RATE_LIMITED", "NOT_FOUND"]

# Each invalid response breaks exactly one rule; the value is the cyoda rule id it must trigger.
INVALID_KINDS = {
    "status": "status-mismatch",
    "title": "title-mismatch",
    "retryable": "retryable-mismatch",
    "no-instance": "missing-member",
    "unknown-code": "unknown-code",
    "no-ticket": "ticket-missing",
    "syntax": "invalid-json",
}
INVALID_RATE = 0.05


def uuid4(rng: random.Random) -> str:
    """A lowercase hyphenated UUID v4 drawn from rng (uuid.uuid4() would use os.urandom)."""
    n = rng.getrandbits(128)
    n &= ~(0xF000 << 64)
    n |= 0x4000 << 64  # version 4
    n &= ~(0xC000 << 48)
    n |= 0x8000 << 48  # RFC 4122 variant
    h = f"{n:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def valid_response(rng: random.Random, code: str) -> dict:
    """One conforming response for code, as the 0.6.2 server's encoder would order it."""
    status, reason, retryable, ticket, _reserved, server_props = CATALOG[code]
    entity = uuid4(rng)
    body = {"type": "about:blank", "title": reason, "status": status}
    tid = uuid4(rng) if ticket == "required" else None
    if code == "SERVER_ERROR":
        body["detail"] = f"SERVER_ERROR: internal error [ticket: {tid}]"
    else:
        body["detail"] = f"{code}: {MESSAGES[code]} (id={entity})"
    body["instance"] = f"/entity/{entity}"
    if tid is not None:
        body["ticket"] = tid
    props = {"errorCode": code}
    if retryable == "yes":
        props["retryable"] = True
    # Half of the codes that document extra properties carry some, with their JSON types.
    if server_props and rng.random() < 0.5:
        if "entityId" in server_props:
            props["entityId"] = entity
        if "entityName" in server_props:
            props["entityName"] = "invoice"
            props["entityVersion"] = rng.randrange(1, 20)
    body["properties"] = dict(sorted(props.items()))
    return body


def invalid_response(rng: random.Random, kind: str) -> tuple[dict | None, str | None]:
    """A response breaking exactly one rule. Returns (body, None) or (None, raw text) for a
    syntax error."""
    if kind == "status":
        code = rng.choice(CODES_4XX)
        body = valid_response(rng, code)
        wrong = rng.choice([s for s in OTHER_4XX if s != CATALOG[code][0]])
        body["status"], body["title"] = wrong, OTHER_4XX[wrong]
        return body, None
    if kind == "title":
        code = rng.choice(VALID_CODES)
        body = valid_response(rng, code)
        # A phrase that is not the reason phrase of the status: another code's, or a casing slip.
        body["title"] = rng.choice(
            [p for p in sorted({f[1] for f in CATALOG.values()}) if p != body["title"]]
            + [body["title"].upper()]
        )
        return body, None
    if kind == "retryable":
        body = valid_response(rng, rng.choice(CODES_NOT_RETRYABLE))
        body["properties"]["retryable"] = True
        body["properties"] = dict(sorted(body["properties"].items()))
        return body, None
    if kind == "no-instance":
        body = valid_response(rng, rng.choice(VALID_CODES))
        del body["instance"]
        return body, None
    if kind == "unknown-code":
        code = rng.choice(UNKNOWN_CODES)
        entity = uuid4(rng)
        return {
            "type": "about:blank",
            "title": "Bad Request",
            "status": 400,
            "detail": f"{code}: request rejected (id={entity})",
            "instance": f"/entity/{entity}",
            "properties": {"errorCode": code},
        }, None
    if kind == "no-ticket":
        body = valid_response(rng, rng.choice(CODES_WITH_TICKET))
        del body["ticket"]
        if body["properties"]["errorCode"] == "SERVER_ERROR":
            body["detail"] = "SERVER_ERROR: internal error"
        return body, None
    if kind == "syntax":
        # The slip of the shared corpus: a comma missing between two members. One line, so an
        # NDJSON reader can still find the next response.
        text = compact(valid_response(rng, rng.choice(VALID_CODES)))
        return None, text.replace(',"instance":', ' "instance":', 1)
    raise ValueError(kind)


def compact(body: dict) -> str:
    """Go's json.Encoder output without the trailing newline: compact, non-ASCII kept."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


class Stream:
    """The sequence of responses: the same seed gives the same responses and the same verdicts."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.kinds = list(INVALID_KINDS)
        self.codes_cycle = 0

    def next(self) -> tuple[str, str | None]:
        """(text, rule or None). text is the compact body (or broken text for a syntax error)."""
        rng = self.rng
        if rng.random() < INVALID_RATE:
            kind = rng.choice(self.kinds)
            body, raw = invalid_response(rng, kind)
            return (raw if raw is not None else compact(body)), INVALID_KINDS[kind]
        return compact(valid_response(rng, rng.choice(VALID_CODES))), None


def write_dir(out: str, n: int, seed: int) -> tuple[int, list[tuple[str, str]]]:
    """n files, 100 per sub-folder; one in ten pretty-printed as a person would save it."""
    stream = Stream(seed)
    expected = []
    total = 0
    for i in range(n):
        text, rule = stream.next()
        rel = f"batch-{i // 100:03d}/response-{i:05d}.json"
        path = os.path.join(out, "dir", rel)
        if i % 100 == 0:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        if rule != "invalid-json" and stream.rng.random() < 0.1:
            text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        data = (text + "\n").encode()
        with open(path, "wb") as f:
            f.write(data)
        total += len(data)
        if rule:
            expected.append((rel, rule))
    return total, expected


def write_ndjson(out: str, n: int, seed: int) -> tuple[int, list[tuple[str, str]]]:
    stream = Stream(seed)
    expected = []
    total = 0
    with open(os.path.join(out, "responses.ndjson"), "wb") as f:
        for line in range(1, n + 1):
            text, rule = stream.next()
            data = (text + "\n").encode()
            f.write(data)
            total += len(data)
            if rule:
                expected.append((str(line), rule))
    return total, expected


def write_har(out: str, n: int, seed: int):
    """A HAR 1.2 capture: one entry a line. One in ten entries succeeded (200, skipped by the
    checker); one in twenty error bodies is stored base64-encoded, as browsers do for some
    captures. Captured status and Content-Type always agree with the body, so that only the
    body's one broken rule fires."""
    stream = Stream(seed)
    rng = random.Random(seed + 1)  # layout choices, kept apart from the response stream
    expected, lines = [], []
    errors = 0  # entries with status >= 400: the responses a checker must check
    path = os.path.join(out, "capture.har")
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"log":{"version":"1.2","creator":{"name":"cyoda-bench","version":"1"},'
                '"entries":[\n')
        line = 2
        for i in range(1, n + 1):
            ok = rng.random() < 0.1
            if ok:
                text, rule = '{"id":"%s","state":"VALID"}' % uuid4(rng), None
                status, mime = 200, "application/json"
            else:
                text, rule = stream.next()
                status = json.loads(text)["status"] if rule != "invalid-json" else 400
                mime = "application/problem+json"
                errors += 1
            content = {"size": len(text.encode()), "mimeType": mime}
            if not ok and rng.random() < 0.05:
                content["text"] = base64.b64encode(text.encode()).decode()
                content["encoding"] = "base64"
            else:
                content["text"] = text
            entry = {
                "startedDateTime": "2026-01-01T00:00:00.000Z",
                "time": 3,
                "request": {
                    "method": "POST", "url": f"http://localhost:8080/api/entity/{i}",
                    "httpVersion": "HTTP/1.1", "headers": [], "queryString": [],
                    "cookies": [], "headersSize": -1, "bodySize": -1,
                },
                "response": {
                    "status": status, "statusText": REASONS.get(status, ""),
                    "httpVersion": "HTTP/1.1",
                    "headers": [{"name": "Content-Type", "value": mime}],
                    "cookies": [], "content": content, "redirectURL": "",
                    "headersSize": -1, "bodySize": len(text.encode()),
                },
                "cache": {}, "timings": {"send": 0, "wait": 3, "receive": 0},
            }
            f.write(json.dumps(entry, separators=(",", ":"), ensure_ascii=False))
            f.write(",\n" if i < n else "\n")
            lines.append((str(i), str(line)))
            line += 1
            if rule:
                expected.append((str(i), rule))
        f.write("]}}\n")
    return os.path.getsize(path), expected, lines, errors


REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
           404: "Not Found", 409: "Conflict", 410: "Gone", 500: "Internal Server Error",
           501: "Not Implemented", 503: "Service Unavailable"}


def write_tsv(path: str, header: str, rows) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(header + "\n")
        for row in rows:
            f.write("\t".join(row) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--ndjson", type=int, default=200_000)
    ap.add_argument("--har", type=int, default=20_000)
    args = ap.parse_args()

    out = args.out
    os.makedirs(os.path.join(out, "expected"), exist_ok=True)
    # Different seeds per corpus, so that the three are not copies of one another.
    dir_bytes, dir_exp = write_dir(out, args.files, args.seed)
    nd_bytes, nd_exp = write_ndjson(out, args.ndjson, args.seed + 100)
    har_bytes, har_exp, har_lines, har_errors = write_har(out, args.har, args.seed + 200)
    with open(os.path.join(out, "small.json"), "w", encoding="utf-8") as f:
        f.write(compact(valid_response(random.Random(args.seed), "ENTITY_NOT_FOUND")) + "\n")

    header = "locator\trule"
    write_tsv(os.path.join(out, "expected", "dir.tsv"), header, dir_exp)
    write_tsv(os.path.join(out, "expected", "ndjson.tsv"), header, nd_exp)
    write_tsv(os.path.join(out, "expected", "har.tsv"), header, har_exp)
    write_tsv(os.path.join(out, "expected", "har-lines.tsv"), "entry\tline", har_lines)
    manifest = {
        "seed": args.seed,
        "dir": {"files": args.files, "bytes": dir_bytes, "invalid": len(dir_exp)},
        "ndjson": {"lines": args.ndjson, "bytes": nd_bytes, "invalid": len(nd_exp)},
        "har": {"entries": args.har, "error_entries": har_errors, "bytes": har_bytes,
                "invalid": len(har_exp)},
    }
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    json.dump(manifest, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
