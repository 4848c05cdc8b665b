#!/usr/bin/env bash
# `reel dialogue FILE`: loudness measured and normalised to delivery presets on real speech, judged
# by independent meters (ffmpeg's ebur128 filter for the integrated loudness, its loudnorm filter
# for the true peak, which it takes at 192 kHz), broadcast WAV
# output (bext read back by ffprobe), layouts, rates and sample formats, and the awkward inputs.
. "$(dirname "$0")/lib.sh"
need_media real/librivox-0870.wav real/librivox-0880.wav real/numbers.wav real/goforward.wav \
    real/cards-001.wav real/cards-002.wav real/cards-003.wav real/cards-004.wav real/cards-005.wav \
    real/cityCC0.mpg real/Front_Left.wav real/Front_Right.wav real/Front_Center.wav \
    real/Side_Left.wav real/Side_Right.wav

SPEECH=$REEL_MEDIA/real/librivox-0870.wav
# ffmeter FILE: "I TP": integrated loudness from ffmpeg's ebur128 filter, true peak from loudnorm
# (loudnorm's own integrated figure is not used: it reads mono files about 0.9 LU low)
ffmeter() {
    local i tp
    i=$(ffmpeg -nostdin -i "$1" -af ebur128 -f null - 2>&1 | sed -n '/Summary/,$p' | awk '$1 == "I:" { print $2; exit }')
    tp=$(ffmpeg -nostdin -i "$1" -af loudnorm=print_format=json -f null - 2>&1 |
        python3 -c 'import json,sys; t=sys.stdin.read(); d=json.loads(t[t.rindex("{"):t.rindex("}")+1]); print(d["input_tp"])')
    echo "$i $tp"
}
# within I TP TARGET CEILING: |I - target| <= 0.5 and TP <= ceiling
within() { awk -v i="$1" -v tp="$2" -v t="$3" -v c="$4" 'BEGIN { d = i - t; exit !(d <= 0.5 && d >= -0.5 && tp <= c + 0.0001) }'; }

rr --json dialogue "$SPEECH"
check "measure only: exit 0, no file written, the gain it would take" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
b = d["before"]
ok = d["preset"]["name"] == "ebu" and "after" not in d and abs(d["gain_db"] - (-23 - b["integrated_lufs"])) < 0.02
ok = ok and b["speech_ratio"] > 0.5 and b["true_peak_dbtp"] > b["sample_peak_dbfs"] - 0.001
sys.exit(0 if ok else 1)' "$W/rr.out"

for spec in ebu:-23:-1 atsc:-24:-2 netflix:-27:-2 spotify:-14:-1 apple:-16:-1; do
    IFS=: read -r p t c <<<"$spec"
    rr --json dialogue "$SPEECH" --preset "$p" -o "$W/$p.wav" --report "$W/$p.json"
    read -r I TP < <(ffmeter "$W/$p.wav")
    check "$p: ffmpeg measures I $I LUFS (target $t +-0.5), true peak $TP dBTP (ceiling $c)" within "$I" "$TP" "$t" "$c"
done
check "the report file equals the JSON printed" cmp -s <(python3 -m json.tool "$W/apple.json") <(python3 -m json.tool "$W/rr.out")
check "netflix: set from the dialogue-gated loudness" python3 -c '
import json, sys; d = json.load(open(sys.argv[1]))
sys.exit(0 if d["measured_from"] == "dialogue" and d["preset"]["dialogue_gated"] and abs(d["after"]["dialogue_lufs"] + 27) <= 0.5 else 1)' "$W/netflix.json"
check "spotify on quiet speech: the limiter worked and the loudness still reached the target" python3 -c '
import json, sys; d = json.load(open(sys.argv[1]))
sys.exit(0 if d["limiter"]["max_reduction_db"] > 1 and abs(d["after"]["integrated_lufs"] + 14) <= 0.5 else 1)' "$W/spotify.json"
check "no .part left" sh -c "! ls '$W'/*.part 2>/dev/null | grep -q ."

# broadcast WAV: bext read back by ffprobe
tags=$(ffprobe -v error -show_entries format_tags -of default=nw=1 "$W/ebu.wav")
check "bext: description, originator, coding history" sh -c "
    echo '$tags' | grep -q '^TAG:comment=reel dialogue: EBU R128' && echo '$tags' | grep -q '^TAG:encoded_by=reel ' &&
    echo '$tags' | grep -q '^TAG:coding_history=A=PCM,F=16000,W=24,M=mono'"
