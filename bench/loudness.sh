#!/usr/bin/env bash
# loudness.sh: `reel dialogue --preset P -o OUT.wav` against ffmpeg's loudnorm, one-pass (dynamic)
# and two-pass (linear: measure, then loudnorm with measured_* and linear=true), in one run, on
# real speech (LibriVox, PocketSphinx and ALSA recordings from $REEL_MEDIA/real) and on a 5-minute
# programme made of all of it at 48 kHz stereo (for time). Every output is judged by the same
# independent meters: ffmpeg's ebur128 filter (integrated loudness) and loudnorm's measuring pass
# (true peak, taken at 192 kHz).
#
#   TARGET loudness_accuracy: reel's worst |I - target| over all files and presets <= 0.5 LU
#   TARGET true_peak_ceiling: reel's outputs never over the preset's ceiling
#   informative: the same figures for both loudnorm modes, and wall times (ratio reel / two-pass).
#   loudnorm's dynamic mode needs 3 s of audio: on the shorter real files (cards-001 is 1.1 s,
#   goforward 2.8 s) it can land far from the target; two-pass marks "(dynamic)" when loudnorm
#   refused linear mode.
#
#   REEL_BIN   the reel binary (default: build-bench/reel)   REEL_MEDIA  media root
# Exits 0 whether targets pass or fail; 2 when it cannot run.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MEDIA=${REEL_MEDIA:-$ROOT/.cache/media}
REEL=${REEL_BIN:-$ROOT/build-bench/reel}
die() { echo "loudness.sh: $*" >&2; exit 2; }
command -v ffmpeg >/dev/null || die "ffmpeg is missing"
[ -x "$REEL" ] || die "reel binary $REEL not found (ninja -C build-bench)"
FILES=(librivox-0870.wav librivox-0880.wav cards-001.wav numbers.wav goforward.wav)
for f in "${FILES[@]}"; do [ -f "$MEDIA/real/$f" ] || die "$MEDIA/real/$f missing: run scripts/fetch-media.sh"; done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/reel-bench-loud.XXXXXX") || die "no temp dir"
trap 'rm -rf "$TMP"' EXIT

# the 5-minute programme: every file at 48 kHz stereo, in turn, looped
args=() n=0
for f in "${FILES[@]}" cards-002.wav cards-003.wav; do [ -f "$MEDIA/real/$f" ] && args+=(-i "$MEDIA/real/$f") && n=$((n + 1)); done
fc=""
for ((i = 0; i < n; i++)); do fc+="[$i:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo[a$i];"; done
for ((i = 0; i < n; i++)); do fc+="[a$i]"; done
fc+="concat=n=$n:v=0:a=1,aloop=loop=-1:size=2e9,atrim=duration=300[out]"
ffmpeg -nostdin -v error -y "${args[@]}" -filter_complex "$fc" -map "[out]" -c:a pcm_s24le "$TMP/programme.wav" ||
    die "cannot build the programme"
INPUTS=("${FILES[@]/#/$MEDIA/real/}" "$TMP/programme.wav")

now() { date +%s.%N; }
meter() { # FILE -> "I TP"
    local i tp
    i=$(ffmpeg -nostdin -i "$1" -af ebur128 -f null - 2>&1 | sed -n '/Summary/,$p' | awk '$1 == "I:" { print $2; exit }')
    tp=$(ffmpeg -nostdin -i "$1" -af loudnorm=print_format=json -f null - 2>&1 |
        python3 -c 'import json,sys; t=sys.stdin.read(); print(json.loads(t[t.rindex("{"):t.rindex("}")+1])["input_tp"])')
    echo "$i $tp"
}
ln_json() { python3 -c 'import json,sys; t=sys.stdin.read(); d=json.loads(t[t.rindex("{"):t.rindex("}")+1]); print(" ".join(str(d[k]) for k in sys.argv[1:]))' "$@"; }

