#!/usr/bin/env bash
# Export benchmark: rbl-publish writing 1,000,000 entries to CSV, median of RUNS, with peak RSS.
#
#   bash bench/run_publish.sh BIN_DIR
#
# Builds (once, cached in $RBL_BENCH_DIR) a database of ENTRIES entries: a small generated import
# adjudicated by rbl-adjudicate, whose entries are then copied by SQL (new ids, other subjects'
# ids) up to ENTRIES, so that every row has real text: titles, basis, explanation, evidence.
# Environment: RBL_BENCH_DIR (/tmp/rbl-bench), RBL_BENCH_ENTRIES (1000000), RBL_BENCH_RUNS (3).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bash bench/run_publish.sh BIN_DIR" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin_dir=$(cd "$1" && pwd)
work=${RBL_BENCH_DIR:-/tmp/rbl-bench}
entries=${RBL_BENCH_ENTRIES:-1000000}
runs=${RBL_BENCH_RUNS:-3}
mkdir -p "$work"
db="$work/publish-$entries.db"
export RBL_TODAY=2026-11-28 RBL_OPERATOR=bench RBL_RULES="$repo/rules"

if [ ! -s "$db" ]; then
    rm -f "$db" "$db-wal" "$db-shm"
    python3 "$repo/bench/gen_records.py" --subjects 20000 --records 200000 --seed 3 \
        --out "$work/publish-seed.csv" -q
    "$bin_dir/rbl-import" --db "$db" -q "$work/publish-seed.csv"
    "$bin_dir/rbl-adjudicate" --db "$db" -q
    # Copies of the entries (and their evidence) until there are enough; each copy's subject is
    # another real subject, so the join to subjects is exercised as in a real database.
    # Entries 1..N0 come from the run; copy k of entry e gets id k*N0 + e and another subject.
    sqlite3 "$db" <<SQL
PRAGMA foreign_keys = OFF;
CREATE TEMP TABLE subject_ids (n INTEGER PRIMARY KEY, subject_id TEXT NOT NULL);
INSERT INTO subject_ids (subject_id) SELECT subject_id FROM subjects ORDER BY subject_id;
CREATE TEMP TABLE n0 AS SELECT max(entry_id) AS n FROM entries;
WITH RECURSIVE copies(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM copies
                             WHERE (k + 1) * (SELECT n FROM n0) < $entries)
INSERT INTO entries (entry_id, list_id, subject_id, status, decided_on, notice_until,
    publicity_until, effective_from, expires_on, ended_on, end_reason, disputed, kind, domain,
    list_title, list_title_zh, basis, authority, terms, rule_version, rule_sha256, explanation,
    created_run, updated_run)
SELECT k * (SELECT n FROM n0) + e.entry_id, e.list_id,
       (SELECT subject_id FROM subject_ids
        WHERE n = 1 + (e.entry_id * 7 + k) % (SELECT count(*) FROM subject_ids)),
       'effective', e.decided_on, e.notice_until, e.publicity_until, e.effective_from,
       e.expires_on, NULL, NULL, 0, e.kind, e.domain, e.list_title, e.list_title_zh, e.basis,
       e.authority, e.terms, e.rule_version, e.rule_sha256, e.explanation, e.created_run,
       e.updated_run
FROM copies, entries e WHERE e.entry_id <= (SELECT n FROM n0) ORDER BY k, e.entry_id;
DELETE FROM entries WHERE entry_id > $entries;
INSERT INTO entry_evidence (entry_id, rec, record_id)
SELECT c.entry_id, v.rec, v.record_id FROM entries c
JOIN entry_evidence v ON v.entry_id = 1 + (c.entry_id - 1) % (SELECT n FROM n0)
WHERE c.entry_id > (SELECT n FROM n0);
UPDATE entries SET status = 'effective', ended_on = NULL, end_reason = NULL;
SQL
fi

count=$(sqlite3 "$db" "SELECT count(*) FROM entries")
times=(); mems=()
for i in $(seq 1 "$runs"); do
    /usr/bin/time -f '%e %M' -o "$work/t.txt" \
        "$bin_dir/rbl-publish" --db "$db" -q --status effective --out "$work/publish-out.csv"
    read -r t m < "$work/t.txt"; times+=("$t"); mems+=("$m")
    echo "run $i: ${t}s  ${m} KB" >&2
done
rows=$(( $(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))))' "$work/publish-out.csv") - 1 ))
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
t=$(median "${times[@]}"); m=$(median "${mems[@]}")
echo
echo "rbl-publish CSV export: $count entries in the database, $rows rows written, median of $runs"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "wall: ${t} s, peak RSS $((m / 1024)) MiB, $(awk -v r="$rows" -v t="$t" 'BEGIN { printf "%d", r / t }') rows/s (goal ≥ 500000)"
rm -f "$work/publish-out.csv" "$work/t.txt"
