#!/usr/bin/env bash
# run.sh: every benchmark in turn, on an optimised build (build-bench, --buildtype=release), then
# a summary of all TARGET lines. Called by `make bench`.
#
#   BENCH_BUILD  build dir (default: <repo>/build-bench)
#   REEL_BIN     reel binary for ingest.sh (default: $BENCH_BUILD/reel)
#
# Exits 0 when every bench ran (targets may PASS or FAIL: read the summary); 2 when a bench could
# not run (build failed, tools or media missing).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BENCH_BUILD:-$ROOT/build-bench}
cd "$ROOT" || exit 2

if [ ! -f "$BUILD/build.ninja" ]; then
    meson setup "$BUILD" --buildtype=release || { echo "run.sh: meson setup $BUILD failed" >&2; exit 2; }
fi
ninja -C "$BUILD" || { echo "run.sh: build of $BUILD failed" >&2; exit 2; }
export REEL_BIN=${REEL_BIN:-$BUILD/reel}

LOG=$(mktemp "${TMPDIR:-/tmp}/reel-bench-log.XXXXXX") || exit 2
trap 'rm -f "$LOG"' EXIT
status=0

run_bench() {
    local name=$1; shift
    echo
    echo "==== $name ===="
    "$@" 2>&1 | tee -a "$LOG"
    local rc=${PIPESTATUS[0]}
    if [ "$rc" -ne 0 ]; then
        echo "run.sh: $name could not run (exit $rc)" | tee -a "$LOG" >&2
        echo "TARGET $name: NOT RUN (exit $rc)" >>"$LOG"
        status=2
    fi
}

run_bench bench_orch "$BUILD/bench/bench_orch"
run_bench ingest bash "$ROOT/bench/ingest.sh"
run_bench shots bash "$ROOT/bench/shots.sh"
run_bench loudness bash "$ROOT/bench/loudness.sh"
run_bench denoise bash "$ROOT/bench/denoise.sh"
run_bench restore bash "$ROOT/bench/restore.sh"
run_bench lut bash "$ROOT/bench/lut.sh"
run_bench look bash "$ROOT/bench/look.sh"
run_bench deflicker bash "$ROOT/bench/deflicker.sh"
run_bench qc bash "$ROOT/bench/qc.sh"
run_bench render bash "$ROOT/bench/render.sh"
run_bench transcribe bash "$ROOT/bench/transcribe.sh"

echo
echo "==== summary ===="
grep '^TARGET ' "$LOG"
npass=$(grep -c '^TARGET .* PASS$' "$LOG")
nall=$(grep -c '^TARGET ' "$LOG")
echo "$npass of $nall targets met"
exit $status
