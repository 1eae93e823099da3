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

    verify.py --tool cyoda-findings --format FORMAT --corpus findings-ndjson|findings-dir
              (--expected TSV | --expect-none) --responses N ...

reads every finding of any severity from one report format (human, json, sarif, junit, github,
gitlab) and requires exactly the expected findings: each response its one `rule` at its
`severity` (expected TSV: locator, rule, severity), no other finding, every finding once. The
`github` format shows at most 10 annotations of each severity (src/report/github.rs,
ANNOTATION_LIMIT): its annotations must be the first 10 findings, and its notice must count the
rest as "not annotated". Always also: the summary line (stdout for human, stderr otherwise)
counts N responses and exactly the expected errors and warnings, the per-rule tally under it
says `N × rule (severity)` for each rule found more than once, and the exit status is 1 when
an error is expected, 0 when only warnings are (warnings alone do not fail a run).
With --expect-none (`--allow reserved-code`): no finding at all, 0 warnings.

For a peer, --checked N also requires that it reported on N instances (none skipped unseen).
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import os
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

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
        # findings-dir is read as a dir, findings-ndjson as an ndjson.
        self.corpus = corpus.rsplit("-", 1)[-1]
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


# --- every finding, of any severity, from each report format (the findings-heavy corpora) --------

Finding = tuple[str, str, str]  # (unit, severity, rule)
POSITION = re.compile(r"^\s*(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning)\[(?P<rule>[a-z0-9-]+)\]")
SUMMARY = re.compile(r"checked ([\d,]+) responses?\b.*?: ([\d,]+) ok, ([\d,]+) failed"
                     r"(?: \(([\d,]+) errors?, ([\d,]+) warnings?\))?")


def number(text: str | None) -> int:
    return int(text.replace(",", "")) if text else 0


def findings_human(out: str, units: Units) -> list[Finding]:
    found = []
    for text in out.splitlines():
        m = HUMAN.match(text)
        if m:
            found.append((units.of(m["file"], m["line"], m["entry"]), m["sev"], m["rule"]))
    return found


def findings_json(out: str, units: Units) -> list[Finding]:
    """Schema 1: results[] of responses (input, kind, index), each with violations[]."""
    doc = json.loads(out)
    if doc.get("schema") != 1:
        raise ValueError(f"schema {doc.get('schema')!r}, expected 1")
    found = []
    for result in doc["results"]:
        index = result.get("index")
        for v in result["violations"]:
            unit = units.of(result["input"], str(index) if index is not None else None)
            found.append((unit, v["severity"], v["rule"]))
    return found


def findings_sarif(out: str, units: Units) -> list[Finding]:
    """SARIF 2.1.0: runs[].results[], each located by an artifact URI (relative to a base id
    in originalUriBaseIds) and a region's startLine."""
    doc = json.loads(out)
    found = []
    for run in doc["runs"]:
        bases = {k: v["uri"] for k, v in run.get("originalUriBaseIds", {}).items()}
        for result in run.get("results", []):
            loc = result["locations"][0]["physicalLocation"]
            art = loc["artifactLocation"]
            uri = urllib.parse.urljoin(bases.get(art.get("uriBaseId"), ""), art["uri"])
            path = urllib.parse.unquote(urllib.parse.urlparse(uri).path)
            line = str(loc["region"]["startLine"])
            level = {"error": "error", "warning": "warning"}.get(result.get("level", "warning"))
            found.append((units.of(path, line), level or result.get("level"), result["ruleId"]))
    return found


def findings_junit(out: str, units: Units) -> tuple[list[Finding], int]:
    """A test case per response (name: the response's name, classname: its input); findings
    are the `line:col: severity[rule]` lines of its <failure> and <system-out>. Returns the
    findings and the number of test cases."""
    found, cases = [], 0
    # iterparse and clear: the full run's report has 200,000 test cases.
    for _event, case in ET.iterparse(io.BytesIO(out.encode()), events=("end",)):
        if case.tag != "testcase":
            continue
        cases += 1
        name, classname = case.get("name", ""), case.get("classname", "")
        locator = name[len(classname):] if name.startswith(classname) else ""
        line = locator[1:] if locator.startswith(":") else None
        entry = locator[len("#entry-"):] if locator.startswith("#entry-") else None
        texts = [el.text or "" for el in case if el.tag in ("failure", "error", "system-out")]
        for text in texts:
            for row in text.splitlines():
                m = POSITION.match(row)
                if m:
                    found.append((units.of(classname, line or m["line"], entry), m["sev"], m["rule"]))
        case.clear()
    return found, cases


def unescape_property(text: str) -> str:
    return (text.replace("%3A", ":").replace("%2C", ",").replace("%0D", "\r")
            .replace("%0A", "\n").replace("%25", "%"))


GITHUB = re.compile(r"^::(?P<cmd>error|warning|notice) (?P<props>[^:]*)::(?P<msg>.*)$")


