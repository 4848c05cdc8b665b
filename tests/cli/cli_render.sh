#!/usr/bin/env bash
# `reel render` and the render / qc agents on real footage: files conformed end to end (size,
# rate, tags, timecode, loudness, the same bytes twice), every codec, an EDL with black and a
# dissolve, burn-in, a LUT, fit and fades, a full disk, a project with two deliveries checked by
# QC, a render killed midway, and bad deliveries in reel.yaml.
. "$(dirname "$0")/lib.sh"
need_media real/cityCC0.mpg real/box.mp4 real/goforward.wav real/vtest.avi synth/540p25.mp4

R=$REEL_MEDIA/real
C=$R/cityCC0.mpg # 720x405, 25 fps, 7.6 s, no sound
B=$R/box.mp4     # 640x480, 29.97 fps, 15.2 s, mp3 sound
probe() { ffprobe -v error -show_entries "$2" -of default=nw=1:nk=1 "$1" | head -1; }
yavg() { # FILE TIME [CROP]: mean luma of the frame at TIME (of the crop w:h:x:y), by ffmpeg's signalstats
    ffmpeg -nostdin -v error -ss "$2" -i "$1" -frames:v 1 -vf "${3:+crop=$3,}signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-" \
        -f null - | awk -F= '/YAVG/{printf "%.0f", $2; exit}'
}
lufs() { ffmpeg -nostdin -i "$1" -af ebur128 -f null - 2>&1 | awk '/I:/{v=$2} END{print v}'; }

# --- files end to end ---
rr render "$C" "$B" -o "$W/a.mp4" --size 640x360 --preset veryfast
check "render two real clips: exit 0" test $RC -eq 0
is "codec, size, pixel format" "$(probe "$W/a.mp4" stream=codec_name),$(probe "$W/a.mp4" stream=width)x$(probe "$W/a.mp4" stream=height),$(probe "$W/a.mp4" stream=pix_fmt)" "h264,640x360,yuv420p"
is "the first clip's rate (25)" "$(probe "$W/a.mp4" stream=r_frame_rate)" "25/1"
is "BT.709 tags, limited range" "$(probe "$W/a.mp4" stream=color_primaries)/$(probe "$W/a.mp4" stream=color_transfer)/$(probe "$W/a.mp4" stream=color_space)/$(probe "$W/a.mp4" stream=color_range)" "bt709/bt709/bt709/tv"
is "timecode track starts at 01:00:00:00" "$(probe "$W/a.mp4" stream_tags=timecode)" "01:00:00:00"
check "duration is the two clips' (22.78 s, one frame either way)" python3 -c "import sys; sys.exit(0 if abs(float(sys.argv[1]) - 22.784) < 0.05 else 1)" "$(probe "$W/a.mp4" format=duration)"
is "sound: AAC 48 kHz stereo" "$(probe "$W/a.mp4" stream=sample_rate | tail -1)" "48000"
check "sound leveled to EBU R128 (-23 LUFS within 0.5, by ffmpeg's ebur128)" python3 -c "import sys; v=float(sys.argv[1]); print('# %.1f LUFS' % v); sys.exit(0 if abs(v + 23) <= 0.5 else 1)" "$(lufs "$W/a.mp4")"
edge=$(yavg "$W/a.mp4" 12 60:360:0:0)
mid=$(yavg "$W/a.mp4" 12 200:360:220:0)
check "4:3 box pillarboxed in 16:9: the left edge is black ($edge), the middle is not ($mid)" test "$edge" -le 17 -a "$mid" -gt 40
rr render "$C" "$B" -o "$W/a2.mp4" --size 640x360 --preset veryfast
check "the same render twice: the same bytes" cmp -s "$W/a.mp4" "$W/a2.mp4"
rr qc "$W/a.mp4"
check "the render passes content QC" test $RC -eq 0
rr render "$B" -o "$W/b25.mp4" --fps 25 --size 320x240 --preset ultrafast --audio-codec none
is "29.97 fps into 25: 25 frames a second of the source's duration (379 or 380)" \
    "$(ffprobe -v error -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$W/b25.mp4" | grep -cE '^(379|380)$')" 1
