#!/usr/bin/env bash
# denoise.sh: dialogue noise reduction, reel's denoiser against ffmpeg's own filters (afftdn and
# anlmdn, each over a small grid of settings, the best per mixture kept), side by side in one run,
# scored by SI-SDR (scale-invariant signal-to-distortion ratio, Le Roux et al. 2019) against the
# clean speech.
#
# Clean references (real speech nobody here wrote, from $REEL_MEDIA/real, scripts/fetch-media.sh):
# 16 kHz: cards-001..005, numbers, goforward (PocketSphinx test data), ~20 s; 48 kHz: the eight
# ALSA channel announcements (Front_Center ... Side_Right), ~15 s; each concatenated with 0.5 s of
# digital silence before, 0.4 s between and 0.5 s after. (The LibriVox readings carry real 60 Hz
# hum, so they are never references; they are two of the babble talkers.)
# Noises, at each reference's rate and length, fixed seeds (bench/denoise_score.py gen): pink (1/f);
# babble (5 talkers: the two LibriVox readers and three drawn from the other rate's speech set,
# each level-normalised); hum (50.02 Hz for 16 kHz, 60.02 Hz for 48 kHz, ground-loop harmonics to
# 1 kHz, odd ones stronger, slow wobble and drift, white noise 30 dB under); fan (broadband flat to
# 200 Hz then -6 dB/octave, plus unsteady blade-pass tones at ~120 Hz and harmonics). Each mixed at
# SNR 0, 5, 10 and 20 dB (whole reference against whole noise): 32 mixtures, 32-bit float WAVs.
#
# Contestants, each scored against the clean reference (trimmed to the shorter length, nothing
# realigned; an output whose cross-correlation peaks off lag 0 within +-2000 samples is flagged):
#   input      the noisy mixture itself
#   afftdn     afftdn=tn=1 with nr in {6,12,20,30} x nf in {-30,-40,-50}; on hum mixtures also each
#              behind bandreject=f=50|60:width_type=h:w=4; the best per mixture
#   anlmdn     anlmdn=s in {0.00001,0.0001,0.001,0.01}; the best per mixture
#   ff best    the better of the two
#   reel       $REEL_DENOISE_CMD, a template with {in} and {out}; default
#              "$REEL" -q dialogue {in} --preset none --denoise --dehum auto -o {out} --bits 32f
#              A failed run prints "failed" in its row and the bench carries on. For a dry run of
#              the bench itself: REEL_DENOISE_CMD='ffmpeg -v error -y -i {in} -af afftdn=tn=1
#              -c:a pcm_f32le {out}'
#   ff best*   the best ffmpeg output shifted back by its own lag before scoring; delta* = reel -
#              ff best*. ffmpeg 5.1's afftdn delays its output by 25 ms and anlmdn by 8 ms; SI-SDR
#              does not forgive that, so the plain ffmpeg figures are far below 0 dB and no bar at
#              all for an aligned denoiser. The target is judged against ff best* (reel's own
#              output is never shifted); the plain figures are printed beside it.
# Speed: the reel command on the 48 kHz hum mixture at 0 dB looped to 3 minutes, pinned to one
# core (taskset -c 0), median of RUNS, as x real time (the whole command: decode, hum search,
# cleanup, write); the best afftdn setting on that mixture, timed the same way, beside it.
#
#   TARGET sisdr_gain: at every SNR, mean over noise types and both rates of (reel - ff best*) >= 2 dB
#   TARGET speed: reel >= 100x real time on one core
#   informative: the per-mixture table, the worst delta per SNR, the summary per noise type.
#
#   REEL_BIN          the reel binary (default: build-bench/reel)   REEL_MEDIA  media root
#   REEL_DENOISE_CMD  the reel command template (above)             RUNS  speed repeats (default 3)
#   JOBS              mixtures processed at once (default: nproc)
# Everything is made in a temp dir and removed at exit; intermediate TSVs are in it. Needs ffmpeg
# and /usr/bin/python3 with numpy (Debian: python3-numpy).
# Exits 0 whether targets pass or fail; 2 when it cannot run.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MEDIA=${REEL_MEDIA:-$ROOT/.cache/media}
REEL=${REEL_BIN:-$ROOT/build-bench/reel}
SCORE=$ROOT/bench/denoise_score.py
PY=/usr/bin/python3
RUNS=${RUNS:-3}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
die() { echo "denoise.sh: $*" >&2; exit 2; }

