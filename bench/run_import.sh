#!/usr/bin/env bash
# Import benchmark: rbl-import against a plain `sqlite3 .import` of the same CSV file.
#
#   bash bench/run_import.sh BIN_DIR [BASE_BIN_DIR]   (make bench runs it with build/bin)
#
# Generates RECORDS records over SUBJECTS subjects with bench/gen_records.py (cached, so only the
# first run pays for it), then RUNS times, alternately:
#   (a) baseline: sqlite3 on a fresh database file, `.mode csv` + `.import FILE records` into a new
#       plain table (no validation, no indexes - the floor for "get this CSV into SQLite");
#   (b) rbl:      BIN_DIR/rbl-import --db FRESH.db --rules rules -q --json FILE
#   (c) with BASE_BIN_DIR: the same import with that build's rbl-import (a before/after in the
#       same go, with each pair's ratio new/base)
# and prints the median wall time, CPU time and peak RSS of each, the ratio rbl/baseline, and the
# machine.
# Record the results in docs/PERFORMANCE.md.
#
# Environment (all optional):
#   RBL_BENCH_RECORDS  (1000000)  RBL_BENCH_SUBJECTS (200000)  RBL_BENCH_SEED (1)
#   RBL_BENCH_RUNS     (3)        RBL_BENCH_DIR      (${TMPDIR:-/tmp}/rbl-bench: data and scratch)
# Needs only bash, python3 and sqlite3. Peak RSS needs GNU time (/usr/bin/time); without it wall
# times come from bash's `time` and RSS is not measured.
set -euo pipefail

