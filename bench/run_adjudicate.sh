#!/usr/bin/env bash
# Adjudication benchmark: rbl-adjudicate over a large database against the floor of reading every
# record once with the sqlite3 shell (SELECT * FROM records to /dev/null), in the same run.
#
#   bash bench/run_adjudicate.sh BIN_DIR [DATABASE]
#
# DATABASE is an rbl database already holding the records (default: $RBL_BENCH_DIR/big.db, made
# by importing bench/gen_records.py's output; see docs/PERFORMANCE.md). Each of RUNS rounds copies
# it to a scratch file (so every adjudication is a first run, creating entries), reads the records
# table with sqlite3 (the floor), then runs rbl-adjudicate --as-of AS_OF --json. Prints the
# medians, the ratio, peak RSS and rbl's own split of its time (read, evaluate, write).
#
# Environment: RBL_BENCH_DIR (/tmp/rbl-bench), RBL_BENCH_RUNS (3), RBL_BENCH_AS_OF (2026-11-28).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bash bench/run_adjudicate.sh BIN_DIR [DATABASE]" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin_dir=$(cd "$1" && pwd)
work=${RBL_BENCH_DIR:-/tmp/rbl-bench}
source_db=${2:-$work/big.db}
runs=${RBL_BENCH_RUNS:-3}
as_of=${RBL_BENCH_AS_OF:-2026-11-28}
[ -s "$source_db" ] || { echo "run_adjudicate: error: no database $source_db" >&2; exit 2; }
export RBL_TODAY=$as_of RBL_OPERATOR=bench

records=$(sqlite3 "$source_db" "SELECT count(*) FROM records")
subjects=$(sqlite3 "$source_db" "SELECT count(*) FROM subjects")
floor_t=(); rbl_t=(); rbl_m=()
for i in $(seq 1 "$runs"); do
    scratch="$work/adjudicate-scratch.db"
    rm -f "$scratch" "$scratch-wal" "$scratch-shm"
    cp "$source_db" "$scratch"
    /usr/bin/time -f '%e %M' -o "$work/t.txt" \
        sqlite3 "$scratch" "SELECT * FROM records" > /dev/null
    read -r t m < "$work/t.txt"; floor_t+=("$t")
    echo "run $i: sqlite3 SELECT * FROM records  ${t}s" >&2
    /usr/bin/time -f '%e %M' -o "$work/t.txt" \
        "$bin_dir/rbl-adjudicate" --db "$scratch" --rules "$repo/rules" --as-of "$as_of" -q --json \
        > "$work/adjudicate.json"
    read -r t m < "$work/t.txt"; rbl_t+=("$t"); rbl_m+=("$m")
    echo "run $i: rbl-adjudicate  ${t}s  ${m} KB  $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("created", d["created"], "seconds", d["seconds"])' "$work/adjudicate.json")" >&2
done
rm -f "$scratch" "$scratch-wal" "$scratch-shm" "$work/t.txt"
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ft=$(median "${floor_t[@]}"); rt=$(median "${rbl_t[@]}"); rm_=$(median "${rbl_m[@]}")
echo
echo "rbl adjudication benchmark: $records records, $subjects subjects, as of $as_of, median of $runs"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "sqlite3 SELECT * FROM records (floor): ${ft} s"
echo "rbl-adjudicate:                         ${rt} s, peak RSS $((rm_ / 1024)) MiB"
awk -v a="$rt" -v b="$ft" 'BEGIN { printf "ratio rbl/floor: %.2f\n", a / b }'
echo "last run's split: $(cat "$work/adjudicate.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')"