# reel_cmd IN OUT -> the command line, {in} and {out} replaced by quoted paths
reel_cmd() {
    local c=$TEMPLATE qi qo
    qi=$(printf '%q' "$1") qo=$(printf '%q' "$2")
    c=${c//\{in\}/$qi}
    c=${c//\{out\}/$qo}
    printf '%s' "$c"
}

# ff CONTESTANT SETTING FILTER (run_mix's mix, d, list and i): one ffmpeg filter run, listed
ff() {
    i=$((i + 1))
    if ffmpeg -nostdin -v error -y -i "$mix" -af "$3" -c:a pcm_f32le "$d/$i.wav" 2>"$d/$i.log"; then
        printf '%s\t%s\t%s\tok\t%s\n' "$1" "$2" "$3" "$d/$i.wav" >>"$list"
    else
        printf '%s\t%s\t%s\tffmpeg failed: %s\t\n' "$1" "$2" "$3" "$(head -c 200 "$d/$i.log" | tr '\t\n' '  ')" >>"$list"
    fi
}

# run_mix ID: every contestant on mixture ID, scored into $TMP/res/ID.tsv; the outputs then
# removed. The script runs itself as `denoise.sh --mix ID` for each mixture (TMP and TEMPLATE
# come through the environment).
run_mix() {
    local id=$1 rate noise snr mix ref d list hz nr nf s pre tag i=0 log msg
    IFS=$'\t' read -r _ rate noise snr _ mix ref < <(awk -F'\t' -v id="$id" '$1 == id' "$TMP/media/mixtures.tsv")
    d=$TMP/out/$id list=$TMP/out/$id/list.tsv
    mkdir -p "$d"
    printf 'input\tnoisy\t\tok\t%s\n' "$mix" >"$list"
    hz=50; [ "$rate" = 48000 ] && hz=60
    for pre in "" "bandreject=f=$hz:width_type=h:w=4,"; do
        [ -n "$pre" ] && [ "$noise" != hum ] && continue
        tag=""; [ -n "$pre" ] && tag="br$hz+"
        for nr in 6 12 20 30; do
            for nf in -30 -40 -50; do
                ff afftdn "${tag}nr=$nr:nf=$nf" "${pre}afftdn=tn=1:nr=$nr:nf=$nf"
            done
        done
    done
    for s in 0.00001 0.0001 0.001 0.01; do ff anlmdn "s=$s" "anlmdn=s=$s"; done
    log=$d/reel.log
    if bash -c "$(reel_cmd "$mix" "$d/reel.wav")" >"$log" 2>&1 && [ -s "$d/reel.wav" ]; then
        printf 'reel\t-\t\tok\t%s\n' "$d/reel.wav" >>"$list"
    else
        msg=$(grep -v '^[[:space:]]*$' "$log" | head -n 2 | paste -sd'|' | sed 's/|/ \/ /' | head -c 200 | tr '\t' ' ')
        [ -s "$d/reel.wav" ] || [ -n "$msg" ] || msg="no output"
        printf 'reel\t-\t\tfailed: %s\t\n' "$msg" >>"$list"
    fi
    "$PY" "$SCORE" score "$id" "$rate" "$noise" "$snr" "$ref" "$list" >"$TMP/res/$id.tsv.part" &&
        mv "$TMP/res/$id.tsv.part" "$TMP/res/$id.tsv"
    rm -rf "$d"
}
if [ "${1:-}" = --mix ]; then run_mix "$2"; exit; fi

command -v ffmpeg >/dev/null || die "ffmpeg is missing"
[ -x "$PY" ] || die "$PY is missing"
"$PY" -c 'import numpy' 2>/dev/null || die "numpy is missing for $PY (Debian package python3-numpy: apt-get install python3-numpy)"
[ -f "$SCORE" ] || die "$SCORE missing"
for f in cards-001 cards-002 cards-003 cards-004 cards-005 numbers goforward Front_Center Front_Left Front_Right \
    Rear_Center Rear_Left Rear_Right Side_Left Side_Right librivox-0870 librivox-0880; do
    [ -f "$MEDIA/real/$f.wav" ] || die "$MEDIA/real/$f.wav missing: run scripts/fetch-media.sh"
done
if [ -n "${REEL_DENOISE_CMD:-}" ]; then
    TEMPLATE=$REEL_DENOISE_CMD
else
    TEMPLATE="$(printf '%q' "$REEL") -q dialogue {in} --preset none --denoise --dehum auto -o {out} --bits 32f"
    [ -x "$REEL" ] || echo "denoise.sh: warning: reel binary $REEL not found (ninja -C build-bench): reel will fail" >&2
fi
case $TEMPLATE in *'{in}'*'{out}'* | *'{out}'*'{in}'*) ;; *) die "REEL_DENOISE_CMD needs both {in} and {out}" ;; esac
PIN=(taskset -c 0)
command -v taskset >/dev/null || { PIN=(); echo "denoise.sh: warning: no taskset, speed runs are not pinned" >&2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/reel-bench-denoise.XXXXXX") || die "no temp dir"
trap 'rm -rf "$TMP"' EXIT
export TMP SCORE PY TEMPLATE REEL

T0=$(date +%s.%N)
"$PY" "$SCORE" self-test >/dev/null || die "denoise_score.py self-test failed"
"$PY" "$SCORE" gen "$MEDIA/real" "$TMP/media" || die "cannot build the test mixtures"
[ -s "$TMP/media/mixtures.tsv" ] || die "no mixtures"


mkdir -p "$TMP/out" "$TMP/res"
NMIX=$(wc -l <"$TMP/media/mixtures.tsv")
echo "denoise.sh: $NMIX mixtures, $JOBS at once; cores=$(nproc)"
echo "reel command: $(reel_cmd IN.wav OUT.wav)"
# the 48 kHz mixtures (the slow ones under anlmdn) first
awk -F'\t' '{ print ($2 == 48000 ? 0 : 1) "\t" $1 }' "$TMP/media/mixtures.tsv" | sort -s -k1,1n | cut -f2 |
    xargs -P "$JOBS" -I{} bash "$ROOT/bench/denoise.sh" --mix {}
cat "$TMP"/res/*.tsv >"$TMP/results.tsv" 2>/dev/null
got=$(cut -f1 "$TMP/results.tsv" 2>/dev/null | sort -u | wc -l)
[ "$got" -eq "$NMIX" ] || die "only $got of $NMIX mixtures were scored"
T1=$(date +%s.%N)

# speed: the 48 kHz hum mixture at 0 dB (both cleanup stages at work, at the film rate), looped
# to 3 minutes so that start-up does not count
IFS=$'\t' read -r SID SMIX0 < <(awk -F'\t' '$2 == 48000 && $3 == "hum" && $4 == 0 { print $1 "\t" $6; exit }' \
    "$TMP/media/mixtures.tsv")
[ -n "${SMIX0:-}" ] || die "no 48 kHz hum mixture to time"
SMIX=$TMP/speed-in.wav SSECS=180
ffmpeg -nostdin -v error -y -stream_loop -1 -i "$SMIX0" -t "$SSECS" -c:a pcm_f32le "$SMIX" || die "cannot build the speed file"
now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
SP=$TMP/speed.tsv
printf 'file\t%s\t%s\t%s\n' "$SID" "$SSECS" "$RUNS" >"$SP"
: >"$TMP/t.reel"
st=ok
for ((r = 0; r < RUNS; r++)); do
    a=$(now)
    if ! "${PIN[@]}" bash -c "$(reel_cmd "$SMIX" "$TMP/speed-reel.wav")" >/dev/null 2>&1; then st=failed; break; fi
    b=$(now)
    awk -v a="$a" -v b="$b" 'BEGIN { print b - a }' >>"$TMP/t.reel"
done
printf 'reel\t%s\t%s\t%s\n' "$([ $st = ok ] && median <"$TMP/t.reel" || echo 0)" "$st" "$(reel_cmd IN OUT)" >>"$SP"
IFS=$'\t' read -r BF BS < <("$PY" "$SCORE" best-afftdn "$TMP/results.tsv" "$SID")
if [ -n "${BF:-}" ]; then
    : >"$TMP/t.af"
    st=ok
    for ((r = 0; r < RUNS; r++)); do
        a=$(now)
        if ! "${PIN[@]}" ffmpeg -nostdin -v error -y -i "$SMIX" -af "$BF" -c:a pcm_f32le "$TMP/speed-af.wav"; then st=failed; break; fi
        b=$(now)
        awk -v a="$a" -v b="$b" 'BEGIN { print b - a }' >>"$TMP/t.af"
    done
    printf 'afftdn\t%s\t%s\t%s\n' "$([ $st = ok ] && median <"$TMP/t.af" || echo 0)" "$st" "best on this file: $BS" >>"$SP"
fi

echo
"$PY" "$SCORE" report "$TMP/results.tsv" "$SP" || die "scoring failed"
T2=$(date +%s.%N)
echo
awk -v a="$T0" -v b="$T1" -v c="$T2" 'BEGIN { printf "denoise.sh: %.0f s (mixtures, contestants and scores %.0f s, speed %.0f s)\n", c - a, b - a, c - b }'
exit 0