is "--audio-codec none: no sound stream" "$(ffprobe -v error -select_streams a -show_entries stream=index -of csv=p=0 "$W/b25.mp4" | wc -l)" 0

# --- every codec ---
S=$REEL_MEDIA/synth/540p25.mp4
for spec in "h265 mp4 hevc yuv420p" "prores_hq mov prores yuv422p10le" "prores_4444 mov prores yuv444p12le" \
    "dnxhr_hq mov dnxhd yuv422p" "dnxhr_hqx mov dnxhd yuv422p10le"; do
    set -- $spec
    ac=aac
    [ "$2" = mov ] && ac=pcm_s24le
    rr render "$S" -o "$W/c_$1.$2" --codec "$1" --size 640x360 --fps 25 --audio-codec $ac --preset ultrafast
    is "$1: codec and pixel format" "$RC $(probe "$W/c_$1.$2" stream=codec_name) $(probe "$W/c_$1.$2" stream=pix_fmt)" "0 $3 $4"
done
rr render "$S" -o "$W/c_h265b.mp4" --codec h265 --size 640x360 --fps 25 --preset ultrafast
check "h265 twice: the same bytes (a fixed x265 pool)" cmp -s "$W/c_h265.mp4" "$W/c_h265b.mp4"
is "prores_hq is the HQ profile" "$(probe "$W/c_prores_hq.mov" stream=profile)" "HQ"
is "dnxhr_hqx is the HQX profile" "$(probe "$W/c_dnxhr_hqx.mov" stream=profile)" "DNXHR HQX"
is "mov masters carry 24-bit PCM" "$(ffprobe -v error -select_streams a -show_entries stream=codec_name -of csv=p=0 "$W/c_prores_hq.mov")" "pcm_s24le"

# --- an EDL: black, a cut, a dissolve; burn-in ---
mkdir -p "$W/edl/media"
cp "$C" "$B" "$W/edl/media/"
cat >"$W/edl/cut.edl" <<'EOF'
TITLE: TEST CUT
FCM: NON-DROP FRAME

001  BL       V     C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00
002  CITY     V     C        00:00:01:00 00:00:04:00 01:00:01:00 01:00:04:00
* FROM CLIP NAME: cityCC0.mpg
003  CITY     V     C        00:00:04:00 00:00:04:00 01:00:04:00 01:00:04:00
003  BOX      V     D    025 00:00:02:00 00:00:06:00 01:00:04:00 01:00:08:00
* FROM CLIP NAME: cityCC0.mpg
* TO CLIP NAME: box.mp4
EOF
rr render --edl "$W/edl/cut.edl" --media "$W/edl/media" -o "$W/e.mp4" --fps 25 --size 640x360 --preset veryfast --burn-in both
check "EDL render: exit 0" test $RC -eq 0
check "8 s long, as the record timecodes say" python3 -c "import sys; sys.exit(0 if abs(float(sys.argv[1]) - 8) < 0.05 else 1)" "$(probe "$W/e.mp4" format=duration)"
is "0.5 s: black (luma 16, burn-in aside)" "$(yavg "$W/e.mp4" 0.5 640:300:0:0)" 16
dmid=$(yavg "$W/e.mp4" 4.5)
da=$(yavg "$W/e.mp4" 3.8)
db=$(yavg "$W/e.mp4" 5.2)
check "4.5 s, mid dissolve: the picture lies between city (3.8 s) and box (5.2 s) ($da $dmid $db)" \
    python3 -c "import sys; a,m,b=map(float,sys.argv[1:]); sys.exit(0 if min(a,b) < m < max(a,b) else 1)" "$da" "$dmid" "$db"