def findings_github(out: str, units: Units) -> tuple[list[Finding], list[str]]:
    """Workflow commands: annotations (`::warning file=…,line=…,title=cyoda check%3A RULE::…`)
    and the notices (messages unescaped)."""
    found, notices = [], []
    for text in out.splitlines():
        m = GITHUB.match(text)
        if not m:
            continue
        props = dict(p.split("=", 1) for p in m["props"].split(",") if "=" in p)
        props = {k: unescape_property(v) for k, v in props.items()}
        if m["cmd"] == "notice":
            notices.append(unescape_property(m["msg"]))
            continue
        rule = props.get("title", "").removeprefix("cyoda check: ")
        found.append((units.of(props.get("file", ""), props.get("line")), m["cmd"], rule))
    return found, notices


def findings_gitlab(out: str, units: Units) -> tuple[list[Finding], int]:
    """GitLab Code Quality: a JSON array of issues (check_name, severity, location.path,
    location.lines.begin, fingerprint). Severities are GitLab's (info … blocker), mapped by the
    caller. Returns the findings and how many issues repeat another's fingerprint (GitLab
    shows one issue per fingerprint, so a repeated one hides a finding)."""
    doc = json.loads(out)
    if not isinstance(doc, list):
        raise ValueError("a GitLab Code Quality report is a JSON array")
    fingerprints = collections.Counter(issue.get("fingerprint") for issue in doc)
    repeated = sum(n - 1 for n in fingerprints.values() if n > 1)
    found = []
    for issue in doc:
        loc = issue["location"]
        line = loc.get("lines", {}).get("begin") or loc.get("positions", {}).get("begin", {}).get("line")
        found.append((units.of(loc["path"], str(line) if line is not None else None),
                      issue.get("severity", ""), issue["check_name"]))
    return found, repeated


# GitLab's severities for cyoda's two: anything at or above "major" fails, as a CI reader sees it.
GITLAB_SEVERITY = {"info": "warning", "minor": "warning", "major": "error", "critical": "error",
                   "blocker": "error"}
GITHUB_LIMIT = 10  # src/report/github.rs: ANNOTATION_LIMIT, per severity


