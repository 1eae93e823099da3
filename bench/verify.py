#!/usr/bin/env python3
"""Did a tool flag exactly the responses the generator made invalid?

    verify.py --tool KIND --corpus dir|ndjson|har --expected TSV --stdout F --stderr F
              --exit N --root PATH [--cwd DIR] [--har-lines TSV] [--only-wellformed]
              [--name NAME] [--total N]

KIND is how to read the tool's report:
  cyoda-json    `cyoda check --format json` (schema 1; read tolerantly until its shape settles:
                every object with a "rule" member is a violation)
  cyoda-human   `cyoda check` lines `file:line:col: error[rule]: message`
  jsonschema-cli  jsonschema-cli's per-instance lines (`PATH - INVALID...`); `error: ...`
                means it gave up
  ajv           ajv-cli's `PATH valid` / `PATH invalid` lines; `error: ...` means it gave up
  check-jsonschema  `check-jsonschema -o json`: errors[] and parse_errors[] by filename

A response is named by a unit: the file (relative to the corpus root) for a directory, the
1-based line for NDJSON, the 1-based entry of log.entries for a HAR (human output gives a line of
the HAR file; --har-lines maps it to its entry, since the generator writes one entry a line).

Prints one JSON verdict on stdout and exits 0 when the flagged set equals the expected set (and,
for cyoda, each flagged response names the expected rule), 1 otherwise. Only error-severity
reports count for cyoda: warnings do not fail a run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

HUMAN = re.compile(
    r"^(?P<file>.+?)(?:#entry-(?P<entry>\d+))?:(?P<line>\d+):(?P<col>\d+): "
    r"(?P<sev>error|warning)\[(?P<rule>[a-z0-9-]+)\]"
)


def read_tsv(path: str) -> list[list[str]]:
    with open(path, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    return rows[1:]


class Units:
    """Maps what a tool printed (a path, a line, an entry) to the generator's unit names."""

    def __init__(self, corpus: str, root: str, cwd: str, har_lines: str | None) -> None:
        self.corpus = corpus
        self.root = os.path.realpath(root)
        self.cwd = cwd
        self.line_to_entry = {}
        if har_lines:
            self.line_to_entry = {line: entry for entry, line in read_tsv(har_lines)}

    def of(self, path: str, line: str | None = None, entry: str | None = None) -> str | None:
        if self.corpus == "dir":
            # A relative path is relative to where the tool ran (peers run in the corpus).
            real = os.path.realpath(os.path.join(self.cwd, path))
            if real == self.root or not real.startswith(self.root + os.sep):
                return None
            return os.path.relpath(real, self.root)
        if self.corpus == "ndjson":
            return line
        if entry is not None:
            return entry
        return self.line_to_entry.get(line) if line else None


def parse_cyoda_human(out: str, units: Units) -> dict[str, set[str]]:
    flagged: dict[str, set[str]] = {}
    for text in out.splitlines():
        m = HUMAN.match(text.strip())
        if not m or m["sev"] != "error":
            continue
        unit = units.of(m["file"], m["line"], m["entry"])
        if unit is not None:
            flagged.setdefault(unit, set()).add(m["rule"])
    return flagged


def _first(obj: dict, keys) -> object:
    for key in keys:
        if key in obj and obj[key] not in (None, ""):
            return obj[key]
    return None


def _find_line(obj) -> str | None:
    """The first `line` found in obj or its nested location objects."""
    if isinstance(obj, dict):
        if isinstance(obj.get("line"), int):
            return str(obj["line"])
        for key in ("location", "span", "start", "position", "region", "range"):
            found = _find_line(obj.get(key))
            if found:
                return found
    return None


def parse_cyoda_json(out: str, units: Units) -> dict[str, set[str]]:
    doc = json.loads(out)
    flagged: dict[str, set[str]] = {}

    def walk(node, inherited: dict) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, inherited)
            return
        if not isinstance(node, dict):
            return
        # Fields of an enclosing response/input object apply to the violations inside it.
        context = dict(inherited)
        for key in ("file", "path", "input", "uri"):
            if isinstance(node.get(key), str):
                context["file"] = node[key]
        if isinstance(node.get("locator"), str):
            context["locator"] = node["locator"]
        if isinstance(node.get("line"), int):
            context["line"] = str(node["line"])
        if isinstance(node.get("rule"), str):
            sev = _first(node, ("severity", "level")) or "error"
            if sev == "error":
                file = context.get("file", "")
                line = _find_line(node) or context.get("line")
                entry = None
                loc = context.get("locator", "")
                m = re.search(r"#entry-(\d+)$", loc) or re.search(r"#entry-(\d+)$", file)
                if m:
                    entry = m.group(1)
                    file = file.split("#entry-")[0]
                m = re.search(r":(\d+)$", loc)
                if units.corpus == "ndjson" and m:
                    line = m.group(1)
                unit = units.of(file or loc.split("#")[0].rsplit(":", 1)[0], line, entry)
                if unit is not None:
                    flagged.setdefault(unit, set()).add(node["rule"])
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                walk(value, context)

    walk(doc, {})
    return flagged