check "burn-in: the timecode box holds white text on a dark box" python3 -c '
import subprocess, sys
raw = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-ss", "2", "-i", sys.argv[1], "-frames:v", "1", "-vf", "crop=120:20:0:340,format=gray", "-f", "rawvideo", "-"], capture_output=True).stdout
dark = sum(v < 40 for v in raw); white = sum(v > 200 for v in raw)
print("# %d dark, %d white of %d" % (dark, white, len(raw)))
sys.exit(0 if dark > 0.3 * len(raw) and white > 0.05 * len(raw) else 1)' "$W/e.mp4"
sed 's/box.mp4/nope.mov/; s/BOX /NOPE/' "$W/edl/cut.edl" >"$W/edl/bad.edl"
rr render --edl "$W/edl/bad.edl" --media "$W/edl/media" -o "$W/bad.mp4" --fps 25
check "an EDL naming a missing clip: exit 1, the clip, the line and the folders named, nothing written" \
    sh -c "test $RC -eq 1 && grep -q \"bad.edl:8: event 003: clip 'nope.mov'\" '$W/rr.err' && grep -q 'edl/media' '$W/rr.err' && test ! -e '$W/bad.mp4' && test ! -e '$W/bad.mp4.part'"
rr render --edl "$W/edl/cut.edl" -o "$W/x.mp4"
check "an EDL without --fps: usage says so" sh -c "test $RC -eq 1 && grep -q 'give --fps' '$W/rr.err'"

# --- a LUT, fades ---
python3 -c '
n = 2
print("LUT_3D_SIZE 2")
for b in range(n):
    for g in range(n):
        for r in range(n): print("%g %g %g" % (r * 0.5, g * 0.5, b * 0.5))' >"$W/half.cube"
rr render "$C" -o "$W/lut.mp4" --cube "$W/half.cube" --size 640x360 --preset veryfast --fade 1
l0=$(yavg "$W/lut.mp4" 3); s0=$(yavg "$C" 3)
check "a LUT halving every value: mean luma about half the source's ($s0 -> $l0)" \
    python3 -c "import sys; s,l=map(float,sys.argv[1:]); sys.exit(0 if abs((l-16) - (s-16)/2) < 8 else 1)" "$s0" "$l0"
is "fade from black: the first frame is black" "$(yavg "$W/lut.mp4" 0)" 16

# --- 4:2:0 deliverables are graded in Y'CbCr, masters in RGB: the two agree ---
python3 -c '
n = 17
print("LUT_3D_SIZE %d" % n)
for b in range(n):
    for g in range(n):
        for r in range(n):
            c = [min(1, max(0, 0.5 + (v / (n - 1) - 0.5) * 1.2)) for v in (r, g, b)]
            print("%.6f %.6f %.6f" % (min(1, c[0] * 1.2), c[1], c[2] * 0.8))' >"$W/warm.cube"
psnr() { # A B: "Y U V" PSNR of A against B, both as 4:2:0
    ffmpeg -nostdin -i "$1" -i "$2" -lavfi "[0:v]format=yuv420p[a];[1:v]format=yuv420p[b];[a][b]psnr" -f null - 2>&1 |
        sed -n 's/.*PSNR y:\([0-9.inf]*\) u:\([0-9.inf]*\) v:\([0-9.inf]*\).*/\1 \2 \3/p'
}
for look in none warm; do
    lk=()
    [ $look = warm ] && lk=(--cube "$W/warm.cube")
    rr render "$C" -o "$W/p_$look.mp4" "${lk[@]}" --size 640x360 --codec h264 --crf 0 --preset ultrafast --audio-codec none
    rr render "$C" -o "$W/p_$look.mov" "${lk[@]}" --size 640x360 --codec prores_4444 --audio-codec none
    p=$(psnr "$W/p_$look.mp4" "$W/p_$look.mov")
    check "BT.601 source, look $look: H.264 (graded in 4:2:0 Y'CbCr) against ProRes 4444 (graded in RGB): PSNR Y U V $p dB, each over 42" \
        python3 -c "import sys; sys.exit(0 if len(sys.argv) == 4 and min(map(float, sys.argv[1:])) > 42 else 1)" $p
