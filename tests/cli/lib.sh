# shellcheck shell=bash
# Shared helpers for the CLI test scripts (bash, TAP output). Source it from tests/cli/*.sh, which
# run from the repository root (meson sets workdir there, and REEL_BIN to the built binary).
#
#   ok DESC / not_ok DESC [DIAG...]   one TAP result; diagnostics are printed as '# ...' lines
#   check DESC CMD...                 ok when CMD exits 0, not_ok otherwise
#   is DESC GOT WANT                  ok when the two strings are equal (diagnoses both)
#   skip DESC REASON                  'ok N - DESC # SKIP REASON'
#   plan_done                         prints 1..N and exits 1 when anything failed
#   need_media REL...                 files under $REEL_MEDIA; missing ones end the script failing
#   reel ARGS...                      runs $REEL_BIN
#   rr ARGS...                        runs $REEL_BIN capturing $W/rr.out, $W/rr.err and $RC
#   copy_footage DIR REL...           copies media files into DIR/footage (mtimes kept)
#   make_project DIR REL...           copy_footage + `reel init DIR --footage DIR/footage` + small_delivery
#   small_delivery DIR                the brief's delivery made 320x180 ultrafast (tests that run the
#                                     whole pipeline render it; 1080p would dominate their time)
#   hash_out DIR                      sha256 of every file under DIR/out, sorted by path
#   footage_state DIR                 checksum, size and mtime (ns) of every file under DIR/footage
#   no_partials DIR                   0 when no *.partial exists under DIR/out
#   json_events FILE TYPE [AGENT]     how many JSON lines of FILE have type TYPE (and agent AGENT)
#
# $W is a fresh work directory, removed on exit (with any background job still running).
set -u