check "24-bit PCM by default" test "$(ffprobe -v error -show_entries stream=codec_name -of csv=p=0 "$W/ebu.wav")" = pcm_s24le
check "bext loudness fields hold the output's loudness (x100)" python3 -c '
import json, struct, sys
b = open(sys.argv[1], "rb").read()
i = b.index(b"bext") + 8
lv, lra, tp, mm, ms = struct.unpack("<5h", b[i + 412:i + 422])
d = json.load(open(sys.argv[2]))["after"]
sys.exit(0 if struct.unpack("<H", b[i + 346:i + 348])[0] == 2 and abs(lv / 100 - d["integrated_lufs"]) < 0.011
         and abs(tp / 100 - d["true_peak_dbtp"]) < 0.011 else 1)' "$W/ebu.wav" "$W/ebu.json"

for bits in 16:pcm_s16le 32f:pcm_f32le; do
    rr dialogue "$SPEECH" -o "$W/b.wav" --bits "${bits%%:*}"
    check "--bits ${bits%%:*}: ${bits#*:}" test "$(ffprobe -v error -show_entries stream=codec_name -of csv=p=0 "$W/b.wav")" = "${bits#*:}"
done

# timecode: a MOV starting at 01:00:00:00 gives the time reference 3600 s x 48000
ffmpeg -nostdin -v error -y -f lavfi -i color=black:s=64x64:r=25:d=2 -i "$REEL_MEDIA/real/numbers.wav" -shortest \
    -timecode 01:00:00:00 -c:v mpeg4 -c:a pcm_s16le -ar 48000 "$W/tc.mov"
rr dialogue "$W/tc.mov" -o "$W/tc.wav"
check "bext time reference from the source timecode (01:00:00:00 at 48 kHz)" \
    test "$(ffprobe -v error -show_entries format_tags=time_reference -of csv=p=0 "$W/tc.wav")" = 172800000

# 5.1 from the real channel-check recordings, and other rates
ffmpeg -nostdin -v error -y -i "$REEL_MEDIA/real/Front_Left.wav" -i "$REEL_MEDIA/real/Front_Right.wav" \
    -i "$REEL_MEDIA/real/Front_Center.wav" -f lavfi -i anullsrc=r=48000:cl=mono -i "$REEL_MEDIA/real/Side_Left.wav" \
    -i "$REEL_MEDIA/real/Side_Right.wav" -filter_complex "[0][1][2][3][4][5]amerge=inputs=6,aresample=48000[a]" \
    -map "[a]" -shortest -c:a pcm_s24le "$W/51.wav"
rr --json dialogue "$W/51.wav" --preset atsc -o "$W/51out.wav"
read -r I TP < <(ffmeter "$W/51out.wav")
# probed FILE ENTRY VALUE: ffprobe's stream ENTRY of FILE is VALUE
probed() { [ "$(ffprobe -v error -show_entries stream="$2" -of csv=p=0 "$1")" = "$3" ]; }
check "5.1: 6 channels out" probed "$W/51out.wav" channels 6
check "5.1: I $I (target -24), TP $TP (ceiling -2)" within "$I" "$TP" -24 -2
for rate in 44100 96000; do
    ffmpeg -nostdin -v error -y -i "$SPEECH" -ar $rate -c:a pcm_f32le "$W/r$rate.wav"
    rr dialogue "$W/r$rate.wav" --preset ebu -o "$W/o$rate.wav"
    read -r I TP < <(ffmeter "$W/o$rate.wav")
    check "$rate Hz: the rate is kept" probed "$W/o$rate.wav" sample_rate $rate
    check "$rate Hz: I $I, TP $TP" within "$I" "$TP" -23 -1
done
# DC offset and clipped input
# +12 dB then +0.05 DC, stored as 16-bit: hundreds of samples clipped at full scale, DC offset 0.076
ffmpeg -nostdin -v error -y -i "$SPEECH" -af "volume=12dB,aeval=val(0)+0.05" -c:a pcm_s16le "$W/dcclip.wav" ||
    bail "cannot make dcclip.wav"
rr dialogue "$W/dcclip.wav" --preset ebu -o "$W/dcclip_out.wav"
read -r I TP < <(ffmeter "$W/dcclip_out.wav")
check "clipped input with a DC offset: I $I, TP $TP" within "$I" "$TP" -23 -1