done
vavg() { ffmpeg -nostdin -v error -ss 3 -i "$1" -frames:v 1 -vf "signalstats,metadata=print:key=lavfi.signalstats.VAVG:file=-" \
    -f null - | awk -F= '/VAVG/{printf "%.1f", $2; exit}'; }
v0=$(vavg "$W/p_none.mp4"); v1=$(vavg "$W/p_warm.mp4")
check "the warm look took effect in the 4:2:0 path: mean Cr $v0 -> $v1 (up by more than 2)" \
    python3 -c "import sys; sys.exit(0 if float(sys.argv[2]) - float(sys.argv[1]) > 2 else 1)" "$v0" "$v1"

# --- a full disk: a clear error, nothing half-written ---
(trap '' XFSZ; ulimit -f 300; "$REEL_BIN" render "$C" "$B" -o "$W/full.mp4" --size 640x360 --preset ultrafast >"$W/full.out" 2>"$W/full.err")
rcf=$?
check "a full disk: exit 1 with the file and the reason" sh -c "test $rcf -eq 1 && grep -q 'full.mp4' '$W/full.err' && grep -qi 'too large\|no space' '$W/full.err'"
check "a full disk: no full.mp4, no .part left" sh -c "! ls '$W'/full.mp4* 2>/dev/null | grep -q ."
diag_file "$W/full.err" 3

# --- a project: two deliveries, rendered and checked ---
P=$W/film
make_project "$P" real/cityCC0.mpg real/box.mp4 real/goforward.wav || bail "project"
python3 - "$P/reel.yaml" <<'EOF'
import sys
p = sys.argv[1]; s = open(p).read()
master = """  - name: master
    container: mov
    video_codec: prores_hq
    width: 320
    height: 180
    fps: 25
    audio_codec: pcm_s24le
    loudness: netflix
    burn_in: none
"""
s = s.replace("\nbudget:", master + "\nbudget:", 1)
s = s.replace("    burn_in: none\n    # Fade", "    burn_in: both\n    # Fade", 1)
open(p, "w").write(s)
EOF
rr render "$P"
check "reel render PROJECT: exit 0" test $RC -eq 0
for f in web.mp4 master.mov stems/dialogue.wav stems/web_mix.wav stems/master_mix.wav render.json report.json report.html qc/web.html qc/master.json; do
    check "out/$f written" test -s "$P/out/$f"
done
check "the verdicts are listed" sh -c "grep -q 'web.mp4.*QC pass' '$W/rr.out' && grep -q 'master.mov.*QC pass' '$W/rr.out'"
check "report.json: both deliverables pass QC" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print("# %s" % [(x["file"], x["pass"], x["errors"], x["warnings"]) for x in d["deliverables"]])
sys.exit(0 if d["pass"] and len(d["deliverables"]) == 2 else 1)' "$P/out/report.json"
is "master: ProRes HQ 320x180 at 25 with 24-bit PCM and timecode" \
    "$(probe "$P/out/master.mov" stream=profile) $(probe "$P/out/master.mov" stream=width)x$(probe "$P/out/master.mov" stream=height) $(probe "$P/out/master.mov" stream=r_frame_rate) $(ffprobe -v error -select_streams a -show_entries stream=codec_name -of csv=p=0 "$P/out/master.mov") $(probe "$P/out/master.mov" stream_tags=timecode)" \
    "HQ 320x180 25/1 pcm_s24le 01:00:00:00"
