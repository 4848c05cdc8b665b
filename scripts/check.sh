#!/usr/bin/env bash
# check.sh: the test runner behind `make check`.
#   1. scripts/deps.sh, scripts/fetch-media.sh, scripts/gen-media.sh (all idempotent)
#   2. build/       debugoptimized, -Werror            -> meson test
#   3. build-asan/  debug, ASan + UBSan, -Werror       -> meson test   (skipped with --quick)
#   4. counts TAP subtests over both builds from meson-logs/testlog.json and ends with the line
#      `N passed, N failed[, N skipped]`; exits non-zero when anything failed or nothing ran.
#
#   scripts/check.sh [--quick] [meson test args, e.g. a test name]
#   REEL_MEDIA  media cache root (default: <repo>/.cache/media), passed on to the tests
#   REEL_WERROR=false  build without -Werror (local triage only; `make check` and CI use -Werror)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

QUICK=0
TEST_ARGS=()
for a in "$@"; do
    case "$a" in
    --quick) QUICK=1 ;;
    -h | --help)
        sed -n '2,11p' "$0"
        exit 0
        ;;
    *) TEST_ARGS+=("$a") ;;
    esac
done

step() { printf '\n==> %s\n' "$*"; }

step "dependencies"
bash scripts/deps.sh
step "real media"
bash scripts/fetch-media.sh
step "synthetic media"
bash scripts/gen-media.sh

export REEL_MEDIA=${REEL_MEDIA:-$ROOT/.cache/media}
NPROC=2
WERROR=${REEL_WERROR:-true}

# setup DIR OPTIONS... : configure a build dir (reconfigure when it exists, wipe when that fails)
setup() {
    local dir=$1
    shift
    if [ -f "$dir/meson-private/coredata.dat" ]; then
        meson configure "$dir" "$@" >/dev/null 2>&1 || meson setup --wipe "$dir" "$@"
    else
        rm -rf "$dir"
        meson setup "$dir" "$@"
    fi
}

BUILDS=()
FAILED_BUILDS=()
# run_build DIR TIMEOUT_MULTIPLIER SETUP_OPTIONS... : configure, build, test; never exits
run_build() {
    local dir=$1 mult=$2
    shift 2
    BUILDS+=("$dir")
    rm -f "$dir/meson-logs/testlog.json"
    step "configure $dir"
    if ! setup "$dir" "$@"; then
        FAILED_BUILDS+=("$dir (configure)")
        return 0
    fi
    step "build $dir"
    if ! ninja -C "$dir"; then
        FAILED_BUILDS+=("$dir (compile)")
        return 0
    fi
    step "test $dir"
    meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes "$NPROC" \
        --timeout-multiplier "$mult" "${TEST_ARGS[@]}" || true # counted from testlog.json below
}

run_build build 1 -Dbuildtype=debugoptimized -Dwerror_ci="$WERROR" -Db_sanitize=none

if [ "$QUICK" = 0 ]; then
    # abort_on_error=0 so a report ends the process with an exit status, not a core dump
    # max_malloc_fill_size: ASan fills whole allocations (as glibc M_PERTURB does for reel), so
    # byte-identical output checks hold under the sanitizers too
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1:print_summary=1:max_malloc_fill_size=1073741824
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:print_summary=1
    export LSAN_OPTIONS=suppressions=$ROOT/scripts/lsan.supp:print_suppressions=0 # third-party leaks only
    run_build build-asan 2 -Dbuildtype=debug -Dwerror_ci="$WERROR" -Db_sanitize=address,undefined \
        -Db_lundef=false
    unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
fi

step "summary"
set +e
python3 - "${#FAILED_BUILDS[@]}" "${FAILED_BUILDS[@]}" -- "${BUILDS[@]}" <<'PY'
import json, os, re, sys

args = sys.argv[1:]
nbad = int(args[0])
failed_builds = args[1:1 + nbad]
builds = args[args.index("--", 1 + nbad) + 1:]

BAD_RESULTS = {"FAIL", "TIMEOUT", "ERROR", "UNEXPECTEDPASS", "INTERRUPT"}
tap_line = re.compile(r"^(not ok|ok)\b(.*)$")
skip_dir = re.compile(r"#\s*skip", re.I)
todo_dir = re.compile(r"#\s*todo", re.I)
plan_skip = re.compile(r"^1\.\.0\b.*#\s*skip", re.I)

passed = failed = skipped = 0
failures = []
for b in failed_builds:
    failed += 1
    failures.append(f"{b}: build failed")

for b in builds:
    log = os.path.join(b, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        continue
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                t = json.loads(line)
            except ValueError:
                continue
            name = t.get("name", "?")
            result = t.get("result", "?")
            out = t.get("stdout") or ""
            p = fl = s = 0
            bad_lines = []
            whole_skip = False
            for l in out.splitlines():
                m = tap_line.match(l)
                if not m:
                    if plan_skip.match(l):
                        whole_skip = True
                    continue
                rest = m.group(2)
                if skip_dir.search(rest):
                    s += 1
                elif m.group(1) == "ok":
                    p += 1
                elif todo_dir.search(rest):
                    s += 1  # expected failure: not counted against the suite
                else:
                    fl += 1
                    bad_lines.append(l.strip())
            if result in BAD_RESULTS and fl == 0:
                # crashed, timed out, sanitizer report at exit, bad plan...: one failure
                fl = 1
                rc = t.get("returncode")
                how = (f"killed by signal {-rc}" if isinstance(rc, int) and rc < 0
                       else f"exit status {rc}")
                bad_lines.append(f"test program {result} ({how}) "
                                 + (f"after {p + s} passing TAP lines" if p + s else "with no TAP line"))
            if p + fl + s == 0 and (result == "SKIP" or whole_skip):
                s = 1
            elif p + fl + s == 0 and result not in BAD_RESULTS:
                p = 1  # a passing program that printed no TAP line counts once
            passed += p
            failed += fl
            skipped += s
            for bl in bad_lines:
                failures.append(f"{b}/{name}: {bl}")

if failures:
    print("FAILURES:")
    for x in failures:
        print("  FAIL " + x)
    print()
total = passed + failed + skipped
summary = f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else "")
if passed + failed == 0:
    print("no tests ran")
print(summary)
sys.exit(1 if failed or passed + failed == 0 else 0)
PY
