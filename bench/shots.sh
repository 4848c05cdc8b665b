#!/usr/bin/env bash
# shots.sh: the shot/transition detector, accuracy and speed, measured in one run.
#
#   (1) accuracy: `reel shots FILE --json` on every file of the evaluation set built from real
#       footage by scripts/gen-shots-testset.sh ($REEL_MEDIA/shots: 6 composed 640x360 videos with
#       computed truth + cityCC0.mpg and Megamind.avi with hand-verified real cuts), scored
#       TRECVID-style by bench/shots_score.py (greedy 1:1; cut within +-2 frames; gradual by
#       interval overlap). Targets: F1 overall >= 0.97, F1 gradual >= 0.95; no false cuts at
#       flashes (informative line).
#   (2) speed: for 960x540, 1920x1080 (20 s) and 3840x2160 (10 s) versions of a test video, median
#       of RUNS of `ffmpeg -v error -threads 2 -i F -f null -` (decode floor) against
#       `reel shots F --json --threads 2`, interleaved; ratio reel/ffmpeg, target <= 1.10.
#       640x360 is measured too, informative (no target: decoding is so cheap there that
#       per-frame analysis shows).
#
#   (3) random sequences, informative: $REEL_MEDIA/shots/tune (gen-shots-testset.sh --tune: 6
#       sequences drawn at random with fixed seeds from the same clips; the detector is tuned on
#       them) and $REEL_MEDIA/shots/heldout (--heldout: 3 more, other seeds, never used for
#       tuning), scored the same way. SHOTS_SKIP_HELDOUT=1 skips both.
#   (4) robustness, informative: the composed videos of (1) scaled to 960x540 (libx264 veryfast
#       crf 20, in a temp dir), scored again: the detector was tuned at 640x360, and 540p
#       analysis goes through the 3x box and the decoder's fast path. SHOTS_SKIP_540=1 skips it.
#
#   REEL_BIN   the reel binary (default: build-bench/reel, an optimised build)
#   RUNS       repeats per speed measurement (default 3)
#   REEL_MEDIA media cache root (default: <repo>/.cache/media)
#   SHOTS_SKIP_SPEED=1  accuracy only
#
# Exits 0 whether targets pass or fail; 2 when it cannot run (tools, media or `reel shots`
# missing).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MEDIA=${REEL_MEDIA:-$ROOT/.cache/media}
SHOTS=$MEDIA/shots
REEL=${REEL_BIN:-$ROOT/build-bench/reel}
RUNS=${RUNS:-3}
SCORE=$ROOT/bench/shots_score.py

die() { echo "shots.sh: $*" >&2; exit 2; }

command -v ffmpeg >/dev/null || die "ffmpeg is missing (apt-get install -y ffmpeg)"
command -v python3 >/dev/null || die "python3 is missing"
[ -x "$REEL" ] || die "reel binary $REEL not found: build it (meson setup build-bench --buildtype=release && ninja -C build-bench) or set REEL_BIN"

WANT=""
[ "${SHOTS_SKIP_SPEED:-0}" = 1 ] || WANT=--speed
[ "${SHOTS_SKIP_HELDOUT:-0}" = 1 ] || WANT="$WANT --heldout --tune"
GEN=$ROOT/scripts/gen-shots-testset.sh
if [ ! -f "$SHOTS/.stamp" ] ||
    { [ "${SHOTS_SKIP_SPEED:-0}" != 1 ] && [ "$(cat "$SHOTS/speed/.stamp" 2>/dev/null)" != "$(sed -n 's/^SPEED_VERSION="\(.*\)"$/\1/p' "$GEN")" ]; } ||
    { [ "${SHOTS_SKIP_HELDOUT:-0}" != 1 ] && [ "$(cat "$SHOTS/heldout/.stamp" 2>/dev/null)" != "$(sed -n 's/^HELDOUT_VERSION="\(.*\)"$/\1/p' "$GEN")" ]; } ||
    { [ "${SHOTS_SKIP_HELDOUT:-0}" != 1 ] && [ "$(cat "$SHOTS/tune/.stamp" 2>/dev/null)" != "$(sed -n 's/^TUNE_VERSION="\(.*\)"$/\1/p' "$GEN")" ]; } ||
    [ "$(cat "$SHOTS/.stamp" 2>/dev/null)" != "$(sed -n 's/^VERSION="\(.*\)"$/\1/p' "$ROOT/scripts/gen-shots-testset.sh")" ]; then
    echo "shots.sh: evaluation set missing or stale, running scripts/gen-shots-testset.sh $WANT" >&2
    bash "$ROOT/scripts/gen-shots-testset.sh" $WANT >&2 || die "scripts/gen-shots-testset.sh failed"
