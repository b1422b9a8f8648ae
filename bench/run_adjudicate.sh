#!/usr/bin/env bash
# Adjudication benchmark (issue 13): full runs on one and two threads, a night's import, the next
# day's incremental run and a full run at the same point, against the floor of reading every
# record once with the sqlite3 shell — all in one go.
#
#   bash bench/run_adjudicate.sh BIN_DIR
#
# Data: RECORDS records over SUBJECTS subjects from bench/gen_records.py (every shipped domain),
# imported once with BIN_DIR/rbl-import; the CSV file, the imported database and the night's file
# are cached in RBL_BENCH_DIR, named after the sizes, the seed, the generators' hash and the
# database's schema version, so only the first go pays for them. The night (bench/gen_night.py)
# touches NIGHT_SHARE of the subjects: new records for 60% of them, updated records for 30%,
# withdrawn records for 10%. Each of RUNS rounds then does, on fresh copies of the database:
#   1. floor: sqlite3 DB "SELECT * FROM records" > /dev/null;
#   2. the first run, full, --jobs 1, as of AS_OF;
#   3. the first run, full, --jobs 2, as of AS_OF, on another copy; then the night's rbl-import
#      into that copy; then
#   4. the next day's run (AS_OF + 1 day), incremental, --jobs 2; and
#   5. for comparison, a --full --jobs 2 run as of the same next day on a copy taken before 4.
# Every rbl-adjudicate runs with --json -q under GNU time (wall and CPU time, peak RSS). Prints the
# medians over the rounds, the ratios against the floor, the --jobs 2 speed-up, the incremental
# run as a share of the full one, subjects evaluated and rbl's own read/evaluate/write split.
# Checks that the incremental and the full next-day runs report the same counts.
#
# Environment (all optional):
#   RBL_BENCH_RECORDS (1000000)   RBL_BENCH_SUBJECTS (RECORDS / 10)   RBL_BENCH_SEED (1)
#   RBL_BENCH_RUNS    (3)         RBL_BENCH_AS_OF    (2026-11-28)     RBL_BENCH_NIGHT_SHARE (0.005)
#   RBL_BENCH_DIR     (${TMPDIR:-/tmp}/rbl-bench: data and scratch copies; needs about three
#                     times the database's size free)
#   RBL_BENCH_PREPARE_ONLY (unset): when set, only make the cached inputs (to start a large size's
#                     generation and import early, e.g. under nice) and exit
#   RBL_BENCH_KEEP    (unset): when set, the last round's database after its next-day incremental
#                     run is kept as RBL_BENCH_DIR/adjudicated-<sizes>.db (for bench/run_check.sh's
#                     RBL_BENCH_CHECK_DB)
# Needs bash, python3, sqlite3 and GNU time (/usr/bin/time).
set -euo pipefail

