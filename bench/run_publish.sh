#!/usr/bin/env bash
# Export benchmark (issue 14): rbl-publish writing 1,000,000 entries to CSV against the sqlite3
# shell's CSV dump of the same entries table, and a channel's delta with 1% of the rows changed
# against a full export; medians of RUNS, alternated in one go, with peak RSS.
#
#   bash bench/run_publish.sh BIN_DIR [BASE_BIN_DIR]
#
# Builds (once, cached in $RBL_BENCH_DIR) a database of ENTRIES entries: a small generated import
# adjudicated by rbl-adjudicate, whose entries are then copied by SQL (new ids, other subjects'
# ids) up to ENTRIES, so that every row has real text: titles, basis, explanation, evidence.
# Each round, alternately:
#   (a) baseline: sqlite3 -csv DB "SELECT * FROM entries" > FILE;
#   (b) BIN_DIR/rbl-publish --status effective --out FILE (and BASE_BIN_DIR's, when given: a
#       before/after in the same go, with a check that both wrote the same bytes);
#   (c) on the round's copy of the database, whose channel 'bench' published everything in the
#       round before: 1% of the entries changed (their expiry a day later, by SQL), then
#       rbl-publish --channel bench --delta, timed (and, with BASE_BIN_DIR, the same on a second
#       copy with the base build).
# Environment: RBL_BENCH_DIR (/tmp/rbl-bench), RBL_BENCH_ENTRIES (1000000), RBL_BENCH_RUNS (3).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bash bench/run_publish.sh BIN_DIR [BASE_BIN_DIR]" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin_dir=$(cd "$1" && pwd)
base_dir=""
[ $# -ge 2 ] && base_dir=$(cd "$2" && pwd)
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
    "$bin_dir/rbl-adjudicate" --db "$db" -q > /dev/null
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
results="$work/publish-results.txt"
: > "$results"
# timed NAME CMD...: runs CMD under GNU time, appends "NAME seconds cpu_seconds KB" to $results.
timed() {
    local name=$1; shift
    /usr/bin/time -f '%e %U %S %M' -o "$work/t.txt" "$@"
    read -r t u s m < "$work/t.txt"
    echo "$name $t $(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }') $m" | tee -a "$results" >&2
}
# publish BIN_DIR DB ARGS...: the command line of an export (GNU time runs no shell function).
publish() { publish_cmd=("$1/rbl-publish" --db "$2" -q --status effective "${@:3}"); }
# The delta's database: a copy whose channel has published everything once.
delta_db="$work/publish-delta.db"
rm -f "$delta_db"*
cp "$db" "$delta_db"
publish "$bin_dir" "$delta_db" --channel bench --out "$work/publish-first.csv"
"${publish_cmd[@]}"
sides=(new); [ -n "$base_dir" ] && sides=(new base)
for i in $(seq 1 "$runs"); do
    timed baseline sh -c "sqlite3 -csv '$db' 'SELECT * FROM entries' > '$work/publish-sqlite.csv'"
    for side in "${sides[@]}"; do
        dir=$bin_dir; [ "$side" = base ] && dir=$base_dir
        publish "$dir" "$db" --out "$work/publish-$side.csv"
        timed "full-$side" "${publish_cmd[@]}"
    done
    if [ -n "$base_dir" ]; then
        cmp "$work/publish-new.csv" "$work/publish-base.csv" \
            || { echo "run_publish: the two builds wrote different files" >&2; exit 1; }
    fi
    # 1% of the entries change (a different hundredth each round), then each build's delta.
    sqlite3 "$delta_db" "UPDATE entries SET expires_on = date(expires_on, '+1 day')
                         WHERE expires_on <> '' AND entry_id % 100 = $i % 100"
    for side in "${sides[@]}"; do
        dir=$bin_dir; [ "$side" = base ] && dir=$base_dir
        target=$delta_db
        if [ "$side" = new ] && [ -n "$base_dir" ]; then
            target="$work/publish-delta-new.db"; rm -f "$target"*; cp "$delta_db" "$target"
        fi
        publish "$dir" "$target" --channel bench --delta --out "$work/publish-delta-$side.csv"
        timed "delta-$side" "${publish_cmd[@]}"
    done
    if [ -n "$base_dir" ]; then
        cmp "$work/publish-delta-new.csv" "$work/publish-delta-base.csv" \
            || { echo "run_publish: the two builds wrote different deltas" >&2; exit 1; }
    fi
done
rows=$(( $(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))))' "$work/publish-new.csv") - 1 ))
delta_rows=$(( $(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))))' "$work/publish-delta-new.csv") - 1 ))
echo
echo "rbl-publish CSV export: $count entries in the database, $rows rows written (delta: $delta_rows rows), median of $runs"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB"
python3 - "$results" "$rows" <<'PY'
import statistics, sys
rows = int(sys.argv[2])
runs = {}
for line in open(sys.argv[1]):
    name, wall, cpu, kb = line.split()
    runs.setdefault(name, []).append((float(wall), float(cpu), int(kb)))
def med(name, i):
    return statistics.median(r[i] for r in runs[name])
print(f"{'run':<12} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} {'rows/s':>9}")
for name in runs:
    rate = f"{rows / med(name, 0):,.0f}" if name.startswith("full") or name == "baseline" else ""
    print(f"{name:<12} {med(name, 0):>8.2f} {med(name, 1):>8.2f} {med(name, 2) / 1024:>9.0f} {rate:>9}")
def ratios(a, b):  # pair by pair, round by round
    return [x[0] / y[0] for x, y in zip(runs[a], runs[b])]
for side in ("new", "base"):
    if f"full-{side}" not in runs:
        continue
    r = ratios(f"full-{side}", "baseline")
    print(f"full-{side} / baseline (goal <= 0.35): median {statistics.median(r):.2f} of {['%.2f' % x for x in r]}")
    r = ratios(f"delta-{side}", f"full-{side}")
    print(f"delta-{side} / full-{side} (goal <= 0.3): median {statistics.median(r):.2f} of {['%.2f' % x for x in r]}")
if "full-base" in runs:
    r = ratios("full-new", "full-base")
    print(f"full new / base: median {statistics.median(r):.2f} of {['%.2f' % x for x in r]}")
    r = ratios("delta-new", "delta-base")
    print(f"delta new / base: median {statistics.median(r):.2f} of {['%.2f' % x for x in r]}")
PY
rm -f "$work"/publish-*.csv "$work/t.txt" "$work/publish-delta-new.db"*
