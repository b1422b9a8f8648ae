#!/usr/bin/env bash
# Real-time check benchmark (SPEC.md §9): single `rbl-check` processes, median and p99 of CHECKS,
# and one `rbl-check --file` of 100,000 identifiers.
#
#   bash bench/run_check.sh BIN_DIR
#
# Builds (once, cached in $RBL_BENCH_DIR) a database of RECORDS generated records
# (bench/gen_records.py --seed 1) imported and adjudicated. The single checks ask, in turn, for
# subjects with entries, subjects without any and identifiers the database does not know, one
# process each with --department and --json, timed from spawn to exit (Python's
# time.perf_counter around posix_spawn and wait4), with the CPU time wait4 reports, beside
# /bin/true timed the same way (the floor of a process on this machine). Every check writes its lookup-log row, as
# in production.
# Environment: RBL_BENCH_DIR (/tmp/rbl-bench), RBL_BENCH_RECORDS (1000000), RBL_BENCH_CHECKS (500),
# RBL_BENCH_CHECK_DB (unset: an adjudicated database to check instead of the one built here, e.g.
# a copy of bench/run_adjudicate.sh's 10,000,000-record database after one run).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bash bench/run_check.sh BIN_DIR" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin_dir=$(cd "$1" && pwd)
work=${RBL_BENCH_DIR:-/tmp/rbl-bench}
records=${RBL_BENCH_RECORDS:-1000000}
checks=${RBL_BENCH_CHECKS:-500}
mkdir -p "$work"
db=${RBL_BENCH_CHECK_DB:-$work/check-$records.db}
export RBL_TODAY=2026-11-28 RBL_OPERATOR=bench RBL_RULES="$repo/rules"

if [ ! -s "$db" ]; then
    rm -f "$db" "$db-wal" "$db-shm"
    python3 "$repo/bench/gen_records.py" --subjects $((records / 5)) --records "$records" \
        --seed 1 --out "$work/check-records.csv" -q
    "$bin_dir/rbl-import" --db "$db" -q "$work/check-records.csv"
    "$bin_dir/rbl-adjudicate" --db "$db" -q
    rm -f "$work/check-records.csv"
fi

# Taken in turn: subjects with an open entry, subjects without, identifiers unknown here (these
# last fill the file up to 100,000 when the others run out).
listed="$work/check-listed.txt"
sqlite3 "$db" "SELECT DISTINCT subject_id FROM entries WHERE status IN
    ('notice','publicity','effective') ORDER BY subject_id LIMIT 50000" > "$listed"
sqlite3 "$db" "SELECT subject_id FROM subjects WHERE subject_id NOT IN (SELECT subject_id FROM
    entries) ORDER BY subject_id LIMIT 50000" > "$work/check-unlisted.txt"
python3 -c '
import sys
sys.path.insert(0, sys.argv[1])
import rbl_ids
with open(sys.argv[2], "w") as out:
    for n in range(100000):
        first17 = f"91110000MA9{n:06d}"
        out.write(first17 + rbl_ids.uscc_check_char(first17) + "\n")
' "$repo/bench" "$work/check-unknown.txt"
paste -d '\n' "$listed" "$work/check-unlisted.txt" "$work/check-unknown.txt" | grep -v '^$' \
    | awk 'NR <= 100000' > "$work/check-100k.txt"
department=$(sqlite3 "$db" "SELECT json_extract(terms, '\$.measures[0].departments[0]') FROM
    entries WHERE json_extract(terms, '\$.measures[0].departments[0]') IS NOT NULL LIMIT 1")

python3 - "$bin_dir/rbl-check" "$db" "$department" "$work/check-100k.txt" "$checks" <<'PY'
import os, statistics, sys, time
tool, db, department, ids_file, checks = sys.argv[1:6]
ids = open(ids_file).read().split()[: int(checks)]
env = dict(os.environ)
quiet = [(os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0)]


def spawn(argv):
    """Wall time from spawn to exit and the child's CPU time (user + system), in ms."""
    started = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=quiet)
    _, status, usage = os.wait4(pid, 0)
    wall = (time.perf_counter() - started) * 1000
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv)} failed")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def report(name, samples):
    samples = sorted(samples)
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    return f"median {statistics.median(samples):.2f} ms, p99 {p99:.2f} ms"


floor = [spawn(["/bin/true"]) for _ in ids]
runs = [spawn([tool, "--db", db, "--department", department, "--json", "-q", s]) for s in ids]
print(f"/bin/true ({len(floor)} processes): wall {report('wall', [w for w, _ in floor])}")
print(f"single checks ({len(runs)} processes, goal < 10 ms): "
      f"wall {report('wall', [w for w, _ in runs])}; CPU {report('cpu', [c for _, c in runs])}")
PY

/usr/bin/time -f '%e %U %S %M' -o "$work/t.txt" "$bin_dir/rbl-check" --db "$db" -q \
    --department "$department" --file "$work/check-100k.txt" --out "$work/check-out.jsonl"
read -r t user sys m < "$work/t.txt"
echo "file of $(wc -l < "$work/check-100k.txt") identifiers (goal < 10 s): wall ${t} s, CPU $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') s, peak RSS $((m / 1024)) MiB"
echo "database: $(sqlite3 "$db" "SELECT count(*) FROM records") records, $(sqlite3 "$db" "SELECT count(*) FROM subjects") subjects, $(sqlite3 "$db" "SELECT count(*) FROM entries") entries, $(sqlite3 "$db" "SELECT count(*) FROM lookups") lookups logged so far"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$work/t.txt" "$work/check-out.jsonl"
