#!/usr/bin/env python3
"""Deterministic corpora for the cyoda benchmark.

Writes, under OUT:
  dir/            FILES response bodies, one per file, in sub-folders of 100 (a recursive walk)
  responses.ndjson  NDJSON_LINES responses of mixed codes, one per line (the "few findings"
                  corpus: about 2% invalid)
  capture.har     HAR_ENTRIES entries, one entry a line (so a line number names an entry)
  small.json      one valid response (the single-small-file timing)
  findings.ndjson FINDINGS_LINES responses, every one a valid IDEMPOTENCY_CONFLICT envelope:
                  one `reserved-code` warning each (the findings-heavy corpus)
  findings-dir/   FINDINGS_FILES such responses, one per file, in sub-folders of 100, one in
                  ten pretty-printed
  expected/dir.tsv, expected/ndjson.tsv, expected/har.tsv
                  exactly the invalid responses, one per row: locator <TAB> rule.
                  Locators: the file's path relative to dir/; the 1-based NDJSON line; the
                  1-based index of the HAR entry in log.entries.
  expected/findings-ndjson.tsv, expected/findings-dir.tsv
                  every finding of the findings-heavy corpora: locator <TAB> rule <TAB> severity
                  (one row per response: each draws exactly one finding)
  expected/har-lines.tsv  entry index <TAB> line of capture.har holding that entry
  manifest.json   the parameters and counts, for the report

Python 3.11 standard library only, on purpose: the machine already has CPython (the
check-jsonschema peer needs it anyway), so the corpora cost no compile step, and the output is
a pure function of (seed, sizes, catalog): `random.Random(seed)` is stable across CPython
versions for the calls used here (random(), randrange(), choice(), getrandbits()).

The facts come from the repository's pinned catalog of ONE cyoda-go release,
help/catalog/<SERVER_VERSION>.tsv (default 0.8.3, the newest release, which `cyoda check` uses
by default). bench/run passes `--server-version 0.8.3` to this script and to every cyoda
command it runs, so a future release (a new default) cannot silently change what the corpora
mean. Per code the table gives status, reason phrase, retryable (yes, no or conditional),
ticket (required or absent), reserved, and the names of the extra `properties` members the
server sets (server_properties); their JSON types come from the `error.properties` front matter
of the code's page, help/errors/<code>.md, as the binary's build reads them.

Every valid response follows those facts exactly and the envelope of shared/catalog/envelope.md:
type "about:blank", title = reason phrase of the documented status, status = documented status,
detail "<CODE>: ...", instance "/entity/<uuid>", ticket (lowercase hyphenated UUID v4) exactly
when the code's ticket column is `required`, properties.errorCode, properties.retryable: true
when retryable is `yes` (omitted when `no`; either when `conditional`), members in the order
Go's encoder writes them and properties' keys sorted. The mixed corpora never use a reserved
code (IDEMPOTENCY_CONFLICT, reserved in every release): it warns. The findings-heavy corpora
use nothing else.

Each invalid response breaks exactly one rule, spread evenly over the kinds in INVALID_KINDS;
the expected files record which response breaks which rule. About 5% of the directory's and
the HAR's responses are invalid (enough errors to judge the peers on), about 2% of the NDJSON's
(the issue's "few findings" target).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import sys
from typing import NamedTuple

REPO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
HELP = os.path.join(REPO, "help")
DEFAULT_SERVER_VERSION = "0.8.3"

# The one code the findings-heavy corpora carry: reserved in every release, so a conforming
# response draws exactly one `reserved-code` warning and nothing else.
RESERVED_CODE = "IDEMPOTENCY_CONFLICT"
FINDING = ("reserved-code", "warning")


class Facts(NamedTuple):
    status: int
    reason: str
    retryable: str  # yes | no | conditional
    ticket: str  # required | absent
    reserved: bool
    meaning: str
    properties: tuple[tuple[str, str], ...]  # (name, JSON type) the server sets


def property_types() -> dict[str, dict[str, str]]:
    """code -> {property: JSON type}, from each error page's `error.properties` front matter.

    The front matter is YAML; this reads only the one block it needs (`error:` at the top level,
    `properties:` two spaces in, `name: type` four spaces in), and fails on anything else there,
    rather than pull a YAML parser into a script that needs nothing else."""
    types: dict[str, dict[str, str]] = {}
    folder = os.path.join(HELP, "errors")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".md"):
            continue
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8") as page:
            lines = page.read().split("\n")
        if not lines or lines[0] != "---":
            continue
        code, in_error, in_props, props = None, False, False, {}
        for line in lines[1:]:
            if line == "---":
                break
            if line.startswith("topic: errors."):
                code = line[len("topic: errors."):].strip()
            if not line.startswith(" "):
                in_error, in_props = line.rstrip() == "error:", False
            elif in_error and line.startswith("  ") and not line.startswith("   "):
                in_props = line.rstrip() == "  properties:"
            elif in_props and line.startswith("    ") and not line.startswith("     "):
                prop, sep, kind = line.strip().partition(":")
                if not sep or not kind.strip():
                    raise SystemExit(f"gen.py: {path}: cannot read the property line {line!r}")
                props[prop] = kind.strip()
        if code:
            types[code] = props
    return types


def load_catalog(version: str) -> dict[str, Facts]:
    path = os.path.join(HELP, "catalog", f"{version}.tsv")
    if not os.path.exists(path):
        raise SystemExit(f"gen.py: no catalog table {path} for cyoda-go {version}")
    types = property_types()
    catalog = {}
    with open(path, encoding="utf-8") as tsv:
        header = tsv.readline().rstrip("\n").split("\t")
        need = {"code", "http_status", "reason_phrase", "retryable", "ticket", "reserved",
                "meaning", "server_properties"}
        if not need <= set(header):
            raise SystemExit(f"gen.py: {path}: the header lacks {sorted(need - set(header))}")
        for line in tsv:
            if not line.strip():
                continue
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            code = row["code"]
            props = []
            for prop in filter(None, row["server_properties"].split(",")):
                kind = types.get(code, {}).get(prop)
                if kind is None:
                    raise SystemExit(f"gen.py: {code}: no JSON type for properties.{prop} in "
                                     f"help/errors (front matter error.properties)")
                props.append((prop, kind))
            if row["retryable"] not in ("yes", "no", "conditional"):
                raise SystemExit(f"gen.py: {code}: unknown retryable {row['retryable']!r}")
            if row["ticket"] not in ("required", "absent"):
                raise SystemExit(f"gen.py: {code}: unknown ticket {row['ticket']!r}")
            catalog[code] = Facts(
                status=int(row["http_status"]),
                reason=row["reason_phrase"],
                retryable=row["retryable"],
                ticket=row["ticket"],
                reserved=row["reserved"] == "yes",
                meaning=row["meaning"],
                properties=tuple(props),
            )
    if not catalog.get(RESERVED_CODE, Facts(0, "", "", "", False, "", ())).reserved:
        raise SystemExit(f"gen.py: {RESERVED_CODE} is not reserved in cyoda-go {version}: "
                         "the findings-heavy corpora would not draw one warning a response")
    return catalog


class Catalog:
    """The facts of one release, and the code lists the invalid kinds draw from."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.facts = load_catalog(version)
        facts = self.facts
        # Codes a valid response may carry: all but the reserved ones (they warn).
        self.valid = sorted(c for c, f in facts.items() if not f.reserved)
        self.codes_4xx = [c for c in self.valid if facts[c].status < 500]
        self.not_retryable = [c for c in self.valid if facts[c].retryable == "no"]
        self.with_ticket = [c for c in self.valid if facts[c].ticket == "required"]
        self.phrases = sorted({f.reason for f in facts.values()})
        # Codes not in this release: typos, made-up ones, and one of another release
        # (STORAGE_UNAVAILABLE, in 0.8.4-preview only), whose message names where it exists.
        self.unknown = [c for c in ("ENTITY_NOT_FOUNDD", "RATE_LIMITED", "STORAGE_UNAVAILABLE",
                                    "NOT_A_CODE") if c not in facts]