# bad input
rr dialogue "$REEL_MEDIA/real/cityCC0.mpg"
check "no audio stream: exit 1 naming the file" sh -c "[ $RC = 1 ] && grep -q 'cityCC0.mpg: no audio stream' '$W/rr.err'"
ffmpeg -nostdin -v error -y -f lavfi -i anullsrc=r=48000:cl=stereo -t 3 "$W/silence.wav"
rr dialogue "$W/silence.wav" -o "$W/s.wav"
check "silence: exit 1, integrated loudness undefined, nothing written" sh -c "[ $RC = 1 ] && grep -q 'silent' '$W/rr.err' && [ ! -e '$W/s.wav' ]"
ffmpeg -nostdin -v error -y -i "$SPEECH" -t 0.3 "$W/short.wav"
rr dialogue "$W/short.wav" -o "$W/sh.wav"
check "0.3 s: exit 1 saying integrated loudness is undefined under 400 ms" sh -c "[ $RC = 1 ] && grep -q 'undefined under 400 ms' '$W/rr.err'"
rr dialogue "$W/short.wav"
check "0.3 s measured: the table says why" sh -c "[ $RC = 0 ] && grep -q 'shorter than 400 ms' '$W/rr.out'"
rr dialogue "$SPEECH" --preset loud
check "unknown preset: usage error listing the presets" sh -c "[ $RC = 2 ] && grep -q 'ebu, atsc, netflix' '$W/rr.err'"
rr dialogue "$SPEECH" --preset custom --target -20
check "custom needs both figures" sh -c "[ $RC = 2 ] && grep -q 'needs --target and --true-peak' '$W/rr.err'"
rr dialogue "$SPEECH" --preset custom --target -20 --true-peak -3 -o "$W/c.wav"
read -r I TP < <(ffmeter "$W/c.wav")
check "custom -20 LUFS / -3 dBTP: I $I, TP $TP" within "$I" "$TP" -20 -3
cp "$SPEECH" "$W/self.wav"
rr dialogue "$W/self.wav" --preset spotify -o "$W/self.wav"
check "-o naming the input: refused, the input untouched" sh -c "[ $RC = 1 ] && grep -q 'names the input itself' '$W/rr.err' && cmp -s '$SPEECH' '$W/self.wav'"
rr dialogue "$SPEECH" --target nan
check "--target nan: usage error" test "$RC" = 2
echo old >"$W/keep.wav"
rr dialogue "$W/silence.wav" -o "$W/keep.wav"
check "a failed run leaves an existing output as it was" sh -c "[ $RC = 1 ] && [ \"\$(cat '$W/keep.wav')\" = old ]"

# cleanup: real speech (PocketSphinx numbers.wav, which carries a faint 60 Hz line of its own)
# with 50 Hz ground-loop hum and pink noise added; SI-SDR against the clean recording, computed
# here in plain Python from ffmpeg's float decode
CLEAN=$REEL_MEDIA/real/numbers.wav
ffmpeg -nostdin -v error -y -i "$CLEAN" -f lavfi -i "anoisesrc=c=pink:r=16000:a=0.01:seed=3" -filter_complex \
    "[0:a]aeval='val(0)+0.03*sin(2*PI*50.02*t)+0.012*sin(2*PI*150.06*t+1)+0.006*sin(2*PI*250.1*t+2)'[s];[s][1:a]amix=inputs=2:duration=first:normalize=0" \
    -c:a pcm_f32le "$W/noisy.wav" || bail "cannot make the noisy file"
