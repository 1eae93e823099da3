#!/usr/bin/env python3
"""Turns one bench/run's measurements into a markdown report.

    report.py RESULTS_DIR MANIFEST > results.md

Reads RESULTS_DIR/meta.json, time-<group>.json (hyperfine --export-json), help.tsv (which
target each help command is judged by), rss.tsv and verdicts.jsonl. Ratios are cyoda / other,
medians against medians, from one hyperfine group (commands timed side by side). A target whose
comparison involves a tool with a wrong verdict is reported as "does not count", whatever the
time. Targets are reported, never asserted: a smoke run's say "not judged".
"""

from __future__ import annotations

import json
import os
import sys

MIB = 1024 * 1024
RSS_LIMIT_MIB = 16
RSS_GROWTH_MIB = 2  # "flat at 10× input": the ×10 run within this much of the ×1 run


def load_times(results: str, group: str) -> dict[str, dict]:
    path = os.path.join(results, f"time-{group}.json")
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return {r["command"]: r for r in json.load(f)["results"]}


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.1f} ms"


def div(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def ratio(a: float | None, b: float | None) -> str:
    x = div(a, b)
    return "—" if x is None else f"{x:.2f}×"


def median(times: dict, name: str) -> float | None:
    r = times.get(name)
    return r["median"] if r else None


def main() -> int:
    results, manifest_path = sys.argv[1], sys.argv[2]
    with open(os.path.join(results, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    with open(os.path.join(results, "verdicts.jsonl"), encoding="utf-8") as f:
        verdicts = [json.loads(line) for line in f if line.strip()]
    rss: dict[str, int] = {}
    with open(os.path.join(results, "rss.tsv"), encoding="utf-8") as f:
        for line in f:
            name, kib, _rc = line.rstrip("\n").split("\t")
            rss[name] = int(kib) * 1024 if kib else 0
    help_kind: dict[str, str] = {}
    help_tsv = os.path.join(results, "help.tsv")
    if os.path.exists(help_tsv):
        with open(help_tsv, encoding="utf-8") as f:
            help_kind = dict(line.rstrip("\n").split("\t") for line in f if line.strip())

    ok = {v["tool"]: v["ok"] for v in verdicts}
    smoke = meta["mode"] == "smoke"
    lines: list[str] = []
    out = lines.append

    def rounds(times: dict) -> None:
        """Each command's median in each round (bench_group), to show how far apart they were."""
        spread = [f"- {name}: " + ", ".join(f"{m * 1e3:.1f}" for m in r["rounds"])
                  for name, r in times.items() if len(r.get("rounds", [])) > 1]
        if spread:
            out("Each command's median in each round, in ms (the medians above pool every "
                "round's runs):")
            out("")
            lines.extend(spread)
            out("")

    def mib(name: str) -> str:
        return f"{rss[name] / MIB:.1f} MiB" if name in rss else "—"

    commit = meta["cyoda_commit"] + (" (with uncommitted changes)" if meta.get("dirty") else "")
    out(f"## Results ({meta['mode']} run, {meta['date']}, commit {commit})")
    out("")
    out(f"- Machine: `nproc` = {meta['nproc']}, CPU: {meta['cpu']}, Linux {meta['kernel']}; "
        f"load average (1, 5, 15 min) {meta['load_start']} at the start, {meta['load_end']} at the end")
    built = f"`{meta['cyoda_bin']}` (CYODA_BIN)" if meta.get("cyoda_bin") else f"built from `{commit}`"
    out(f"- cyoda {built}, {meta['rustc']}, {meta['hyperfine']}; cyoda, the hello world and "
        f"the baseline are all PIE (readelf -h: {meta.get('hello_type', '?')})")
    out(f"- Every cyoda command ran with `--server-version {meta['server_version']}`; the "
        f"corpora follow `help/catalog/{manifest['server_version']}.tsv`")
    d, n, h = manifest["dir"], manifest["ndjson"], manifest["har"]
    fn, fd = manifest["findings_ndjson"], manifest["findings_dir"]
    out(f"- Corpora (seed {manifest['seed']}): findings-heavy NDJSON of {fn['lines']:,} lines "
        f"({fn['bytes'] / 1e6:.1f} MB, every one a valid {fn['code']}: {fn['findings']:,} "
        f"`{fn['rule']}` {fn['severity']}s), and the same ×10; findings-heavy directory of "
        f"{fd['files']:,} files ({fd['bytes'] / 1e6:.1f} MB, {fd['findings']:,} {fd['severity']}s); "
        f"mixed-code NDJSON of {n['lines']:,} lines ({n['bytes'] / 1e6:.1f} MB, {n['invalid']:,} "
        f"invalid = {100 * n['invalid'] / max(n['lines'], 1):.1f}%), and the same ×10; directory of "
        f"{d['files']:,} files ({d['bytes'] / 1e6:.1f} MB, {d['invalid']} invalid); HAR of "
        f"{h['entries']:,} entries ({h['bytes'] / 1e6:.1f} MB, {h['invalid']} invalid)")
    formats = meta.get("formats", [])
    missing = meta.get("missing_formats", [])
    out(f"- Report formats (from `cyoda check --help`): {', '.join(formats)}"
        + (f"; not in this build, so not measured: {', '.join(missing)}" if missing else ""))
    out(f"- Longest help page: `cyoda help {meta.get('longest_page', '?')}` "
        f"({meta.get('longest_page_bytes', 0):,} bytes of markdown), chosen by measuring every topic")
    peers = ", ".join(f"{k} {v}" for k, v in meta["peers"].items())
    out(f"- Peers: {peers}; schema: `{meta['schema']}`")
    if meta["check"] != "available":
        out("- **`cyoda check` failed on one valid response**: its rows and the targets that "
            "need it are PENDING.")
    out("")

    # Correctness first: a time means nothing without it.
    out("### Correctness: does each tool report exactly what the corpus holds?")
    out("")
    out("Mixed corpora: the invalid responses, each with its rule. Findings-heavy corpora: every "
        "finding, in each report format (`github` shows the first 10 and counts the rest).")
    out("")
    out("| tool | corpus | expected | reported | missed | extra | wrong rule | verdict |")
    out("|---|---|---:|---:|---:|---:|---:|---|")
    for v in verdicts:
        if v["ok"]:
            verdict = "exact"
        elif v.get("aborted"):
            verdict = f"WRONG: gave up after {v.get('checked')} of {v.get('total')} files (exit {v['exit']})"
        else:
            verdict = "WRONG" + (f": {v['problem']}" if v.get("problem") else "")
        if "baseline" in v:
            verdict += f" (`{v['baseline']}`)"
        if not v["ok"] and not v.get("must"):
            verdict += " (known limitation)"
        cells = [f"{v[k]:,}" if isinstance(v.get(k), int) else "—"
                 for k in ("expected", "flagged", "missed", "extra", "wrong_rule")]
        out(f"| {v['tool']} | {v['corpus']} | {' | '.join(cells)} | {verdict} |")
    out("")

    help_t = load_times(results, "help")
    floor = median(help_t, "PIE hello world (floor)")
    rustc = median(help_t, "rustc --explain E0499")
    out("### Help latency (output piped)")
    out("")
    out("| command | median | × PIE hello world | × `rustc --explain` |")
    out("|---|---:|---:|---:|")
    for name, r in help_t.items():
        out(f"| `{name}` | {ms(r['median'])} | {ratio(r['median'], floor)} | {ratio(r['median'], rustc)} |")
    out("")
    rounds(help_t)

    fn_t = load_times(results, "findings-ndjson")
    base_f = median(fn_t, "parse-only baseline")
    out(f"### Findings-heavy NDJSON: {fn['lines']:,} lines, a `{fn['rule']}` {fn['severity']} on each "
        "(output piped)")
    out("")
    out("| command | median | × parse-only baseline | µs per finding (whole run) | peak RSS | peak RSS, ×10 input |")
    out("|---|---:|---:|---:|---:|---:|")
    for name, r in fn_t.items():
        per = "—"
        if name.startswith("cyoda check --format") and fn["findings"]:
            per = f"{r['median'] / fn['findings'] * 1e6:.2f}"
        key = ("parse-only baseline: findings NDJSON" if name == "parse-only baseline"
               else f"{name}: findings NDJSON")
        out(f"| `{name}` | {ms(r['median'])} | {ratio(r['median'], base_f)} | {per} | "
            f"{mib(key)} | {mib(key + ' x10')} |")
    if missing:
        out("")
        out(f"Not measured (not in this build's `cyoda check --help`): {', '.join(missing)}.")
    out("")
    rounds(fn_t)

    fd_t = load_times(results, "findings-dir")
    cy_fd, js_fd = median(fd_t, "cyoda check"), median(fd_t, "jsonschema-cli")
    out(f"### Findings-heavy directory: {fd['files']:,} files, a `{fd['rule']}` {fd['severity']} each")
    out("")
    out("| tool | median | cyoda / tool | peak RSS |")
    out("|---|---:|---:|---:|")
    fd_rss = {"cyoda check": "cyoda check: findings directory",
              "jsonschema-cli": "jsonschema-cli: findings directory"}
    for name, r in fd_t.items():
        rel = "—" if name == "cyoda check" else ratio(cy_fd, r["median"])
        out(f"| {name} | {ms(r['median'])} | {rel} | {mib(fd_rss.get(name, ''))} |")
    out("")

    nd_t = load_times(results, "ndjson")
    cy_nd = median(nd_t, "cyoda check")
    base = median(nd_t, "parse-only baseline")
    out(f"### Mixed-code NDJSON: {n['lines']:,} lines ({n['bytes'] / 1e6:.1f} MB), "
        f"{100 * n['invalid'] / max(n['lines'], 1):.1f}% invalid")
    out("")
    out("| tool | median | × parse-only baseline | MB/s | responses/s | peak RSS | peak RSS, ×10 input |")
    out("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in nd_t.items():
        key = "cyoda check: NDJSON" if name == "cyoda check" else "parse-only baseline: NDJSON"
        out(f"| {name} | {ms(r['median'])} | {ratio(r['median'], base)} | "
            f"{n['bytes'] / 1e6 / r['median']:.0f} | {n['lines'] / r['median']:,.0f} | "
            f"{mib(key)} | {mib(key + ' x10')} |")
    out("")
    rounds(nd_t)

    dir_t = load_times(results, "dir")
    cy_dir = median(dir_t, "cyoda check")
    out(f"### Directory of {d['files']:,} files (mixed codes, {d['invalid']} invalid)")
    out("")
    out("| tool | median | cyoda / tool | peak RSS |")
    out("|---|---:|---:|---:|")
    rss_names = {"cyoda check": "cyoda check: directory",
                 "jsonschema-cli (well-formed files)": "jsonschema-cli: directory (well-formed files)",
                 "ajv-cli (well-formed files)": "ajv-cli: directory (well-formed files)",
                 "check-jsonschema": "check-jsonschema: directory"}
    for name, r in dir_t.items():
        rel = "—" if name == "cyoda check" else ratio(cy_dir, r["median"])
        out(f"| {name} | {ms(r['median'])} | {rel} | {mib(rss_names.get(name, ''))} |")
    out("")

    har_t = load_times(results, "har")
    out(f"### HAR of {h['entries']:,} entries ({h['bytes'] / 1e6:.1f} MB)")
    out("")
    if har_t:
        r = har_t["cyoda check"]
        out(f"`cyoda check`: median {ms(r['median'])}, {h['entries'] / r['median']:,.0f} entries/s, "
            f"peak RSS {mib('cyoda check: HAR')} (no peer reads HAR).")
    else:
        out("PENDING (`cyoda check` not available).")
    out("")

    small_t = load_times(results, "small")
    cy_small = median(small_t, "cyoda check")
    out("### One small file")
    out("")
    out("| tool | median | cyoda / tool |")
    out("|---|---:|---:|")
    for name, r in small_t.items():
        rel = "—" if name == "cyoda check" else ratio(cy_small, r["median"])
        out(f"| {name} | {ms(r['median'])} | {rel} |")
    out("")

    out("### Peak RSS of every cyoda command")
    out("")
    out("| command: corpus | peak RSS |")
    out("|---|---:|")
    for name, size in rss.items():
        if name.startswith("cyoda"):
            out(f"| {name} | {size / MIB:.1f} MiB |")
    out("")

    # Targets, each with the figure it is judged on.
    def verdict(value: float | None, limit: float, *tools: str) -> str:
        if value is None:
            return "PENDING (not measured)"
        if smoke:
            # Two runs on small corpora: the figures show the pipeline works, nothing more.
            return "not judged (smoke run)"
        for tool in tools:
            if tool in ok and not ok[tool]:
                return "does not count (wrong verdicts)"
        return "met" if value <= limit else "NOT met"

    rows: list[tuple[str, str, str, str]] = []

    def target(source: str, text: str, value: float | None, limit: float, *tools: str,
               shown: str | None = None) -> None:
        measured = shown if shown is not None else ("—" if value is None else f"{value:.2f}×")
        rows.append((source, text, measured, verdict(value, limit, *tools)))

    issue = "issue 15"
    base_tool = "parse-only baseline (findings NDJSON)"
    for fmt in formats:
        name = f"cyoda check --format {fmt}"
        limit = 1.5 if fmt == "human" else 1.0
        extra = "" if fmt in ("human", "json", "sarif", "junit", "github") else " (every format)"
        target(issue, f"findings-heavy NDJSON: `--format {fmt}` ≤ {limit}× parse-only baseline{extra}",
               div(median(fn_t, name), base_f), limit, f"{name} (findings NDJSON)", base_tool)
    for fmt in missing:
        if fmt in ("human", "json", "sarif", "junit", "github"):
            target(issue, f"findings-heavy NDJSON: `--format {fmt}` ≤ 1.0× parse-only baseline",
                   None, 1.0)
    target(issue, "findings-heavy directory: cyoda ≤ 0.8× jsonschema-cli", div(cy_fd, js_fd), 0.8,
           "cyoda check (findings directory)", "jsonschema-cli (findings directory)")
    target(issue, "mixed-code NDJSON (few findings): cyoda ≤ 0.5× parse-only baseline",
           div(cy_nd, base), 0.5, "cyoda check (NDJSON)", "parse-only baseline (NDJSON)")
    cy_rss = {k: v for k, v in rss.items() if k.startswith("cyoda check")}
    worst = max(cy_rss, key=cy_rss.get) if cy_rss else None
    target(issue, f"peak RSS ≤ {RSS_LIMIT_MIB} MiB on every corpus",
           None if worst is None else cy_rss[worst] / MIB, RSS_LIMIT_MIB,
           shown="—" if worst is None else f"{cy_rss[worst] / MIB:.1f} MiB (largest: {worst})")
    growth = {k: (rss[k + " x10"] - v) / MIB for k, v in cy_rss.items() if k + " x10" in rss}
    grew = max(growth, key=lambda k: abs(growth[k])) if growth else None
    target(issue, f"peak RSS flat at 10× input (within ± {RSS_GROWTH_MIB} MiB), every ×10 pair",
           None if grew is None else abs(growth[grew]), RSS_GROWTH_MIB,
           shown="—" if grew is None else f"{growth[grew]:+.1f} MiB (most: {grew})")
    limits = {"markdown": 2.0, "json": 2.0, "styled": 3.0, "longest-styled": 3.0}
    for name, r in help_t.items():
        kind = help_kind.get(name)
        if kind in limits:
            what = "longest page styled" if kind == "longest-styled" else kind
            target(issue, f"`{name}` ≤ {limits[kind]}× PIE hello world ({what})",
                   div(r["median"], floor), limits[kind])
            target(issue, f"`{name}` ≤ 0.15× `rustc --explain E0499`", div(r["median"], rustc), 0.15)
    # Kept from the bench's earlier targets, where issue 15 does not replace them.
    earlier = "earlier"
    for peer, limit in (("jsonschema-cli (well-formed files)", 0.8), ("ajv-cli (well-formed files)", 0.2)):
        target(earlier, f"mixed directory: cyoda ≤ {limit}× {peer}", div(cy_dir, median(dir_t, peer)),
               limit, "cyoda check (directory)", peer)
    target(earlier, "one small file: cyoda no slower than jsonschema-cli",
           div(cy_small, median(small_t, "jsonschema-cli")), 1.0)

    out(f"### Targets (commit {commit})")
    out("")
    out("| from | target | measured | verdict |")
    out("|---|---|---|---|")
    for source, text, measured, v in rows:
        out(f"| {source} | {text} | {measured} | {v} |")
    out("")
    allow = div(median(fn_t, "cyoda check --allow reserved-code"), base_f)
    out(f"`--allow reserved-code` on the findings-heavy NDJSON (no finding reported): "
        f"{'—' if allow is None else f'{allow:.2f}×'} the parse-only baseline (no target).")
    if not smoke:
        judged = [v for *_, v in rows if v in ("met", "NOT met")]
        out("")
        out(f"Targets met: {judged.count('met')} of {len(rows)}"
            + (f" ({len(rows) - len(judged)} not judged)" if len(judged) < len(rows) else "") + ".")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