check "master: the netflix target (-27 dialogue-gated) met, by QC's measure" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["loudness"]
print("# dialogue-gated %.2f, true peak %.2f" % (d["dialogue_gated"], d["true_peak"]))
sys.exit(0 if abs(d["dialogue_gated"] + 27) < 1 and d["true_peak"] <= -2 + 0.1 else 1)' "$P/out/qc/master.json"
check "stems are broadcast WAVs (a bext chunk)" sh -c "head -c 200 '$P/out/stems/dialogue.wav' | grep -q bext"
check "render.json: the cut is the two clips with picture, the wav left out" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if [t["clip"] for t in d["timeline"]] == ["box", "cityCC0"] else 1)' "$P/out/render.json"
rr --json run "$P"
is "a second run: nothing re-renders" "$(json_events "$W/rr.out" task_done)" 0
satv() { # FILE TIME: mean saturation (signalstats SATAVG) of the frame at TIME
    ffmpeg -nostdin -v error -ss "$2" -i "$1" -frames:v 1 -vf signalstats,metadata=print:key=lavfi.signalstats.SATAVG:file=- \
        -f null - | awk -F= '/SATAVG/{printf "%.1f", $2; exit}'
}
s0=$(satv "$P/out/web.mp4" 18)
printf '\nagents:\n  color:\n    look: noir\n' >>"$P/reel.yaml"
sed -i '0,/^agents:$/{/^agents:$/d}' "$P/reel.yaml"
rr --json run "$P"
check "the colour agent's look reaches the deliverable: noir takes the colour out ($s0 -> $(satv "$P/out/web.mp4" 18))" \
    python3 -c "import sys; a,b=map(float,sys.argv[1:]); sys.exit(0 if a > 5 and b < 1.5 else 1)" "$s0" "$(satv "$P/out/web.mp4" 18)"
is "... which re-ran colour, render and qc only" "$(json_tasks "$W/rr.out" task_done)" "color qc render"

# --- a render killed midway resumes, and out/ never holds a part ---
K=$W/kill
make_project "$K" real/vtest.avi || bail "project"
"$REEL_BIN" -q run "$K" >/dev/null 2>&1 &
pid=$!
BG_PIDS+=("$pid")
for _ in $(seq 1 600); do
    ls "$K"/.reel/tmp/*web.mp4.part >/dev/null 2>&1 && break
    sleep 0.2
done
sleep 1
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
check "killed while rendering: no web.mp4 (or part) under out/" sh -c "! ls '$K/out/'web.mp4* 2>/dev/null | grep -q ."
rr run "$K"
check "the next run finishes the render" sh -c "test $RC -eq 0 && test -s '$K/out/web.mp4'"
rr qc "$K/out/web.mp4"
check "... and the deliverable is whole (content QC passes)" test $RC -eq 0

# --- bad deliveries in reel.yaml ---
bad_delivery() { # DESC SED-EXPR GREP
    local D=$W/bad$T_N
    make_project "$D" real/cityCC0.mpg || return
    sed -i "$2" "$D/reel.yaml"
    rr plan "$D"
    if [ $RC -eq 1 ] && grep -q "reel.yaml:[0-9]*:.*$3" "$W/rr.err"; then ok "$1"
    else not_ok "$1" "$(rr_diag)"; fi
}
bad_delivery "unknown codec: refused, the valid ones listed" 's/^    video_codec: h264/    video_codec: vp9/' "prores_4444"
bad_delivery "an odd height for h264: refused" 's/^    height: 180/    height: 181/' "even width and height"
bad_delivery "prores in mp4: refused" 's/^    video_codec: h264/    video_codec: prores_hq/' "goes in a mov container"
bad_delivery "23 fps for a ProRes master: refused, the rates listed" 's/^    video_codec: h264/    video_codec: prores_hq/; s/^    container: mp4/    container: mov/; s/^    fps: 24/    fps: 23/' "cannot carry 23/1 fps"
bad_delivery "PCM in mp4: refused" 's/^    audio_codec: aac/    audio_codec: pcm_s24le/' "goes in a mov container"
rr init "$W/initbad" --footage "$C" --delivery width=abc
check "init --delivery with a bad value: exit 1, named" sh -c "test $RC -eq 1 && grep -q 'width=abc' '$W/rr.err'"
plan_done