sisdr() { # EST REF -> SI-SDR dB
    python3 - "$1" "$2" <<'PY'
import array, math, subprocess, sys
def pcm(p):
    return array.array("f", subprocess.run(["ffmpeg", "-v", "error", "-i", p, "-f", "f32le", "-ac", "1", "-"],
                                           capture_output=True, check=True).stdout)
e, r = pcm(sys.argv[1]), pcm(sys.argv[2])
n = min(len(e), len(r)); e, r = e[:n], r[:n]
me, mr = sum(e) / n, sum(r) / n
e = [v - me for v in e]; r = [v - mr for v in r]
a = sum(x * y for x, y in zip(e, r)) / sum(y * y for y in r)
t = sum((a * y) ** 2 for y in r); d = sum((x - a * y) ** 2 for x, y in zip(e, r))
print("%.2f" % (10 * math.log10(t / d)))
PY
}
rr --json dialogue "$W/noisy.wav" --preset none --denoise -o "$W/cleaned.wav" --bits 24 --report "$W/clean.json"
check "cleanup run (--preset none --denoise): exit 0" test "$RC" = 0
check "the report: 50 Hz hum found (fundamental within 0.05 Hz, harmonics 1 3 5) and removed" python3 -c '
import json, sys
h = json.load(open(sys.argv[1]))["cleanup"]["hum"]
sys.exit(0 if abs(h["fundamental_hz"] - 50.02) < 0.05 and h["harmonics"][:3] == [1, 3, 5] and h["removed"] else 1)' "$W/clean.json"
SIN=$(sisdr "$W/noisy.wav" "$CLEAN") SOUT=$(sisdr "$W/cleaned.wav" "$CLEAN")
check "hum and noise removed: SI-SDR against the clean recording $SIN -> $SOUT dB (at least +6 dB), time-aligned" \
    awk -v a="$SIN" -v b="$SOUT" 'BEGIN { exit !(b >= a + 6) }'
check "preset none: no gain (the cleaned level within 1 LU of the input's), no work file left" sh -c \
    "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if abs(d[\"after\"][\"integrated_lufs\"] - d[\"before\"][\"integrated_lufs\"]) < 1 and d[\"gain_db\"] == 0 else 1)' '$W/clean.json' && ! ls '$W'/cleaned.wav.clean* 2>/dev/null"
check "same length as the input, sample for sample" test "$(ffprobe -v error -show_entries stream=duration_ts -of csv=p=0 "$W/cleaned.wav")" = \
    "$(ffprobe -v error -show_entries stream=duration_ts -of csv=p=0 "$W/noisy.wav")"
rr dialogue "$W/noisy.wav" --denoise --strength 0.5 --preset netflix -o "$W/cleaned_nf.wav" --report "$W/clean_nf.json"
check "cleanup then netflix: dialogue-gated -27 LUFS within 0.5 LU of the cleaned audio, under -2 dBTP" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if abs(d["after"]["dialogue_lufs"] + 27) <= 0.5 and d["after"]["true_peak_dbtp"] <= -2 and "loudness" in d["cleanup"] else 1)' "$W/clean_nf.json"
rr --json dialogue "$SPEECH" --dehum off --declip off
check "--dehum off --declip off: no search, no cleanup in the report" python3 -c 'import json,sys; sys.exit(0 if "cleanup" not in json.load(open(sys.argv[1])) else 1)' "$W/rr.out"
rr dialogue "$CLEAN" --preset none --target -20
check "--preset none with --target: usage error" sh -c "[ $RC = 2 ] && grep -q 'keeps the level' '$W/rr.err'"
rr dialogue "$CLEAN" --dehum 55
check "--dehum 55: usage error" sh -c "[ $RC = 2 ] && grep -q 'auto, off, 50 or 60' '$W/rr.err'"
rr dialogue "$CLEAN" --denoise --strength 1.5
check "--strength 1.5: usage error" sh -c "[ $RC = 2 ] && grep -q 'strength takes 0 to 1' '$W/rr.err'"
check "no clipping found in a file that has none" python3 -c '
import json, sys; c = json.load(open(sys.argv[1]))["cleanup"]["declip"]
sys.exit(0 if c["search"] == "auto" and not c["found"] and "repaired_samples" not in c else 1)' "$W/clean.json"

# de-clipping: the same recording 12 dB hotter as 16-bit PCM, clipped at full scale where it
# overflows; SI-SDR against the unclipped float signal (hum removal off, to judge the repair alone)
ffmpeg -nostdin -v error -y -i "$CLEAN" -af "aeval='val(0)*4'" -c:a pcm_f32le "$W/hot_ref.wav" &&
    ffmpeg -nostdin -v error -y -i "$W/hot_ref.wav" -c:a pcm_s16le "$W/hot.wav" || bail "cannot make the clipped file"