# Statuses a status-mismatch response may claim, each with its own reason phrase, so that only
# status-mismatch fires (the title stays the reason phrase of the claimed status).
OTHER_4XX = {400: "Bad Request", 404: "Not Found", 409: "Conflict", 410: "Gone"}

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
INVALID_RATE = 0.05  # the directory and the HAR
MIXED_INVALID_RATE = 0.02  # the NDJSON: the "few findings" corpus


def uuid4(rng: random.Random) -> str:
    """A lowercase hyphenated UUID v4 drawn from rng (uuid.uuid4() would use os.urandom)."""
    n = rng.getrandbits(128)
    n &= ~(0xF000 << 64)
    n |= 0x4000 << 64  # version 4
    n &= ~(0xC000 << 48)
    n |= 0x8000 << 48  # RFC 4122 variant
    h = f"{n:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def property_value(rng: random.Random, name: str, kind: str, entity: str):
    """A value of the documented JSON type (only the type is checked)."""
    if kind == "string":
        return entity if name.endswith("Id") else "invoice"
    if kind == "integer":
        return rng.randrange(1, 20)
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if kind == "array":
        return ["INTEGER"]
    if kind == "object":
        return {}
    raise SystemExit(f"gen.py: properties.{name}: unknown JSON type {kind!r}")