REPO_ROOT=$(pwd)
REEL_BIN=${REEL_BIN:-build/reel}
case $REEL_BIN in /*) ;; *) REEL_BIN=$REPO_ROOT/$REEL_BIN ;; esac
REEL_MEDIA=${REEL_MEDIA:-.cache/media}
case $REEL_MEDIA in /*) ;; *) REEL_MEDIA=$REPO_ROOT/$REEL_MEDIA ;; esac
export REEL_MEDIA

T_N=0
T_FAILED=0
BG_PIDS=()

W=$(mktemp -d "${TMPDIR:-/tmp}/reel-cli.XXXXXX") || { echo "Bail out! mktemp -d failed"; exit 1; }
_cleanup() {
    local p
    for p in "${BG_PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
    wait 2>/dev/null
    chmod -R u+rwX "$W" 2>/dev/null
    rm -rf "$W"
}
trap _cleanup EXIT

diag() {
    local line
    while IFS= read -r line; do printf '# %s\n' "$line"; done <<<"$*"
}

# diag_file FILE [MAX_LINES]: a file's tail as diagnostics.
diag_file() {
    [ -f "$1" ] || { diag "($1 does not exist)"; return; }
    tail -n "${2:-15}" "$1" | while IFS= read -r line; do printf '#   %s\n' "$line"; done
}

ok() {
    T_N=$((T_N + 1))
    echo "ok $T_N - $1"
}

not_ok() {
    T_N=$((T_N + 1))
    T_FAILED=$((T_FAILED + 1))
    echo "not ok $T_N - $1"
    shift
    local d
    for d in "$@"; do diag "$d"; done
}

skip() {
    T_N=$((T_N + 1))
    echo "ok $T_N - $1 # SKIP $2"
}

# todo DESC CMD...: a known problem; reported, not counted as a failure (TAP TODO).
todo() {
    local desc=$1
    shift
    T_N=$((T_N + 1))
    if "$@"; then echo "ok $T_N - $desc # TODO known issue (now passes: remove the TODO)"
    else echo "not ok $T_N - $desc # TODO known issue"; fi
}

check() {
    local desc=$1
    shift
    if "$@"; then ok "$desc"; else not_ok "$desc" "command failed: $*"; fi
}

is() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got:  $2" "want: $3"; fi
}

plan_done() {
    echo "1..$T_N"
    [ "$T_FAILED" -eq 0 ] || { diag "$T_FAILED of $T_N failed"; exit 1; }
    exit 0
}

bail() {
    echo "Bail out! $*"
    exit 1
}

need_media() {
    local f missing=()
    for f in "$@"; do [ -f "$REEL_MEDIA/$f" ] || missing+=("$REEL_MEDIA/$f"); done
    if [ ${#missing[@]} -gt 0 ]; then
        not_ok "test media present" "missing: ${missing[*]}" \
            "run scripts/fetch-media.sh (real/) and scripts/gen-media.sh (synth/, bad/) first"
        plan_done
    fi
    [ -x "$REEL_BIN" ] || { not_ok "reel binary at $REEL_BIN" "build it first: ninja -C build"; plan_done; }
    command -v ffprobe >/dev/null && command -v ffmpeg >/dev/null && command -v python3 >/dev/null ||
        { not_ok "ffmpeg, ffprobe and python3 available"; plan_done; }
}

reel() { "$REEL_BIN" "$@"; }

RC=0
rr() {
    "$REEL_BIN" "$@" >"$W/rr.out" 2>"$W/rr.err"
    RC=$?
    return 0
}

# rr_diag: the last rr's exit status and output, for a failure message.
rr_diag() {
    echo "exit status $RC"
    echo "stdout: $(tail -c 1500 "$W/rr.out")"
    echo "stderr: $(tail -c 1500 "$W/rr.err")"
}

copy_footage() {
    local dir=$1 f
    shift
    mkdir -p "$dir/footage"
    for f in "$@"; do cp -p "$REEL_MEDIA/$f" "$dir/footage/" || return 1; done
}

make_project() {
    local dir=$1
    shift
    copy_footage "$dir" "$@" || return 1
    "$REEL_BIN" --quiet init "$dir" --footage "$dir/footage" >"$W/init.out" 2>&1 && small_delivery "$dir"
}

small_delivery() {
    sed -i 's/^    width: 1920$/    width: 320/; s/^    height: 1080$/    height: 180/; s/^    preset: medium$/    preset: ultrafast/' \
        "$1/reel.yaml"
}

hash_out() {
    [ -d "$1/out" ] || return 0
    (cd "$1/out" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
}

footage_state() {
    (cd "$1/footage" && find . -type f -print0 | LC_ALL=C sort -z |
        xargs -0 -r stat -c '%n %s %y %a' && find . -type f -print0 | LC_ALL=C sort -z |
        xargs -0 -r sha256sum 2>/dev/null)
}

no_partials() {
    [ -z "$(find "$1/out" -name '*.partial' 2>/dev/null)" ]
}

# json_events FILE TYPE [AGENT]: count of lines {"type":TYPE,...} (with "agent":AGENT).
json_events() {
    python3 - "$@" <<'EOF'
import json, sys
path, typ = sys.argv[1], sys.argv[2]
agent = sys.argv[3] if len(sys.argv) > 3 else None
n = 0
for line in open(path, encoding="utf-8"):
    line = line.strip()
    if not line:
        continue
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if o.get("type") == typ and (agent is None or o.get("agent") == agent):
        n += 1
print(n)
EOF
}

# json_tasks FILE TYPE: the sorted task ids of events of TYPE, one line, space separated.
json_tasks() {
    python3 - "$@" <<'EOF'
import json, sys
ids = []
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if o.get("type") == sys.argv[2]:
        ids.append(o.get("task") or "")
print(" ".join(sorted(ids)))
EOF
}

# json_get FILE EXPR: evaluate a python expression over the JSON document d in FILE.
json_get() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1], encoding="utf-8")); print(eval(sys.argv[2]))' "$1" "$2"
}

# status_field DIR FIELD: a field of `reel status --json`'s summary line.
status_field() {
    "$REEL_BIN" --json status "$1" 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    if o.get("type") == "status":
        print(o.get(sys.argv[1]))' "$2"
}

# valid_media FILE: ffprobe reads it and it has at least one stream.
valid_media() {
    [ -n "$(ffprobe -v error -show_entries stream=codec_type -of csv=p=0 "$1" 2>/dev/null)" ]
}

# decodes_clean FILE: ffmpeg decodes every stream with no error.
decodes_clean() {
    local err
    err=$(ffmpeg -nostdin -v error -i "$1" -f null - 2>&1) && [ -z "$err" ]
}

# outputs_complete DIR: every file under DIR/out is whole (media probes and decodes, JSON parses).
# Prints the offending files.
outputs_complete() {
    local f bad=0
    while IFS= read -r -d '' f; do
        case $f in
        *.mp4 | *.mov) decodes_clean "$f" || { echo "incomplete media: $f"; bad=1; } ;;
        *.jpg) valid_media "$f" || { echo "unreadable image: $f"; bad=1; } ;;
        *.json) python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$f" 2>/dev/null ||
            { echo "invalid JSON: $f"; bad=1; } ;;
        esac
    done < <(find "$1/out" -type f -print0 2>/dev/null)
    return $bad
}

# wait_for SECONDS CMD...: poll CMD every 0.05 s until it succeeds; 1 on timeout.
wait_for() {
    local limit=$1 t=0
    shift
    while ! "$@"; do
        sleep 0.05
        t=$((t + 1))
        [ $t -ge $((limit * 20)) ] && return 1
    done
    return 0
}

# agents_of SCOPE: the builtin agents of that scope (clip or project), from `reel agents --json`, so
# the tests follow the pipeline as agents are added.
agents_of() {
    "$REEL_BIN" agents --json | python3 -c '
import json, sys
print(" ".join(a["name"] for a in map(json.loads, sys.stdin) if a.get("scope") == sys.argv[1]))' "$1"
}

# n_tasks NCLIPS: how many tasks a run of NCLIPS clips plans.
n_tasks() {
    local c p
    c=$(agents_of clip | wc -w)
    p=$(agents_of project | wc -w)
    echo $(( $1 * c + p ))
}

# all_tasks CLIP...: every task id a run of these clips plans, sorted as json_tasks prints them.
all_tasks() {
    local a c out=""
    for a in $(agents_of project); do out="$out $a"; done
    for a in $(agents_of clip); do for c in "$@"; do out="$out $a:$c"; done; done
    echo $out | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//'
}