usage() { echo "usage: bash bench/run_adjudicate.sh BIN_DIR" >&2; exit 2; }
[ $# -eq 1 ] || usage
fail() { echo "run_adjudicate: error: $*" >&2; exit 1; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin_dir=$(cd "$1" 2>/dev/null && pwd) || { echo "run_adjudicate: error: no such folder: $1" >&2; exit 2; }
for tool in rbl-import rbl-adjudicate; do
    [ -x "$bin_dir/$tool" ] || { echo "run_adjudicate: error: $bin_dir/$tool not found (build first)" >&2; exit 2; }
done
command -v sqlite3 >/dev/null || { echo "run_adjudicate: error: sqlite3 not found" >&2; exit 2; }
/usr/bin/time -f '%e' -o /dev/null true 2>/dev/null \
    || { echo "run_adjudicate: error: GNU time (/usr/bin/time) is needed for peak RSS" >&2; exit 2; }

records=${RBL_BENCH_RECORDS:-1000000}
subjects=${RBL_BENCH_SUBJECTS:-$((records / 10))}
seed=${RBL_BENCH_SEED:-1}
runs=${RBL_BENCH_RUNS:-3}
as_of=${RBL_BENCH_AS_OF:-2026-11-28}
next_day=$(date -u -d "$as_of + 1 day" +%F)
share=${RBL_BENCH_NIGHT_SHARE:-0.005}
work=${RBL_BENCH_DIR:-${TMPDIR:-/tmp}/rbl-bench}
mkdir -p "$work"
export RBL_TODAY=$next_day RBL_OPERATOR=bench

# --- cached inputs ---------------------------------------------------------------------------

# The CSV file: the same name as bench/run_import.sh gives it, so the two share it.
gen_hash=$(cat "$repo/bench/gen_records.py" "$repo/bench/rbl_ids.py" | sha256sum | cut -c1-12)
data="$work/records-${records}-${subjects}-s${seed}-${gen_hash}.csv"
if [ ! -s "$data" ]; then
    echo "run_adjudicate: generating $records records over $subjects subjects -> $data" >&2
    python3 "$repo/bench/gen_records.py" --subjects "$subjects" --records "$records" \
        --seed "$seed" --out "$data.tmp" --format csv
    mv "$data.tmp" "$data"
fi

# The imported database, named after the schema version rbl-import writes today.
probe="$work/schema-probe"
rm -f "$probe.db" "$probe.db-wal" "$probe.db-shm"
head -n 1 "$data" > "$probe.csv"
"$bin_dir/rbl-import" --db "$probe.db" --rules "$repo/rules" -q "$probe.csv"
schema=$(sqlite3 "$probe.db" "PRAGMA user_version")
rm -f "$probe.db" "$probe.db-wal" "$probe.db-shm" "$probe.csv"
db="$work/imported-${records}-${subjects}-s${seed}-${gen_hash}-v${schema}.db"
if [ ! -s "$db" ]; then
    echo "run_adjudicate: importing $data -> $db" >&2
    rm -f "$db.tmp" "$db.tmp-wal" "$db.tmp-shm"
    rc=0
    /usr/bin/time -f '%e s, peak RSS %M KB' "$bin_dir/rbl-import" --db "$db.tmp" \
        --rules "$repo/rules" -q "$data" || rc=$?
    [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "rbl-import exited with $rc"
    sqlite3 "$db.tmp" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
    mv "$db.tmp" "$db"
    rm -f "$db.tmp-wal" "$db.tmp-shm"
fi

# The night's import, made from the imported database.
night_hash=$(sha256sum "$repo/bench/gen_night.py" | cut -c1-12)
night="${db%.db}-night-${share}-${night_hash}.jsonl"
if [ ! -s "$night" ]; then
    python3 "$repo/bench/gen_night.py" --db "$db" --out "$night.tmp" --share "$share" \
        --seed "$seed" --date "$as_of"
    mv "$night.tmp" "$night"
fi

if [ -n "${RBL_BENCH_PREPARE_ONLY:-}" ]; then
    echo "run_adjudicate: inputs ready: $db, $night" >&2
    exit 0
fi

# --- the rounds --------------------------------------------------------------------------------

results="$work/adjudicate-results.jsonl"
: > "$results"

# copy_db FROM TO: a database with its WAL, if any.
copy_db() {
    rm -f "$2" "$2-wal" "$2-shm"
    cp "$1" "$2"
    if [ -e "$1-wal" ]; then cp "$1-wal" "$2-wal"; fi
}
drop_db() { rm -f "$1" "$1-wal" "$1-shm"; }

# measure ROUND LABEL CMD...: runs CMD under GNU time with its stdout (the tool's --json) kept,
# and appends {round, label, wall, cpu, rss_kb, out} to the results.
measure() {
    local round=$1 label=$2; shift 2
    local rc=0
    /usr/bin/time -f '%e %M %U %S' -o "$work/time.txt" "$@" > "$work/out.json" || rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
        cat "$work/out.json" >&2
        fail "$label exited with $rc"
    fi
    local wall rss user sys
    read -r wall rss user sys < <(tail -n 1 "$work/time.txt")
    python3 -c '
import json, sys
round_, label, wall, rss, user, sys_, out = sys.argv[1:]
text = open(out, encoding="utf-8").read().strip()
print(json.dumps({"round": int(round_), "label": label, "wall": float(wall), "rss_kb": int(rss),
                  "cpu": float(user) + float(sys_),
                  "out": json.loads(text) if text.startswith("{") else None}))
' "$round" "$label" "$wall" "$rss" "$user" "$sys" "$work/out.json" >> "$results"
    echo "round $round: $label ${wall} s wall, $user+$sys s CPU, ${rss} KB" >&2
}

adjudicate=("$bin_dir/rbl-adjudicate" --rules "$repo/rules" --json -q)

a="$work/scratch-a.db"; b="$work/scratch-b.db"
for i in $(seq 1 "$runs"); do
    copy_db "$db" "$a"
    measure "$i" floor sh -c 'sqlite3 "$1" "SELECT * FROM records" > /dev/null' floor "$a"
    measure "$i" "full --jobs 1" "${adjudicate[@]}" --db "$a" --as-of "$as_of" --jobs 1
    copy_db "$db" "$a"
    measure "$i" "full --jobs 2" "${adjudicate[@]}" --db "$a" --as-of "$as_of" --jobs 2
    measure "$i" "night import" "$bin_dir/rbl-import" --db "$a" --rules "$repo/rules" -q --json "$night"
    copy_db "$a" "$b"
    measure "$i" "next day, incremental --jobs 2" "${adjudicate[@]}" --db "$a" --as-of "$next_day" --jobs 2
    measure "$i" "next day, --full --jobs 2" "${adjudicate[@]}" --db "$b" --as-of "$next_day" --jobs 2 --full
done
if [ -n "${RBL_BENCH_KEEP:-}" ]; then
    kept="$work/adjudicated-${records}-${subjects}-s${seed}-${gen_hash}-v${schema}.db"
    drop_db "$kept"
    sqlite3 "$a" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
    mv "$a" "$kept"
    rm -f "$a-wal" "$a-shm"
    echo "run_adjudicate: kept $kept" >&2
fi
drop_db "$a"; drop_db "$b"; rm -f "$work/time.txt" "$work/out.json"

# --- the summary -------------------------------------------------------------------------------

echo
echo "rbl adjudication benchmark: $records records generated over $subjects subjects (seed $seed),"
echo "  first runs as of $as_of, night of $share of the subjects, next day $next_day, median of $runs"
echo "machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)," \
     "$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo);" \
     "sqlite3 $(sqlite3 --version | cut -d' ' -f1); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "database: $(sqlite3 "$db" "SELECT count(*) FROM records") records," \
     "$(sqlite3 "$db" "SELECT count(*) FROM subjects") subjects, $(( $(stat -c %s "$db") / 1048576 )) MiB;" \
     "night: $(wc -l < "$night") records"
python3 "$repo/bench/adjudicate_summary.py" "$results"