def valid_response(rng: random.Random, cat: Catalog, code: str) -> dict:
    """One conforming response for code, as cyoda-go's encoder would order it."""
    facts = cat.facts[code]
    entity = uuid4(rng)
    body = {"type": "about:blank", "title": facts.reason, "status": facts.status}
    tid = uuid4(rng) if facts.ticket == "required" else None
    if code == "SERVER_ERROR":
        body["detail"] = f"SERVER_ERROR: internal error [ticket: {tid}]"
    else:
        meaning = facts.meaning.rstrip(".")
        body["detail"] = f"{code}: {meaning[:1].lower()}{meaning[1:]} (id={entity})"
    body["instance"] = f"/entity/{entity}"
    if tid is not None:
        body["ticket"] = tid
    props = {"errorCode": code}
    if facts.retryable == "yes" or (facts.retryable == "conditional" and rng.random() < 0.5):
        props["retryable"] = True
    # Half of the codes that document extra properties carry them, with their JSON types.
    if facts.properties and rng.random() < 0.5:
        for name, kind in facts.properties:
            props[name] = property_value(rng, name, kind, entity)
    body["properties"] = dict(sorted(props.items()))
    return body


def invalid_response(rng: random.Random, cat: Catalog, kind: str) -> tuple[dict | None, str | None]:
    """A response breaking exactly one rule. Returns (body, None) or (None, raw text) for a
    syntax error."""
    facts = cat.facts
    if kind == "status":
        code = rng.choice(cat.codes_4xx)
        body = valid_response(rng, cat, code)
        wrong = rng.choice([s for s in OTHER_4XX if s != facts[code].status])
        body["status"], body["title"] = wrong, OTHER_4XX[wrong]
        return body, None
    if kind == "title":
        code = rng.choice(cat.valid)
        body = valid_response(rng, cat, code)
        # A phrase that is not the reason phrase of the status: another code's, or a casing slip.
        body["title"] = rng.choice([p for p in cat.phrases if p != body["title"]]
                                   + [body["title"].upper()])
        return body, None
    if kind == "retryable":
        body = valid_response(rng, cat, rng.choice(cat.not_retryable))
        body["properties"]["retryable"] = True
        body["properties"] = dict(sorted(body["properties"].items()))
        return body, None
    if kind == "no-instance":
        body = valid_response(rng, cat, rng.choice(cat.valid))
        del body["instance"]
        return body, None
    if kind == "unknown-code":
        code = rng.choice(cat.unknown)
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
        body = valid_response(rng, cat, rng.choice(cat.with_ticket))
        del body["ticket"]
        if body["properties"]["errorCode"] == "SERVER_ERROR":
            body["detail"] = "SERVER_ERROR: internal error"
        return body, None
    if kind == "syntax":
        # The slip of the shared corpus: a comma missing between two members. One line, so an
        # NDJSON reader can still find the next response.
        text = compact(valid_response(rng, cat, rng.choice(cat.valid)))
        return None, text.replace(',"instance":', ' "instance":', 1)
    raise ValueError(kind)


def compact(body: dict) -> str:
    """Go's json.Encoder output without the trailing newline: compact, non-ASCII kept."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


class Stream:
    """The sequence of responses: the same seed gives the same responses and the same verdicts."""

    def __init__(self, seed: int, cat: Catalog, rate: float) -> None:
        self.rng = random.Random(seed)
        self.cat = cat
        self.rate = rate
        self.kinds = list(INVALID_KINDS)

    def next(self) -> tuple[str, str | None]:
        """(text, rule or None). text is the compact body (or broken text for a syntax error)."""
        rng = self.rng
        if rng.random() < self.rate:
            kind = rng.choice(self.kinds)
            body, raw = invalid_response(rng, self.cat, kind)
            return (raw if raw is not None else compact(body)), INVALID_KINDS[kind]
        return compact(valid_response(rng, self.cat, rng.choice(self.cat.valid))), None


class Findings:
    """The findings-heavy sequence: every response a conforming IDEMPOTENCY_CONFLICT."""

    def __init__(self, seed: int, cat: Catalog) -> None:
        self.rng = random.Random(seed)
        self.cat = cat

    def next(self) -> tuple[str, str | None]:
        return compact(valid_response(self.rng, self.cat, RESERVED_CODE)), FINDING[0]


def write_dir(out: str, folder: str, n: int, stream) -> tuple[int, list[tuple[str, str]]]:
    """n files, 100 per sub-folder; one in ten pretty-printed as a person would save it."""
    expected = []
    total = 0
    for i in range(n):
        text, rule = stream.next()
        rel = f"batch-{i // 100:03d}/response-{i:05d}.json"
        path = os.path.join(out, folder, rel)
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


def write_ndjson(out: str, name: str, n: int, stream) -> tuple[int, list[tuple[str, str]]]:
    expected = []
    total = 0
    with open(os.path.join(out, name), "wb") as f:
        for line in range(1, n + 1):
            text, rule = stream.next()
            data = (text + "\n").encode()
            f.write(data)
            total += len(data)
            if rule:
                expected.append((str(line), rule))
    return total, expected


def write_har(out: str, n: int, seed: int, cat: Catalog):
    """A HAR 1.2 capture: one entry a line. One in ten entries succeeded (200, skipped by the
    checker); one in twenty error bodies is stored base64-encoded, as browsers do for some
    captures. Captured status and Content-Type always agree with the body, so that only the
    body's one broken rule fires."""
    stream = Stream(seed, cat, INVALID_RATE)
    rng = random.Random(seed + 1)  # layout choices, kept apart from the response stream
    reasons = {f.status: f.reason for f in cat.facts.values()} | {200: "OK"}
    reasons.update(OTHER_4XX)
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
                    "status": status, "statusText": reasons.get(status, ""),
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


