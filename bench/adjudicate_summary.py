#!/usr/bin/env python3
"""The summary of bench/run_adjudicate.sh: medians over rounds, ratios, the goals of issue 13.

    python3 bench/adjudicate_summary.py RESULTS.jsonl

RESULTS holds one JSON object a line: {round, label, wall, cpu, rss_kb, out}, where `out` is the
tool's --json object (null for the floor). Labels are those run_adjudicate.sh gives.
"""

from __future__ import annotations

import json
import statistics
import sys

FLOOR, FULL1, FULL2, NIGHT = "floor", "full --jobs 1", "full --jobs 2", "night import"
INCREMENTAL, FULL_NEXT = "next day, incremental --jobs 2", "next day, --full --jobs 2"
ADJUDICATIONS = [FULL1, FULL2, INCREMENTAL, FULL_NEXT]
COUNTS = ["created", "advanced", "expired", "withdrawn", "revoked", "lifted"]
PARTS = ["read", "evaluate", "write"]


def median(values):
    return statistics.median(values) if values else float("nan")


class Runs:
    """The measurements of one label over the rounds."""

    def __init__(self, rows):
        self.rows = rows

    def wall(self):
        return median([r["wall"] for r in self.rows])

    def cpu(self):
        return median([r["cpu"] for r in self.rows])

    def rss_mib(self):
        return median([r["rss_kb"] for r in self.rows]) / 1024

    def max_rss_mib(self):
        return max(r["rss_kb"] for r in self.rows) / 1024

    def part(self, name):
        return median([r["out"]["seconds"][name] for r in self.rows])

    def read_evaluate(self):
        return median([r["out"]["seconds"]["read"] + r["out"]["seconds"]["evaluate"]
                       for r in self.rows])

    def field(self, name):
        return median([r["out"][name] for r in self.rows])


def load(path):
    by_label = {}
    for line in open(path, encoding="utf-8"):
        row = json.loads(line)
        by_label.setdefault(row["label"], []).append(row)
    return {label: Runs(rows) for label, rows in by_label.items()}


def print_table(runs, floor):
    print(f"{'':32} {'wall s':>8} {'x floor':>8} {'CPU s':>8} {'peak MiB':>9} {'subjects':>10} "
          f"{'read s':>8} {'eval s':>8} {'write s':>8}  slowest part")
    print(f"{FLOOR:32} {floor:8.2f} {1:8.2f} {runs[FLOOR].cpu():8.2f} {runs[FLOOR].rss_mib():9.0f}")
    for label in ADJUDICATIONS:
        r = runs[label]
        parts = {p: r.part(p) for p in PARTS}
        slowest = max(parts, key=parts.get)
        share = parts[slowest] / r.wall() if r.wall() else 0
        print(f"{label:32} {r.wall():8.2f} {r.wall() / floor:8.2f} {r.cpu():8.2f} {r.rss_mib():9.0f} "
              f"{r.field('subjects'):10.0f} {parts['read']:8.2f} {parts['evaluate']:8.2f} "
              f"{parts['write']:8.2f}  {slowest} {share:.0%} of wall")
    n = runs[NIGHT]
    out = n.rows[-1]["out"] or {}
    print(f"{NIGHT:32} {n.wall():8.2f} {'':8} {n.cpu():8.2f} {n.rss_mib():9.0f}  (last round: "
          f"{out.get('rows')} rows, {out.get('inserted')} inserted, {out.get('updated')} updated)")


def same_counts(runs):
    """Rounds where the incremental and the full next-day runs report different counts."""
    bad = []
    for inc, full in zip(runs[INCREMENTAL].rows, runs[FULL_NEXT].rows):
        a, b = inc["out"], full["out"]
        if [a[k] for k in COUNTS] != [b[k] for k in COUNTS] or a["lists"] != b["lists"]:
            bad.append(inc["round"])
    return bad


def print_goals(runs, floor):
    j1, j2, inc, full_next = (runs[x] for x in (FULL1, FULL2, INCREMENTAL, FULL_NEXT))
    best_full = min(j1.wall(), j2.wall())
    speedup_eval = j1.read_evaluate() / j2.read_evaluate()
    speedup_wall = j1.wall() / j2.wall()
    inc_share = inc.wall() / full_next.wall()
    peak = max(runs[x].max_rss_mib() for x in ADJUDICATIONS)
    met = {True: "met", False: "NOT met"}
    print()
    print(f"--jobs 2 vs --jobs 1: read+evaluate {j1.read_evaluate():.2f} s -> "
          f"{j2.read_evaluate():.2f} s, speed-up {speedup_eval:.2f}x; wall speed-up "
          f"{speedup_wall:.2f}x")
    print(f"incremental next day: {inc.wall():.2f} s = {inc_share:.1%} of the --full run at the "
          f"same point ({full_next.wall():.2f} s); {inc.field('subjects'):.0f} of "
          f"{inc.field('subjects_total'):.0f} subjects evaluated")
    bad = same_counts(runs)
    print("incremental and full next-day counts: " +
          ("the same in every round" if not bad else f"DIFFER in rounds {bad}"))
    print()
    print("goals of issue 13:")
    print(f"  full run < 60 s and <= 3x the floor: {best_full:.2f} s, "
          f"{best_full / floor:.2f}x -> {met[best_full < 60 and best_full <= 3 * floor]}")
    print(f"  --jobs 2 >= 1.7x faster evaluation:  {speedup_eval:.2f}x -> {met[speedup_eval >= 1.7]}")
    print(f"  incremental <= 5% of full:           {inc_share:.1%} -> {met[inc_share <= 0.05]}")
    print(f"  peak memory < 500 MB:                {peak:.0f} MiB (highest of all runs) -> "
          f"{met[peak * 1048576 < 500e6]} (flatness: compare sizes)")


def main(argv):
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    runs = load(argv[1])
    floor = runs[FLOOR].wall()
    print_table(runs, floor)
    print_goals(runs, floor)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
