#!/usr/bin/env bash
# make demo: the whole pipeline that exists so far, on samples/, into a fresh local database.
# Usage: samples/demo.sh BIN_DIR DEMO_DIR
set -euo pipefail
bin=${1:?usage: demo.sh BIN_DIR DEMO_DIR}
out=${2:?usage: demo.sh BIN_DIR DEMO_DIR}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bin=$(cd "$bin" && pwd)

mkdir -p "$out"
out=$(cd "$out" && pwd)
db="$out/rbl.db"
rm -f "$db" "$db-wal" "$db-shm"
export RBL_DB="$db" RBL_RULES="$root/rules" RBL_OPERATOR="${RBL_OPERATOR:-demo}"

step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "1. Import the sample records into $db"
for file in courts tax work_safety statistics public_resource customs government; do
    run "$bin/rbl-import" "$root/samples/records/$file.csv"
done
run "$bin/rbl-import" "$root/samples/records/labour.jsonl"
run "$bin/rbl-import" --encoding gb18030 "$root/samples/records/environment_gb18030.csv"
run "$bin/rbl-import" --source market-bureau \
    --mapping "$root/samples/mappings/shuanggongshi_penalty.yaml" \
    "$root/samples/records/market_penalties_shuanggongshi.csv"

step "2. Import the same file again: nothing changes"
run "$bin/rbl-import" "$root/samples/records/courts.csv"

step "3. A file with bad rows: the good rows load, the bad ones go to a rejects file (exit 3)"
set +e
run "$bin/rbl-import" --rejects "$out/rejects.csv" "$root/samples/bad/bad_rows.csv"
code=$?
set -e
echo "exit code: $code (3 = some rows rejected)"
echo "rejects written to $out/rejects.csv:"
python3 - "$out/rejects.csv" <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    for row in csv.reader(f):
        print(f"  {row[0]:>4}  {row[1]:<13} {row[2]}")
PY

step "4. What the database holds"
sqlite3 -header -column "$db" \
    "SELECT domain, count(*) AS records, count(DISTINCT subject_id) AS subjects
     FROM records GROUP BY domain ORDER BY domain;"
sqlite3 -header -column "$db" \
    "SELECT seq, operator, action, object FROM audit_log ORDER BY seq;"
printf '\nDone. The database is %s\n' "$db"