RES=$TMP/results.txt
: >"$RES"
echo "loudness.sh: reel=$REEL cores=$(nproc)"
printf '%-20s %-8s %-13s %8s %8s %8s\n' file preset method I_err TP_dBTP time_s
for spec in ebu:-23:-1 atsc:-24:-2 spotify:-14:-1; do
    IFS=: read -r p t c <<<"$spec"
    for in in "${INPUTS[@]}"; do
        name=$(basename "$in")
        rate=$(ffprobe -v error -select_streams a -show_entries stream=sample_rate -of csv=p=0 "$in")
        a=$(now); "$REEL" dialogue "$in" --preset "$p" -o "$TMP/reel.wav" >/dev/null 2>&1 || die "reel dialogue $in failed"; b=$(now)
        tr=$(awk -v a="$a" -v b="$b" 'BEGIN { print b - a }')
        a=$(now); ffmpeg -nostdin -v error -y -i "$in" -af "loudnorm=I=$t:TP=$c:LRA=20" -ar "$rate" -c:a pcm_s24le "$TMP/ln1.wav" || die "loudnorm failed"; b=$(now)
        t1=$(awk -v a="$a" -v b="$b" 'BEGIN { print b - a }')
        a=$(now)
        read -r mi mtp mlra mth off < <(ffmpeg -nostdin -i "$in" -af "loudnorm=I=$t:TP=$c:LRA=20:print_format=json" -f null - 2>&1 |
            ln_json input_i input_tp input_lra input_thresh target_offset)
        ffmpeg -nostdin -y -i "$in" -af "loudnorm=I=$t:TP=$c:LRA=20:measured_I=$mi:measured_TP=$mtp:measured_LRA=$mlra:measured_thresh=$mth:offset=$off:linear=true:print_format=json" \
            -ar "$rate" -c:a pcm_s24le "$TMP/ln2.wav" 2>"$TMP/ln2.log" || die "loudnorm two-pass failed"
        b=$(now)
        t2=$(awk -v a="$a" -v b="$b" 'BEGIN { print b - a }')
        mode=$(ln_json normalization_type <"$TMP/ln2.log")
        for m in reel:reel.wav:$tr loudnorm-1pass:ln1.wav:$t1 "loudnorm-2pass:ln2.wav:$t2"; do
            IFS=: read -r meth out tm <<<"$m"
            read -r I TP < <(meter "$TMP/$out")
            err=$(awk -v i="$I" -v t="$t" 'BEGIN { printf "%+.1f", i - t }')
            label=$meth; [ "$meth" = loudnorm-2pass ] && [ "$mode" != linear ] && label="$meth($mode)"
            printf '%-20s %-8s %-13s %8s %8s %8.2f\n' "$name" "$p" "$label" "$err" "$TP" "$tm"
            echo "$meth $name $p $err $TP $c $tm" >>"$RES"
        done
    done
done

echo
python3 - "$RES" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
by = {}
for meth, name, p, err, tp, ceil, tm in rows:
    d = by.setdefault(meth, {"worst": 0, "over": 0, "n": 0, "t": 0, "tprog": 0})
    d["worst"] = max(d["worst"], abs(float(err)))
    d["over"] += float(tp) > float(ceil) + 1e-9
    d["n"] += 1
    d["t"] += float(tm)
    if name == "programme.wav":
        d["tprog"] += float(tm)
for meth, d in by.items():
    print("%-15s worst |I - target| %.1f LU; over the ceiling %d of %d; time %.2f s in all, %.2f s on the 5-min programme"
          % (meth, d["worst"], d["over"], d["n"], d["t"], d["tprog"]))
r, l2 = by["reel"], by["loudnorm-2pass"]
print()
print("reel / loudnorm two-pass time on the 5-min programme: %.2f (informative)" % (r["tprog"] / l2["tprog"]))
print("TARGET loudness_accuracy: worst %.1f LU (target <= 0.5) %s" % (r["worst"], "PASS" if r["worst"] <= 0.5 else "FAIL"))
print("TARGET true_peak_ceiling: %d over (target 0) %s" % (r["over"], "PASS" if r["over"] == 0 else "FAIL"))
PY
exit 0
