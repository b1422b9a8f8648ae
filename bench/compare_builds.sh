#!/bin/bash
# Times two builds of rbl on the same data, alternated A B A B (a restructuring or a change that
# should cost nothing): each pair imports FILE into a fresh database and adjudicates it.
#   bash bench/compare_builds.sh BIN_A BIN_B [PAIRS] [FILE]
# BIN_*: folders holding rbl-import and rbl-adjudicate (for instance build/bin of two work trees).
# FILE defaults to 200,000 rows from bench/gen_records.py (--subjects 40000 --seed 7), made once
# in ${RBL_BENCH_DIR:-/tmp/rbl-bench}. Prints one line per run: side, step, user s, system s,
# wall s, peak RSS KiB (GNU time) and, for adjudication, the run's own write seconds (its --json
# seconds.write); then the medians and the pair-by-pair CPU ratios B/A.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
a=$1 b=$2 pairs=${3:-5}
dir=${RBL_BENCH_DIR:-/tmp/rbl-bench}
mkdir -p "$dir"
file=${4:-$dir/compare-200k.csv}
if [ ! -s "$file" ]; then
  python3 "$here/gen_records.py" --subjects 40000 --records 200000 --seed 7 --out "$file" >/dev/null
fi
rules=$here/../rules
results=$dir/compare.txt
: > "$results"
for _ in $(seq "$pairs"); do
  for side in A B; do
    bin=$a; [ "$side" = B ] && bin=$b
    db=$dir/compare-$side.db
    rm -f "$db" "$db-wal" "$db-shm"
    /usr/bin/time -f "$side import %U %S %e %M" -o "$dir/time.txt" \
      "$bin/rbl-import" --db "$db" --rules "$rules" -q "$file" >/dev/null
    cat "$dir/time.txt" | tee -a "$results"
    RBL_TODAY=2026-11-30 /usr/bin/time -f "$side adjudicate %U %S %e %M" -o "$dir/time.txt" \
      "$bin/rbl-adjudicate" --db "$db" --rules "$rules" -q --json --as-of 2026-11-28 \
      > "$dir/adjudicate.json"
    # The run's own time for writing its changes, the seventh field.
    write=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["seconds"]["write"])' \
      "$dir/adjudicate.json")
    echo "$(cat "$dir/time.txt") $write" | tee -a "$results"
  done
done
python3 - "$results" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    side, step, user, system, wall, rss, *write = line.split()
    runs.setdefault((side, step), []).append(
        (float(user) + float(system), float(wall), int(rss), float(write[0]) if write else None))
for step in ("import", "adjudicate"):
    a, b = runs[("A", step)], runs[("B", step)]
    ratios = [y[0] / x[0] for x, y in zip(a, b)]
    print(f"{step}: CPU s median A {statistics.median(x[0] for x in a):.2f}, "
          f"B {statistics.median(x[0] for x in b):.2f}; pair ratios B/A "
          f"{', '.join(f'{r:.2f}' for r in ratios)} (median {statistics.median(ratios):.2f}); "
          f"wall median A {statistics.median(x[1] for x in a):.2f}, "
          f"B {statistics.median(x[1] for x in b):.2f}; peak RSS A {max(x[2] for x in a) // 1024} "
          f"MiB, B {max(x[2] for x in b) // 1024} MiB")
a, b = runs[("A", "adjudicate")], runs[("B", "adjudicate")]
print(f"adjudicate write (its seconds.write): median A {statistics.median(x[3] for x in a):.2f}, "
      f"B {statistics.median(x[3] for x in b):.2f}; pair ratios B/A "
      f"{', '.join(f'{y[3] / x[3]:.2f}' for x, y in zip(a, b))}")
PY