def verify_findings(args, out: str, err: str, units: Units) -> dict:
    fmt = args.format
    expected: list[Finding] = []
    if not args.expect_none:
        expected = [(unit, sev, rule) for unit, rule, sev in read_tsv(args.expected)]
    want = collections.Counter(expected)
    verdict = {"tool": args.name or f"cyoda check --format {fmt}", "corpus": args.corpus,
               "exit": args.exit, "expected": len(expected), "total": args.total}
    problems = []
    notices: list[str] = []
    cases = None
    try:
        if fmt == "human":
            found = findings_human(out, units)
        elif fmt == "json":
            found = findings_json(out, units)
        elif fmt == "sarif":
            found = findings_sarif(out, units)
        elif fmt == "junit":
            found, cases = findings_junit(out, units)
        elif fmt == "github":
            found, notices = findings_github(out, units)
        elif fmt == "gitlab":
            issues, repeated = findings_gitlab(out, units)
            found = [(u, GITLAB_SEVERITY.get(s, s), r) for u, s, r in issues]
            if repeated:
                problems.append(f"{repeated} issues repeat another's fingerprint")
        else:
            verdict.update(ok=False, problem=f"no reader for --format {fmt}")
            return verdict
    except (ValueError, KeyError, TypeError, IndexError, ET.ParseError) as error:
        verdict.update(ok=False, problem=f"cannot read the {fmt} report: {error!r}")
        return verdict

    got = collections.Counter(found)
    if fmt == "github":
        # At most GITHUB_LIMIT annotations of each severity, in input order, and a notice that
        # counts what was left out.
        by_sev = collections.Counter(sev for _, sev, _ in expected)
        shown = []
        for sev in ("error", "warning"):
            in_order = [f for f in expected if f[1] == sev]
            shown += in_order[:GITHUB_LIMIT]
        if got != collections.Counter(shown):
            problems.append(f"annotations differ from the first {GITHUB_LIMIT} findings of each "
                            f"severity: {sum((got - collections.Counter(shown)).values())} extra, "
                            f"{sum((collections.Counter(shown) - got).values())} missing")
        omitted_e = max(by_sev["error"] - GITHUB_LIMIT, 0)
        omitted_w = max(by_sev["warning"] - GITHUB_LIMIT, 0)
        if omitted_e + omitted_w:
            want_notice = (f"{omitted_e:,} error{'' if omitted_e == 1 else 's'} and "
                           f"{omitted_w:,} warning{'' if omitted_w == 1 else 's'} not annotated")
            if not any(n.startswith(want_notice) for n in notices):
                problems.append(f"no notice saying {want_notice!r} (notices: {notices})")
        elif any("not annotated" in n for n in notices):
            problems.append("a 'not annotated' notice, but nothing was left out")
        # The run's summary is a notice too, so the CI log says it where annotations are read.
        summaries = [SUMMARY.search(n) for n in notices]
        said = [(number(m[1]), number(m[4]), number(m[5])) for m in summaries if m]
        want_said = (args.responses, by_sev["error"], by_sev["warning"])
        if said != [want_said]:
            problems.append(f"the summary notice says {said}, expected [{want_said}]")
        verdict["flagged"] = len(found)
    else:
        missed = want - got
        extra = got - want
        if missed or extra:
            problems.append(f"{sum(missed.values())} expected findings missing "
                            f"(e.g. {sorted(missed)[:3]}), {sum(extra.values())} unexpected "
                            f"(e.g. {sorted(extra)[:3]})")
        verdict.update(flagged=len(found), missed=sum(missed.values()), extra=sum(extra.values()))
    if cases is not None and cases != args.responses:
        problems.append(f"{cases} JUnit test cases, expected one per response: {args.responses}")

    # The summary (and the tally under it) count every response and finding.
    text = out if fmt == "human" else err
    errors = sum(1 for f in expected if f[1] == "error")
    warnings = sum(1 for f in expected if f[1] == "warning")
    m = None
    for m in SUMMARY.finditer(text):
        pass
    if m is None:
        problems.append("no summary line")
    else:
        said = (number(m[1]), number(m[4]), number(m[5]))
        if said != (args.responses, errors, warnings):
            problems.append(f"summary says {said[0]:,} responses, {said[1]:,} errors, "
                            f"{said[2]:,} warnings; expected {args.responses:,}, {errors:,}, {warnings:,}")
        for (rule, sev), n in collections.Counter((r, s) for _, s, r in expected).items():
            if n > 1 and not re.search(rf"^\s*{n:,} × {re.escape(rule)} \({sev}\)$", text, re.M):
                problems.append(f"no tally line '{n:,} × {rule} ({sev})' after the summary")
    want_exit = 1 if errors else 0
    if args.exit != want_exit:
        problems.insert(0, f"exit status {args.exit}, expected {want_exit}")
    verdict["ok"] = not problems
    if problems:
        verdict["problem"] = "; ".join(problems)
    return verdict


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    ap.add_argument("--name")
    ap.add_argument("--corpus", required=True,
                    choices=["dir", "ndjson", "har", "findings-dir", "findings-ndjson"])
    ap.add_argument("--expected")
    ap.add_argument("--expect-none", action="store_true",
                    help="no response is invalid and (cyoda-findings) none draws a finding")
    ap.add_argument("--format", help="cyoda-findings: the report format to read")
    ap.add_argument("--checked", type=int,
                    help="a peer: the number of instances it must report on")
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

    if not args.expect_none and not args.expected:
        ap.error("--expected TSV or --expect-none")
    units = Units(args.corpus, args.root, args.cwd, args.har_lines)
    with open(args.stdout, encoding="utf-8", errors="replace") as f:
        out = f.read()
    with open(args.stderr, encoding="utf-8", errors="replace") as f:
        err = f.read()
    if args.tool == "cyoda-findings":
        verdict = verify_findings(args, out, err, units)
        print(json.dumps(verdict))
        return 0 if verdict["ok"] else 1

    expected = {} if args.expect_none else {unit: rule for unit, rule, *_ in read_tsv(args.expected)}
    if args.only_wellformed:
        expected = {u: r for u, r in expected.items() if r != "invalid-json"}

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
        # A clean run's summary has no "(N errors, N warnings)": 0 warnings.
        m = SUMMARY.search(out + "\n" + err)
        if m is None:
            summary_problem = "no summary line"
        else:
            checked = number(m[1])
            warnings = number(m[5])
            if checked != args.responses or warnings:
                summary_problem = (f"summary says {checked} responses checked and {warnings} "
                                   f"warnings; expected {args.responses} and 0")
    # Exit status agrees with the verdicts: 1 when anything is invalid, 0 when nothing is.
    want_exit = 1 if expected else 0
    ok = not missed and not extra and not wrong_rule and aborted is None
    ok = ok and args.exit == want_exit and summary_problem is None
    checked_problem = None
    if args.checked is not None and checked != args.checked:
        checked_problem = f"reported on {checked} instances, expected {args.checked}"
        ok = False
    verdict.update(
        ok=ok, flagged=len(flagged), missed=len(missed), extra=len(extra),
        wrong_rule=len(wrong_rule), checked=checked, aborted=aborted,
        examples={"missed": missed[:5], "extra": extra[:5], "wrong_rule": wrong_rule[:5]},
    )
    if args.exit != want_exit:
        verdict["problem"] = f"exit status {args.exit}, expected {want_exit}"
    elif summary_problem:
        verdict["problem"] = summary_problem
    elif checked_problem:
        verdict["problem"] = checked_problem
    print(json.dumps(verdict))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