rr --json dialogue "$W/hot.wav" --preset none --dehum off --bits 32f -o "$W/hot_fixed.wav" --report "$W/hot.json"
check "clipping found at the top (0 dBFS), every clipped sample rebuilt" python3 -c '
import json, sys; c = json.load(open(sys.argv[1]))["cleanup"]["declip"]
sys.exit(0 if c["found"] and abs(c["top_dbfs"]) < 0.01 and c["flat_runs_top"] >= 3 and c["samples"] > 50 and c["repaired_samples"] == c["samples"] else 1)' "$W/hot.json"
SIN=$(sisdr "$W/hot.wav" "$W/hot_ref.wav") SOUT=$(sisdr "$W/hot_fixed.wav" "$W/hot_ref.wav")
check "clipped peaks rebuilt: SI-SDR against the unclipped signal $SIN -> $SOUT dB (at least +2 dB)" \
    awk -v a="$SIN" -v b="$SOUT" 'BEGIN { exit !(b >= a + 2) }'
check "rebuilt peaks over 0 dBFS kept in 32-bit float" python3 -c '
import json, sys; d = json.load(open(sys.argv[1]))
sys.exit(0 if d["after"]["sample_peak_dbfs"] > 0.5 and "note" not in d else 1)' "$W/hot.json"
rr dialogue "$W/hot.wav" --preset none --dehum off -o "$W/hot24.wav" --report "$W/hot24.json"
check "the same in 24-bit PCM: the note says the peaks clip again" python3 -c '
import json, sys; d = json.load(open(sys.argv[1]))
sys.exit(0 if "clips it again" in d.get("note", "") else 1)' "$W/hot24.json"
rr --json dialogue "$W/hot.wav" --preset none --dehum off --declip off -o "$W/hot_off.wav"
check "--declip off: clipping not searched, the peaks left flat at 0 dBFS" python3 -c '
import json, sys; d = json.load(open(sys.argv[1]))
sys.exit(0 if "cleanup" not in d and abs(d["after"]["sample_peak_dbfs"]) < 0.01 else 1)' "$W/rr.out"

# de-clicking: 1 to 3 sample clicks every 0.1 s over the same recording
ffmpeg -nostdin -v error -y -i "$CLEAN" -af "aeval='val(0)+if(lt(mod(n\,1601)\,3)\,0.3*(1-2*mod(floor(n/1601)\,2))*(1+mod(floor(n/1601)\,3))/3\,0)'" \
    -c:a pcm_s16le "$W/clicks.wav" || bail "cannot make the clicks file"
rr --json dialogue "$W/clicks.wav" --preset none --dehum off --declick --bits 32f -o "$W/clicks_fixed.wav" --report "$W/clicks.json"
check "40 clicks inserted: 28 to 44 found" python3 -c '
import json, sys; c = json.load(open(sys.argv[1]))["cleanup"]["declick"]
sys.exit(0 if 28 <= c["clicks"] <= 44 and c["threshold"] == 14 else 1)' "$W/clicks.json"
SIN=$(sisdr "$W/clicks.wav" "$CLEAN") SOUT=$(sisdr "$W/clicks_fixed.wav" "$CLEAN")
check "clicks removed: SI-SDR against the clean recording $SIN -> $SOUT dB (at least +5 dB)" \
    awk -v a="$SIN" -v b="$SOUT" 'BEGIN { exit !(b >= a + 5) }'
rr dialogue "$CLEAN" --preset none --dehum off --declick --bits 32f -o "$W/clean_declick.wav"
S=$(sisdr "$W/clean_declick.wav" "$CLEAN")
check "speech without clicks barely touched by --declick: SI-SDR against itself $S dB (30 at least)" \
    awk -v a="$S" 'BEGIN { exit !(a >= 30) }'
rr dialogue "$CLEAN" --declick --click-threshold 2
check "--click-threshold 2: usage error" sh -c "[ $RC = 2 ] && grep -q 'click-threshold takes 3 to 50' '$W/rr.err'"
rr dialogue "$CLEAN" --declip maybe
check "--declip maybe: usage error" sh -c "[ $RC = 2 ] && grep -q 'declip takes auto or off' '$W/rr.err'"
python3 -c '
import math, struct, sys
x = [0.1 * math.sin(i * 0.05) for i in range(48000)]
x[30000] = float("nan")
open(sys.argv[1], "wb").write(struct.pack("<%df" % len(x), *x))' "$W/nan.raw" &&
    ffmpeg -nostdin -v error -y -f f32le -ar 48000 -ac 1 -i "$W/nan.raw" -c:a pcm_f32le "$W/nan.wav" || bail "cannot make nan.wav"
