#!/usr/bin/env bash
# The second half of `make test`: the end-to-end suite again on PostgreSQL (ctest label pg), in
# a throwaway cluster (tests/pg/cluster.sh) that is stopped and removed at the end, also when a
# test fails or the run is interrupted. Usage: tests/pg/run.sh BUILD_DIR [ctest options...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run.sh BUILD_DIR [ctest options...]}
shift
dir=$(mktemp -d /tmp/rbl-pg-XXXXXX)
trap 'bash "$here/cluster.sh" stop "$dir"' EXIT
trap 'exit 130' INT TERM
bash "$here/cluster.sh" start "$dir"
RBL_TEST_PG_HOST=$dir ctest --test-dir "$build" --output-on-failure -j "$(nproc)" -L pg "$@"