usage() { echo "usage: bash bench/run_import.sh BIN_DIR" >&2; exit 2; }
[ $# -eq 1 ] || [ $# -eq 2 ] || usage

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin_dir=$(cd "$1" 2>/dev/null && pwd) || { echo "run_import: error: no such folder: $1" >&2; exit 2; }
rbl_import="$bin_dir/rbl-import"
base_import=""
if [ $# -eq 2 ]; then
    base_import="$(cd "$2" 2>/dev/null && pwd)/rbl-import"
    [ -x "$base_import" ] || { echo "run_import: error: $base_import not found" >&2; exit 2; }
fi
[ -x "$rbl_import" ] || { echo "run_import: error: $rbl_import not found or not executable (build first: make build)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "run_import: error: sqlite3 not found (apt-get install sqlite3)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "run_import: error: python3 not found" >&2; exit 2; }

records=${RBL_BENCH_RECORDS:-1000000}
subjects=${RBL_BENCH_SUBJECTS:-200000}
seed=${RBL_BENCH_SEED:-1}
runs=${RBL_BENCH_RUNS:-3}
work=${RBL_BENCH_DIR:-${TMPDIR:-/tmp}/rbl-bench}
mkdir -p "$work"

# The data file's name carries the generator's hash, so a changed generator makes a new file.
gen_hash=$(cat "$repo/bench/gen_records.py" "$repo/bench/rbl_ids.py" | sha256sum | cut -c1-12)
data="$work/records-${records}-${subjects}-s${seed}-${gen_hash}.csv"
if [ ! -s "$data" ]; then
    echo "run_import: generating $records records over $subjects subjects -> $data" >&2
    python3 "$repo/bench/gen_records.py" --subjects "$subjects" --records "$records" \
        --seed "$seed" --out "$data.tmp" --format csv
    mv "$data.tmp" "$data"
else
    echo "run_import: using cached $data" >&2
fi
size_mb=$(( $(stat -c %s "$data") / 1048576 ))

gnu_time=""
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null; then
    gnu_time=/usr/bin/time
fi

# measure OUT_FILE CMD...: runs CMD, writes "SECONDS KB" (KB "-" when unknown) to OUT_FILE and
# returns CMD's exit code.
measure() {
    local out=$1; shift
    local rc=0
    if [ -n "$gnu_time" ]; then
        "$gnu_time" -f '%e %M %U %S' -o "$out" "$@" || rc=$?
        # GNU time prints "Command exited with non-zero status N" first on failure: keep the last line.
        tail -n 1 "$out" > "$out.last" && mv "$out.last" "$out"
    else
        local TIMEFORMAT='%R'
        { time "$@" 2>"$out.err" ; } 2>"$out.t" || rc=$?
        echo "$(tail -n 1 "$out.t") -" > "$out"
        cat "$out.err" >&2 || true
        rm -f "$out.t" "$out.err"
    fi
    return $rc
}

kb() { if [ "$1" = - ]; then echo "RSS n/a"; else echo "$1 KB"; fi; }

export RBL_OPERATOR=${RBL_OPERATOR:-bench}
base_t=(); base_m=(); rbl_t=(); rbl_m=(); rbl_c=(); old_t=(); old_c=(); old_m=()
summary=""
for i in $(seq 1 "$runs"); do
    db="$work/baseline.db"
    rm -f "$db" "$db-wal" "$db-shm"
    measure "$work/m.txt" sqlite3 "$db" ".mode csv" ".import '$data' records" || { echo "run_import: error: sqlite3 .import failed" >&2; exit 1; }
    read -r t m < "$work/m.txt"
    base_t+=("$t"); base_m+=("$m")
    rows=$(sqlite3 "$db" "SELECT count(*) FROM records")
    echo "run $i: sqlite3 .import  ${t}s  $(kb "$m")  ($rows rows)" >&2
    rm -f "$db" "$db-wal" "$db-shm"

    db="$work/rbl.db"
    rm -f "$db" "$db-wal" "$db-shm"
    rc=0
    measure "$work/m.txt" "$rbl_import" --db "$db" --rules "$repo/rules" -q --json "$data" \
        > "$work/rbl.json" || rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
        echo "run_import: error: rbl-import exited with $rc" >&2
        exit 1
    fi
    read -r t m u s < "$work/m.txt"
    rbl_t+=("$t"); rbl_m+=("$m"); rbl_c+=("$(awk -v u="${u:-0}" -v s="${s:-0}" 'BEGIN { print u + s }')")
    summary=$(cat "$work/rbl.json")
    echo "run $i: rbl-import       ${t}s  $(kb "$m")  (exit $rc) $summary" >&2
    rm -f "$db" "$db-wal" "$db-shm"
    if [ -n "$base_import" ]; then
        rc=0
        measure "$work/m.txt" "$base_import" --db "$db" --rules "$repo/rules" -q --json "$data" \
            > "$work/base.json" || rc=$?
        [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || { echo "run_import: error: base rbl-import exited with $rc" >&2; exit 1; }
        read -r t m u s < "$work/m.txt"
        old_t+=("$t"); old_m+=("$m"); old_c+=("$(awk -v u="${u:-0}" -v s="${s:-0}" 'BEGIN { print u + s }')")
        echo "run $i: base rbl-import  ${t}s  $(kb "$m")  (exit $rc) $(cat "$work/base.json")" >&2
        rm -f "$db" "$db-wal" "$db-shm"
    fi
done
rm -f "$work/m.txt" "$work/rbl.json" "$work/base.json"

median() {  # values...; "-" when any is unknown
    case " $* " in *" - "*) echo "-"; return ;; esac
    printf '%s\n' "$@" | sort -g | awk '
        { v[NR] = $1 }
        END {
            if (NR == 0) { print "-"; exit }
            if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
        }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f\n", a / b }'; }

bt=$(median "${base_t[@]}"); bm=$(median "${base_m[@]}")
rt=$(median "${rbl_t[@]}"); rm_=$(median "${rbl_m[@]}")
rate() { awk -v n="$records" -v t="$1" 'BEGIN { if (t == "-" || t == 0) print "-"; else printf "%.0f\n", n / t }'; }
mb() { awk -v k="$1" 'BEGIN { if (k == "-") print "-"; else printf "%.0f\n", k / 1024 }'; }

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)

echo
echo "rbl import benchmark: $records records, $subjects subjects, ${size_mb} MiB CSV, median of $runs runs"
echo "machine: $(nproc) CPUs, ${cpu:-unknown CPU}, ${mem:-unknown memory}; sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
printf '%-20s %10s %12s %12s\n' "" "wall (s)" "rows/s" "peak RSS MiB"
printf '%-20s %10s %12s %12s\n' "sqlite3 .import" "$bt" "$(rate "$bt")" "$(mb "$bm")"
printf '%-20s %10s %12s %12s\n' "rbl-import" "$rt" "$(rate "$rt")" "$(mb "$rm_")"
printf '%-20s %10s %12s %12s\n' "ratio rbl/baseline" "$(ratio "$rt" "$bt")" "" "$(ratio "$rm_" "$bm")"
echo "rbl-import CPU (user + system), median: $(median "${rbl_c[@]}") s"
if [ -n "$base_import" ]; then
    ot=$(median "${old_t[@]}")
    printf '%-20s %10s %12s %12s\n' "base rbl-import" "$ot" "$(rate "$ot")" "$(mb "$(median "${old_m[@]}")")"
    printf '%-20s %10s\n' "ratio base/baseline" "$(ratio "$ot" "$bt")"
    pairs=""
    for j in "${!rbl_t[@]}"; do pairs="$pairs $(ratio "${rbl_t[$j]}" "${old_t[$j]}")"; done
    echo "new/base wall, pair by pair:$pairs (median $(median $pairs)); CPU median new $(median "${rbl_c[@]}") s, base $(median "${old_c[@]}") s"
fi
echo "rbl-import --json (last run): $summary"
if [ -z "$gnu_time" ]; then
    echo "note: GNU time (/usr/bin/time) not found: wall times from bash's time, peak RSS not measured"
fi
