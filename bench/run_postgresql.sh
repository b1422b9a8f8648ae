#!/usr/bin/env bash
# The PostgreSQL store's benchmark (issue 15, docs/SCALING.md): rbl-import and a full
# rbl-adjudicate on PostgreSQL against the server's own floors, and the same two on SQLite, all in
# one go on the same generated file.
#
#   bash bench/run_postgresql.sh BIN_DIR
#
# Starts a throwaway cluster (tests/pg/cluster.sh; socket only, fsync off for both the floors
# and rbl), generates RECORDS records over SUBJECTS subjects (bench/gen_records.py), then for each
# of RUNS rounds, on fresh databases:
#   1. floor of loading: psql "\copy plain FROM file CSV HEADER" into a plain table of text
#      columns, no index;
#   2. rbl-import of the file into PostgreSQL;
#   3. floor of reading: psql "COPY (SELECT * FROM records) TO STDOUT" > /dev/null;
#   4. rbl-adjudicate --full --jobs 1, then (on a copy made before it) --full --jobs 2;
#   5. the same rbl-import and rbl-adjudicate --full --jobs 2 on SQLite, for comparison.
# Every command runs under GNU time; prints the medians over the rounds and the ratios.
#
# Environment: RBL_BENCH_RECORDS (100000), RBL_BENCH_SUBJECTS (RECORDS / 10), RBL_BENCH_SEED (1),
# RBL_BENCH_RUNS (3), RBL_BENCH_AS_OF (2026-11-28), RBL_BENCH_DIR (${TMPDIR:-/tmp}/rbl-bench-pg).
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: bash bench/run_postgresql.sh BIN_DIR" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=$(cd "$1" && pwd)
records=${RBL_BENCH_RECORDS:-100000}
subjects=${RBL_BENCH_SUBJECTS:-$((records / 10))}
seed=${RBL_BENCH_SEED:-1}
runs=${RBL_BENCH_RUNS:-3}
as_of=${RBL_BENCH_AS_OF:-2026-11-28}
work=${RBL_BENCH_DIR:-${TMPDIR:-/tmp}/rbl-bench-pg}
mkdir -p "$work"
export RBL_TODAY=$as_of RBL_OPERATOR=bench RBL_RULES=$repo/rules
export PGOPTIONS="-c client_min_messages=warning"  # no "does not exist, skipping" notices

cluster=$(mktemp -d /tmp/rbl-bench-cluster-XXXXXX)
trap 'bash "$repo/tests/pg/cluster.sh" stop "$cluster"' EXIT
bash "$repo/tests/pg/cluster.sh" start "$cluster"
uri() { echo "postgresql:///$1?host=$cluster&user=postgres"; }
psql_options=(-X -q -v ON_ERROR_STOP=1)
psql_on() { psql "${psql_options[@]}" "$(uri "$1")" "${@:2}"; }

data=$work/records-$records-$subjects-$seed.csv
[ -f "$data" ] || python3 "$repo/bench/gen_records.py" --subjects "$subjects" --records "$records" \
    --seed "$seed" --out "$data" -q
header=$(head -n 1 "$data")
columns=$(echo "$header" | tr ',' '\n' | sed 's/.*/"&" text/' | paste -sd, -)

# timed NAME CMD...: runs CMD under GNU time, appends "NAME wall cpu rss_kib" to the results.
results=$work/results.txt
: > "$results"
timed() {
    local name=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" > /dev/null
    read -r wall user sys rss < "$work/time.txt"
    echo "$name $wall $(awk "BEGIN { print $user + $sys }") $rss" >> "$results"
}

for round in $(seq 1 "$runs"); do
    echo "run_postgresql: round $round of $runs ($records records)" >&2
    psql_on postgres -c "DROP DATABASE IF EXISTS floor" -c "CREATE DATABASE floor"
    psql_on floor -c "CREATE TABLE plain ($columns)"
    # GNU time runs programs, not shell functions: psql itself.
    timed copy_in psql "${psql_options[@]}" "$(uri floor)" -c "\\copy plain FROM '$data' CSV HEADER"

    psql_on postgres -c "DROP DATABASE IF EXISTS r" -c "CREATE DATABASE r"
    timed pg_import "$bin/rbl-import" -q --db "$(uri r)" "$data"
    timed copy_out psql "${psql_options[@]}" "$(uri r)" -c "COPY (SELECT * FROM records) TO STDOUT"
    psql_on postgres -c "DROP DATABASE IF EXISTS r2" -c "CREATE DATABASE r2 TEMPLATE r"
    timed pg_full_jobs1 "$bin/rbl-adjudicate" -q --full --jobs 1 --as-of "$as_of" --db "$(uri r)"
    timed pg_full_jobs2 "$bin/rbl-adjudicate" -q --full --jobs 2 --as-of "$as_of" --db "$(uri r2)"

    rm -f "$work/s.db" "$work/s.db-wal" "$work/s.db-shm"
    timed sqlite_import "$bin/rbl-import" -q --db "$work/s.db" "$data"
    timed sqlite_full_jobs2 "$bin/rbl-adjudicate" -q --full --jobs 2 --as-of "$as_of" \
        --db "$work/s.db"
done

python3 - "$results" "$records" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, wall, cpu, rss = line.split()
    rows.setdefault(name, []).append((float(wall), float(cpu), int(rss)))
med = {n: (statistics.median(w for w, _, _ in v), statistics.median(c for _, c, _ in v),
           max(r for _, _, r in v)) for n, v in rows.items()}
print(f"records: {sys.argv[2]}; medians over {len(next(iter(rows.values())))} rounds")
print(f"{'step':<20}{'wall s':>10}{'cpu s':>10}{'peak MiB':>10}")
for name, (wall, cpu, rss) in med.items():
    print(f"{name:<20}{wall:>10.2f}{cpu:>10.2f}{rss / 1024:>10.0f}")
ratio = lambda a, b: med[a][0] / med[b][0]
print(f"rbl-import on PostgreSQL / \\copy:           {ratio('pg_import', 'copy_in'):.1f}x")
print(f"full run --jobs 1 / COPY ... TO STDOUT:     {ratio('pg_full_jobs1', 'copy_out'):.1f}x")
print(f"full run --jobs 2 / --jobs 1 (PostgreSQL):  {ratio('pg_full_jobs2', 'pg_full_jobs1'):.2f}")
print(f"rbl-import PostgreSQL / SQLite:             {ratio('pg_import', 'sqlite_import'):.1f}x")
print(f"full run PostgreSQL / SQLite (--jobs 2):    {ratio('pg_full_jobs2', 'sqlite_full_jobs2'):.1f}x")
EOF