rr dialogue "$W/nan.wav" --denoise -o "$W/nan_out.wav"
check "a float file with a NaN sample: refused, naming the file and the time, nothing written" sh -c \
    "[ $RC = 1 ] && grep -q 'nan.wav: a sample at 0.625 s is not a number' '$W/rr.err' && [ ! -e '$W/nan_out.wav' ]"

# leveling: 26 s of real speech (LibriVox, PocketSphinx, ALSA) whose level alternates every 4 s
# between 0 and -10 dB, over pink room tone. ffmpeg's short-term loudness (3 s) at the end of each
# loud and each quiet stretch: the difference must shrink from about 10 LU to a few.
R=$REEL_MEDIA/real
ins=() fc="" cat=""
k=0
for f in librivox-0870 librivox-0880 cards-001 cards-002 cards-003 cards-004 cards-005 numbers goforward; do
    ins+=(-i "$R/$f.wav"); fc+="[$k]aresample=16000[a$k];"; cat+="[a$k]"; k=$((k + 1))
done
ffmpeg -nostdin -v error -y "${ins[@]}" -filter_complex "${fc}${cat}concat=n=$k:v=0:a=1,volume='if(lt(mod(t,8),4),1,0.316)':eval=frame[s];anoisesrc=c=pink:a=0.003:r=16000:d=120:seed=7[n];[s][n]amix=inputs=2:duration=first:normalize=0[o]" \
    -map "[o]" -c:a pcm_s16le "$W/lines.wav" || bail "cannot make lines.wav"
# swing FILE: mean (short-term at 4k+3.9 s) - (short-term at 4k+7.9 s), over whole 8 s periods
swing() {
    ffmpeg -nostdin -i "$1" -af ebur128=framelog=info -f null - 2>&1 | python3 -c '
import re, sys
v = {}
for l in sys.stdin:
    m = re.search(r"t:\s*([0-9.]+)\s.*S:\s*(-?[0-9.]+)", l)
    if m: v[round(float(m.group(1)), 1)] = float(m.group(2))
d, k = [], 0
while round(7.9 + 8 * k, 1) in v:
    d.append(v[round(3.9 + 8 * k, 1)] - v[round(7.9 + 8 * k, 1)]); k += 1
print("%.1f" % (sum(d) / len(d)) if d else "nan")'
}
rr --json dialogue "$W/lines.wav" --level -o "$W/leveled.wav"
before=$(swing "$W/lines.wav"); after=$(swing "$W/leveled.wav")
check "--level: loud/quiet lines differ by $before LU before, $after LU after (want >= 6, then <= 3)" \
    awk -v b="$before" -v a="$after" 'BEGIN { exit !(b >= 6 && a <= 3 && a >= -3) }'
read -r I TP < <(ffmeter "$W/leveled.wav")
check "--level then EBU R128: I $I, TP $TP" within "$I" "$TP" -23 -1
check "--level: the report gives the spread before and after" python3 -c '
import json, sys; d = json.load(open(sys.argv[1]))["leveling"]
sys.exit(0 if d["speech_spread_after_lu"] < d["speech_spread_before_lu"] and 5 < d["max_boost_db"] <= 10 else 1)' "$W/rr.out"

# the dialogue agent in a project run: speech normalised, a clip without speech left alone
P=$W/proj
make_project "$P" real/numbers.wav real/cup.mp4 || bail "cannot make the project"
sed -i '/^agents:/d' "$P/reel.yaml" && printf 'agents:\n  dialogue:\n    preset: atsc\n' >>"$P/reel.yaml"
rr run "$P"
check "project run with the dialogue agent: exit 0" test "$RC" = 0
read -r I TP < <(ffmeter "$P/out/dialogue/numbers.wav")
check "agents.dialogue.preset atsc: out/dialogue/numbers.wav at I $I, TP $TP" within "$I" "$TP" -24 -2
check "cup.mp4 (no speech): measured, left as it is, said why" python3 -c '
import json, os, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if "no dialogue" in d["skipped"] and d["before"]["integrated_lufs"] < -30 and not os.path.exists(sys.argv[2]) else 1)' \
    "$P/out/dialogue/cup.json" "$P/out/dialogue/cup.wav"
check "project outputs carry no origination date (same input, same bytes)" \
    test -z "$(ffprobe -v error -show_entries format_tags=date -of csv=p=0 "$P/out/dialogue/numbers.wav")"
plan_done
