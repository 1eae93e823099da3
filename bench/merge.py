#!/usr/bin/env python3
"""Merges the hyperfine exports of one group's rounds into one export, as report.py reads it.

    merge.py ROUND1.json ROUND2.json ... > time-<group>.json

bench/run times each group in rounds, alternately in order and reversed, so that a slow spell
of this shared machine is spread over every command instead of landing on whichever ran in it.
Each command's runs of every round are pooled: median, mean, stddev, min and max are of the
pooled times; `rounds` keeps each round's median, to show how far the rounds were apart.
Commands keep the order of the first round.
"""

import json
import statistics
import sys


def merge(exports: list[dict]) -> dict:
    pooled: dict[str, list[dict]] = {}
    for export in exports:
        for result in export["results"]:
            pooled.setdefault(result["command"], []).append(result)
    results = []
    for parts in pooled.values():
        times = [t for part in parts for t in part["times"]]
        runs = [len(part["times"]) for part in parts]
        merged = dict(parts[0])
        merged.update(
            times=times,
            exit_codes=[code for part in parts for code in part.get("exit_codes", [])],
            median=statistics.median(times),
            mean=statistics.fmean(times),
            stddev=statistics.stdev(times) if len(times) > 1 else 0.0,
            min=min(times),
            max=max(times),
            # hyperfine's user and system are means over a round's runs: weigh them by runs.
            user=sum(p["user"] * n for p, n in zip(parts, runs)) / sum(runs),
            system=sum(p["system"] * n for p, n in zip(parts, runs)) / sum(runs),
            rounds=[part["median"] for part in parts],
        )
        results.append(merged)
    return {"results": results}


def main() -> int:
    if len(sys.argv) < 2:
        print("usage: merge.py ROUND.json...", file=sys.stderr)
        return 2
    exports = []
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            exports.append(json.load(f))
    json.dump(merge(exports), sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