def write_tsv(path: str, header: str, rows) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(header + "\n")
        for row in rows:
            f.write("\t".join(row) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--server-version", default=DEFAULT_SERVER_VERSION,
                    help="the cyoda-go release whose table help/catalog/<VERSION>.tsv to follow")
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--ndjson", type=int, default=200_000)
    ap.add_argument("--har", type=int, default=20_000)
    ap.add_argument("--findings-ndjson", type=int, default=200_000)
    ap.add_argument("--findings-files", type=int, default=10_000)
    args = ap.parse_args()

    cat = Catalog(args.server_version)
    out = args.out
    os.makedirs(os.path.join(out, "expected"), exist_ok=True)
    # Different seeds per corpus, so that they are not copies of one another.
    seed = args.seed
    dir_bytes, dir_exp = write_dir(out, "dir", args.files, Stream(seed, cat, INVALID_RATE))
    nd_bytes, nd_exp = write_ndjson(out, "responses.ndjson", args.ndjson,
                                    Stream(seed + 100, cat, MIXED_INVALID_RATE))
    har_bytes, har_exp, har_lines, har_errors = write_har(out, args.har, seed + 200, cat)
    fn_bytes, fn_exp = write_ndjson(out, "findings.ndjson", args.findings_ndjson,
                                    Findings(seed + 300, cat))
    fd_bytes, fd_exp = write_dir(out, "findings-dir", args.findings_files,
                                 Findings(seed + 400, cat))
    with open(os.path.join(out, "small.json"), "w", encoding="utf-8") as f:
        f.write(compact(valid_response(random.Random(seed), cat, "ENTITY_NOT_FOUND")) + "\n")

    header = "locator\trule"
    write_tsv(os.path.join(out, "expected", "dir.tsv"), header, dir_exp)
    write_tsv(os.path.join(out, "expected", "ndjson.tsv"), header, nd_exp)
    write_tsv(os.path.join(out, "expected", "har.tsv"), header, har_exp)
    write_tsv(os.path.join(out, "expected", "har-lines.tsv"), "entry\tline", har_lines)
    findings_header = "locator\trule\tseverity"
    write_tsv(os.path.join(out, "expected", "findings-ndjson.tsv"), findings_header,
              ((unit, rule, FINDING[1]) for unit, rule in fn_exp))
    write_tsv(os.path.join(out, "expected", "findings-dir.tsv"), findings_header,
              ((unit, rule, FINDING[1]) for unit, rule in fd_exp))
    manifest = {
        "seed": seed,
        "server_version": cat.version,
        "dir": {"files": args.files, "bytes": dir_bytes, "invalid": len(dir_exp)},
        "ndjson": {"lines": args.ndjson, "bytes": nd_bytes, "invalid": len(nd_exp)},
        "har": {"entries": args.har, "error_entries": har_errors, "bytes": har_bytes,
                "invalid": len(har_exp)},
        "findings_ndjson": {"lines": args.findings_ndjson, "bytes": fn_bytes,
                            "findings": len(fn_exp), "code": RESERVED_CODE,
                            "rule": FINDING[0], "severity": FINDING[1]},
        "findings_dir": {"files": args.findings_files, "bytes": fd_bytes,
                         "findings": len(fd_exp), "code": RESERVED_CODE,
                         "rule": FINDING[0], "severity": FINDING[1]},
    }
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    json.dump(manifest, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