fi
ls "$SHOTS"/*.truth.json >/dev/null 2>&1 || die "no truth files in $SHOTS"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/reel-bench-shots.XXXXXX") || die "cannot make a temp dir"
trap 'rm -rf "$TMP"' EXIT
DET=$TMP/det
mkdir -p "$DET"

# media file for a truth file: the "clip" field, else NAME.mp4
media_of() {
    local t=$1 clip
    clip=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("clip",""))' "$t" 2>/dev/null)
    [ -n "$clip" ] || clip=$(basename "$t" .truth.json).mp4
    echo "$SHOTS/$clip"
}

# does `reel shots` exist at all? (the detector may not be built yet)
first=$(ls "$SHOTS"/*.truth.json | head -1)
"$REEL" shots "$(media_of "$first")" --json >"$TMP/probe.json" 2>"$TMP/probe.err"
rc=$?
if [ $rc -ne 0 ]; then
    if grep -qiE "not built yet|unknown (command|subcommand)|no such command|not implemented" "$TMP/probe.err" "$TMP/probe.json"; then
        die "\`reel shots\` is not built yet in $REEL (rc $rc): $(head -c 300 "$TMP/probe.err" | tr '\n' ' ')"
    fi
    die "reel shots $(media_of "$first") --json failed (rc $rc): $(head -c 300 "$TMP/probe.err" | tr '\n' ' ')"
fi

echo "shots.sh: reel=$REEL runs=$RUNS cores=$(nproc)"
echo
echo "== accuracy ($SHOTS)"
fail=0
for t in "$SHOTS"/*.truth.json; do
    base=$(basename "$t" .truth.json)
    m=$(media_of "$t")
    [ -f "$m" ] || die "media for $t missing: $m"
    if ! "$REEL" shots "$m" --json >"$DET/$base.json" 2>"$TMP/$base.err"; then
        echo "shots.sh: reel shots $m failed: $(tail -3 "$TMP/$base.err")" >&2
        fail=$((fail + 1))
        rm -f "$DET/$base.json"   # scored as everything missed
    fi
done
python3 "$SCORE" --dir "$SHOTS" "$DET" --verbose --summary-json "$TMP/summary.json" ||
    die "bench/shots_score.py failed"
[ -s "$TMP/summary.json" ] || die "no score summary"
read -r F1_ALL F1_CUT F1_GRAD FCF < <(python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
print("%.4f %.4f %.4f %d" % (d["overall"]["f1"], d["cuts"]["f1"], d["gradual"]["f1"], d["flashes"]["false_cuts_at_flashes"]))' "$TMP/summary.json")
echo
[ $fail -eq 0 ] || echo "shots.sh: $fail file(s) failed in reel shots (scored as all missed)"

verdict_ge() { awk -v v="$1" -v t="$2" 'BEGIN { print (v + 0 >= t + 0) ? "PASS" : "FAIL" }'; }
verdict_le() { awk -v v="$1" -v t="$2" 'BEGIN { print (v != "inf" && v + 0 <= t + 0) ? "PASS" : "FAIL" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }
median() { sort -g "$1" | awk '{a[NR]=$1} END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }

TARGETS=()
TARGETS+=("TARGET shots_f1_overall: $F1_ALL (target >= 0.97) $(verdict_ge "$F1_ALL" 0.97)")
TARGETS+=("TARGET shots_f1_gradual: $F1_GRAD (target >= 0.95) $(verdict_ge "$F1_GRAD" 0.95)")
TARGETS+=("TARGET shots_false_cuts_at_flashes: $FCF (target 0) $([ "$FCF" = 0 ] && echo PASS || echo FAIL)")
echo "cuts alone F1 $F1_CUT (informative)"

if [ "${SHOTS_SKIP_SPEED:-0}" != 1 ]; then
    echo
    echo "== speed (median of $RUNS, interleaved)"
    printf '%-12s %10s %10s %8s\n' "file" "ffmpeg_s" "reel_s" "ratio"
    for spec in s360:640x360 s540:960x540 s1080:1920x1080 s2160:3840x2160; do
        n=${spec%%:*}; label=${spec#*:}
        F=$SHOTS/speed/$n.mp4
        [ -f "$F" ] || die "$F missing (scripts/gen-shots-testset.sh --speed)"
        ffmpeg -nostdin -v error -threads 2 -i "$F" -f null - >/dev/null 2>&1   # warm-up
        "$REEL" shots "$F" --json --threads 2 >/dev/null 2>"$TMP/speed.err" ||
            die "reel shots $F --threads 2 failed: $(tail -3 "$TMP/speed.err")"
        : >"$TMP/ff.$n"; : >"$TMP/re.$n"
        for ((i = 1; i <= RUNS; i++)); do
            a=$(now); ffmpeg -nostdin -v error -threads 2 -i "$F" -f null - >/dev/null 2>&1; b=$(now)
            awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f\n", b - a }' >>"$TMP/ff.$n"
            a=$(now); "$REEL" shots "$F" --json --threads 2 >/dev/null 2>&1; b=$(now)
            awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f\n", b - a }' >>"$TMP/re.$n"
        done
        FF=$(median "$TMP/ff.$n"); RE=$(median "$TMP/re.$n"); R=$(ratio "$RE" "$FF")
        printf '%-12s %10.3f %10.3f %8s\n' "$label" "$FF" "$RE" "$R"
        if [ "$n" = s360 ]; then echo "  (640x360: informative, no target)"
        else TARGETS+=("TARGET shots_vs_decode_$n: ratio $R (target <= 1.10) $(verdict_le "$R" 1.10)"); fi
    done
fi

if [ "${SHOTS_SKIP_HELDOUT:-0}" != 1 ]; then
    for set in tune heldout; do
        echo
        if [ $set = tune ]; then echo "== tuning sequences ($SHOTS/tune: random draws the detector is tuned on; informative)"
        else echo "== held-out accuracy ($SHOTS/heldout: random sequences never used for tuning; informative)"; fi
        mkdir -p "$TMP/$set"
        for t in "$SHOTS/$set"/*.truth.json; do
            base=$(basename "$t" .truth.json)
            "$REEL" shots "$SHOTS/$set/$base.mp4" --json >"$TMP/$set/$base.json" 2>/dev/null || rm -f "$TMP/$set/$base.json"
        done
        python3 "$SCORE" --dir "$SHOTS/$set" "$TMP/$set" --verbose | sed -n "/^${set}_1/,\$p" ||
            die "bench/shots_score.py failed on $SHOTS/$set"
    done
fi

if [ "${SHOTS_SKIP_540:-0}" != 1 ]; then
    echo
    echo "== accuracy at 960x540 (the composed set scaled up; informative, no target)"
    mkdir -p "$TMP/s540" "$TMP/s540det"
    for t in "$SHOTS"/*.truth.json; do
        base=$(basename "$t" .truth.json)
        [ -f "$SHOTS/$base.mp4" ] || continue   # the real clips keep their own size
        ffmpeg -nostdin -v error -y -i "$SHOTS/$base.mp4" -vf scale=960:540:flags=bicubic \
            -c:v libx264 -preset veryfast -crf 20 "$TMP/s540/$base.mp4" || die "cannot scale $base.mp4"
        cp "$t" "$TMP/s540/"
        "$REEL" shots "$TMP/s540/$base.mp4" --json >"$TMP/s540det/$base.json" 2>/dev/null || rm -f "$TMP/s540det/$base.json"
    done
    python3 "$SCORE" --dir "$TMP/s540" "$TMP/s540det" --summary-json "$TMP/s540.json" | sed -n '/^TOTAL/,$p' ||
        die "bench/shots_score.py failed on the 540p set"
fi

echo
printf '%s\n' "${TARGETS[@]}"
exit 0
