#!/usr/bin/env python3
"""Turns one bench/run's measurements into a markdown report.

    report.py RESULTS_DIR MANIFEST > results.md

Reads RESULTS_DIR/meta.json, time-<group>.json (hyperfine --export-json), rss.tsv and
verdicts.jsonl. Ratios are cyoda / other, medians against medians. A target whose comparison
involves a tool with a wrong verdict is reported as "does not count", whatever the time.
"""

from __future__ import annotations

import json
import os
import sys

MIB = 1024 * 1024


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


def ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or b is None or b == 0 else f"{a / b:.2f}×"


def median(times: dict, name: str) -> float | None:
    r = times.get(name)
    return r["median"] if r else None


def main() -> int:
    results, manifest_path = sys.argv[1], sys.argv[2]
    with open(os.path.join(results, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    verdicts = []
    with open(os.path.join(results, "verdicts.jsonl"), encoding="utf-8") as f:
        verdicts = [json.loads(line) for line in f if line.strip()]
    rss: dict[str, int] = {}
    with open(os.path.join(results, "rss.tsv"), encoding="utf-8") as f:
        for line in f:
            name, kib, _rc = line.rstrip("\n").split("\t")
            rss[name] = int(kib) * 1024 if kib else 0

    ok = {v["tool"]: v["ok"] for v in verdicts}
    check = meta["check"] == "available"
    lines: list[str] = []
    out = lines.append

    def mib(name: str) -> str:
        return f"{rss[name] / MIB:.1f} MiB" if name in rss else "—"

    out(f"## Results ({meta['mode']} run, {meta['date']})")
    out("")
    out(f"- Machine: `nproc` = {meta['nproc']}, CPU: {meta['cpu']}, Linux {meta['kernel']}; "
        f"load average (1, 5, 15 min) {meta['load_start']} at the start, {meta['load_end']} at the end")
    built = f"`{meta['cyoda_bin']}` (CYODA_BIN)" if meta.get("cyoda_bin") else f"built from `{meta['cyoda_commit']}`"
    out(f"- cyoda {built}, {meta['rustc']}, {meta['hyperfine']}")
    d, n, h = manifest["dir"], manifest["ndjson"], manifest["har"]
    out(f"- Corpora (seed {manifest['seed']}): directory of {d['files']:,} files "
        f"({d['bytes'] / 1e6:.1f} MB, {d['invalid']} invalid); NDJSON of {n['lines']:,} lines "
        f"({n['bytes'] / 1e6:.1f} MB, {n['invalid']} invalid), and the same ×10; HAR of "
        f"{h['entries']:,} entries ({h['bytes'] / 1e6:.1f} MB, {h['invalid']} invalid)")
    peers = ", ".join(f"{k} {v}" for k, v in meta["peers"].items())
    out(f"- Peers: {peers}; schema: {meta['schema']}")
    if not check:
        out("- **`cyoda check` is not available in this build** (it prints \"this command is "
            "not available yet\"): its rows and the targets that need it are PENDING.")
    out("")

    # Correctness first: a time means nothing without it.
    out("### Correctness: does each tool flag exactly the invalid responses?")
    out("")
    out("| tool | corpus | invalid (expected) | flagged | missed | extra | wrong rule | verdict |")
    out("|---|---|---:|---:|---:|---:|---:|---|")
    for v in verdicts:
        if v["ok"]:
            verdict = "exact"
        elif v.get("aborted"):
            verdict = f"WRONG: gave up after {v.get('checked')} of {v.get('total')} files (exit {v['exit']})"
        else:
            verdict = "WRONG" + (f": {v['problem']}" if v.get("problem") else "")
        if not v["ok"] and not v.get("must"):
            verdict += " (known limitation)"
        out(f"| {v['tool']} | {v['corpus']} | {v['expected']} | {v.get('flagged', '—')} | "
            f"{v.get('missed', '—')} | {v.get('extra', '—')} | {v.get('wrong_rule', '—')} | {verdict} |")
    out("")

    help_t = load_times(results, "help")
    floor = median(help_t, "hello world (floor)")
    rustc = median(help_t, "rustc --explain E0499")
    out("### Help latency (output piped)")
    out("")
    out("| command | median | × hello world | × `rustc --explain` |")
    out("|---|---:|---:|---:|")
    for name, r in help_t.items():
        out(f"| `{name}` | {ms(r['median'])} | {ratio(r['median'], floor)} | {ratio(r['median'], rustc)} |")
    out("")

    dir_t = load_times(results, "dir")
    cy_dir = median(dir_t, "cyoda check")
    out(f"### Directory of {d['files']:,} files")
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

    nd_t = load_times(results, "ndjson")
    cy_nd = median(nd_t, "cyoda check")
    base = median(nd_t, "parse-only baseline")
    out(f"### NDJSON of {n['lines']:,} lines ({n['bytes'] / 1e6:.1f} MB)")
    out("")
    out("| tool | median | MB/s | responses/s | peak RSS | peak RSS, ×10 input |")
    out("|---|---:|---:|---:|---:|---:|")
    for name, r in nd_t.items():
        key = "cyoda check: NDJSON" if name == "cyoda check" else "parse-only baseline: NDJSON"
        out(f"| {name} | {ms(r['median'])} | {n['bytes'] / 1e6 / r['median']:.0f} | "
            f"{n['lines'] / r['median']:,.0f} | {mib(key)} | {mib(key + ' x10')} |")
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

    # Targets of the issue, each with the figure it is judged on.
    out("### Targets")
    out("")
    out("| target | measured | verdict |")
    out("|---|---|---|")

    smoke = meta["mode"] == "smoke"

    def verdict(value: float | None, limit: float, *tools: str, le: bool = True) -> str:
        if value is None:
            return "PENDING"
        if smoke:
            # Two runs on tiny corpora: the figures show the pipeline works, nothing more.
            return "not judged (smoke run)"
        for tool in tools:
            if tool in ok and not ok[tool]:
                return "does not count (wrong verdicts)"
        passed = value <= limit if le else value >= limit
        return "pass" if passed else "FAIL"

    for name, r in help_t.items():
        if not name.startswith("cyoda help"):
            continue
        x = r["median"] / floor if floor else None
        y = r["median"] / rustc if rustc else None
        out(f"| `{name}` ≤ 1.5× hello world | {ratio(r['median'], floor)} | {verdict(x, 1.5)} |")
        out(f"| `{name}` ≤ 0.15× `rustc --explain E0499` | {ratio(r['median'], rustc)} | {verdict(y, 0.15)} |")
    for peer, limit in (("jsonschema-cli (well-formed files)", 0.8), ("ajv-cli (well-formed files)", 0.2)):
        p = median(dir_t, peer)
        x = cy_dir / p if cy_dir is not None and p else None
        out(f"| directory: cyoda ≤ {limit}× {peer} | {ratio(cy_dir, p)} | "
            f"{verdict(x, limit, 'cyoda check (directory)', peer)} |")
    x = cy_nd / base if cy_nd is not None and base else None
    out(f"| NDJSON: cyoda throughput ≥ 1.0× parse-only baseline | "
        f"{'—' if x is None else f'{1 / x:.2f}×'} | {verdict(x, 1.0, 'cyoda check (NDJSON)')} |")
    p = median(small_t, "jsonschema-cli")
    x = cy_small / p if cy_small is not None and p else None
    out(f"| one small file: cyoda no slower than jsonschema-cli | {ratio(cy_small, p)} | {verdict(x, 1.0)} |")
    cy_rss = {k: v for k, v in rss.items() if k.startswith("cyoda check:")}
    worst = max(cy_rss.values()) if cy_rss else None
    out(f"| peak RSS ≤ 16 MiB on every corpus | "
        f"{'—' if worst is None else f'{worst / MIB:.1f} MiB (largest)'} | "
        f"{verdict(None if worst is None else worst / MIB, 16)} |")
    a, b = rss.get("cyoda check: NDJSON"), rss.get("cyoda check: NDJSON x10")
    growth = None if a is None or b is None else (b - a) / MIB
    out(f"| peak RSS on NDJSON ×10 within ± 2 MiB of NDJSON | "
        f"{'—' if growth is None else f'{growth:+.1f} MiB'} | "
        f"{verdict(None if growth is None else abs(growth), 2)} |")
    out("")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