def parse_jsonschema_cli(out: str, units: Units) -> tuple[dict[str, set[str]], int, str | None]:
    """jsonschema-cli validate prints `PATH - VALID` or `PATH - INVALID. Errors:` (then numbered
    errors) per instance; `error: failed to read JSON from PATH` means it gave up (exit 3)."""
    flagged: dict[str, set[str]] = {}
    checked = 0
    aborted = None
    for text in out.splitlines():
        m = re.match(r"^(?P<file>\S.*?) - (?P<verdict>VALID|INVALID)\b", text)
        if m:
            checked += 1
            if m["verdict"] == "INVALID":
                unit = units.of(m["file"])
                if unit is not None:
                    flagged.setdefault(unit, set()).add("schema")
        elif text.startswith("error:"):
            aborted = text.strip()
    return flagged, checked, aborted


def parse_ajv(out: str, err: str, units: Units) -> tuple[dict[str, set[str]], int, str | None]:
    flagged: dict[str, set[str]] = {}
    checked = 0
    aborted = None
    for text in out.splitlines():
        if text.endswith(" valid"):
            checked += 1
    for text in err.splitlines():
        if text.endswith(" invalid"):
            checked += 1
            unit = units.of(text[: -len(" invalid")])
            if unit is not None:
                flagged.setdefault(unit, set()).add("schema")
        elif text.startswith("error:"):
            aborted = text.strip()
    return flagged, checked, aborted


def parse_check_jsonschema(out: str, units: Units) -> dict[str, set[str]]:
    doc = json.loads(out)
    flagged: dict[str, set[str]] = {}
    for key, tag in (("errors", "schema"), ("parse_errors", "parse")):
        for item in doc.get(key, []):
            unit = units.of(item["filename"])
            if unit is not None:
                flagged.setdefault(unit, set()).add(tag)
    return flagged


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    ap.add_argument("--name")
    ap.add_argument("--corpus", required=True, choices=["dir", "ndjson", "har"])
    ap.add_argument("--expected", required=True)
    ap.add_argument("--stdout", required=True)
    ap.add_argument("--stderr", required=True)
    ap.add_argument("--exit", type=int, required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--cwd", default=os.getcwd(), help="where the tool ran")
    ap.add_argument("--har-lines")
    ap.add_argument("--total", type=int, help="responses in the corpus (for the report)")
    ap.add_argument("--responses", type=int,
                    help="cyoda: the responses its summary must say it checked, with no warning")
    ap.add_argument("--only-wellformed", action="store_true",
                    help="the tool was given the files without syntax errors only")
    args = ap.parse_args()

    expected = {unit: rule for unit, rule in read_tsv(args.expected)}
    if args.only_wellformed:
        expected = {u: r for u, r in expected.items() if r != "invalid-json"}
    units = Units(args.corpus, args.root, args.cwd, args.har_lines)
    with open(args.stdout, encoding="utf-8", errors="replace") as f:
        out = f.read()
    with open(args.stderr, encoding="utf-8", errors="replace") as f:
        err = f.read()

    verdict = {"tool": args.name or args.tool, "corpus": args.corpus, "exit": args.exit,
               "expected": len(expected), "total": args.total}
    checked = None
    aborted = None
    try:
        if args.tool == "cyoda-json":
            flagged = parse_cyoda_json(out, units)
        elif args.tool == "cyoda-human":
            flagged = parse_cyoda_human(out, units)
        elif args.tool == "jsonschema-cli":
            flagged, checked, aborted = parse_jsonschema_cli(out + "\n" + err, units)
        elif args.tool == "ajv":
            flagged, checked, aborted = parse_ajv(out, err, units)
        elif args.tool == "check-jsonschema":
            flagged = parse_check_jsonschema(out, units)
        else:
            raise SystemExit(f"verify: unknown tool kind {args.tool}")
    except (ValueError, KeyError) as error:
        verdict.update(ok=False, problem=f"cannot read the tool's report: {error}")
        print(json.dumps(verdict))
        return 1

    missed = sorted(set(expected) - set(flagged))
    extra = sorted(set(flagged) - set(expected))
    wrong_rule = []
    if args.tool.startswith("cyoda"):
        wrong_rule = sorted(
            f"{u}: expected {expected[u]}, got {','.join(sorted(flagged[u]))}"
            for u in set(expected) & set(flagged)
            if expected[u] not in flagged[u]
        )
    # cyoda's summary must count every response (none skipped unseen) and no warning (the valid
    # responses are exactly conforming). Read from the human summary line when there is one.
    summary_problem = None
    if args.responses is not None:
        m = re.search(r"checked ([\d,]+) responses?\b.*?\((\d[\d,]*) errors?, (\d[\d,]*) warnings?\)",
                      out + "\n" + err)
        if m:
            checked = int(m.group(1).replace(",", ""))
            warnings = int(m.group(3).replace(",", ""))
            if checked != args.responses or warnings:
                summary_problem = (f"summary says {checked} responses checked and {warnings} "
                                   f"warnings; expected {args.responses} and 0")
    # Exit status agrees with the verdicts: 1 when anything is invalid, 0 when nothing is.
    want_exit = 1 if expected else 0
    ok = not missed and not extra and not wrong_rule and aborted is None
    ok = ok and args.exit == want_exit and summary_problem is None
    verdict.update(
        ok=ok, flagged=len(flagged), missed=len(missed), extra=len(extra),
        wrong_rule=len(wrong_rule), checked=checked, aborted=aborted,
        examples={"missed": missed[:5], "extra": extra[:5], "wrong_rule": wrong_rule[:5]},
    )
    if args.exit != want_exit:
        verdict["problem"] = f"exit status {args.exit}, expected {want_exit}"
    elif summary_problem:
        verdict["problem"] = summary_problem
    print(json.dumps(verdict))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
