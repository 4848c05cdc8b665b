#!/usr/bin/env bash
# `reel qc FILE`: clean real footage passes with no false findings; known-bad files made with
# ffmpeg from real footage (a black gap, a freeze, flashing, red flashing, out-of-range levels,
# a clipped tone, a dropout, a silence, anti-phase stereo) and real clips with bytes damaged as
# in a transfer are each caught at the right time; specs judge the container and loudness;
# report.json, report.html and the per-frame CSV; bad input.
. "$(dirname "$0")/lib.sh"
need_media real/vtest.avi real/tree.avi real/cityCC0.mpg real/box.mp4 real/cup.mp4 real/Megamind.avi \
    real/goforward.wav real/numbers.wav bad/zero-byte.mov bad/text.mov

R=$REEL_MEDIA/real
C=$R/cityCC0.mpg # 7.6 s at 25 fps, no sound, one real cut
CORRUPT=$REPO_ROOT/tests/cli/corrupt_packet.py

# finding FILE.json CHECK [T0 T1 [TOL]]: exit 0 when the report has a finding CHECK that starts
# within TOL s (default 0.1) of T0 and ends within TOL of T1 (any timing when T0 is not given;
# any end when T1 is 999)
finding() {
    python3 - "$@" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1])); check = sys.argv[2]
t = [float(x) for x in sys.argv[3:5]]; tol = float(sys.argv[5]) if len(sys.argv) > 5 else 0.1
fs = [f for f in r["findings"] if f["check"] == check]
print("# %s: %s" % (check, [(f["severity"], f["timecode"], f["start"], f["end"], f["message"]) for f in fs]))
ok = [f for f in fs if not t or (f["start"] is not None and abs(f["start"] - t[0]) <= tol
                                  and (t[1] == 999 or abs(f["end"] - t[1]) <= tol))]
sys.exit(0 if ok else 1)
EOF
}
# none FILE.json CHECK...: exit 0 when the report has no finding of any CHECK
none() {
    python3 - "$@" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
bad = [f for f in r["findings"] if f["check"] in sys.argv[2:]]
for f in bad: print("# unexpected: %s %s %s %s" % (f["severity"], f["check"], f["timecode"], f["message"]))
sys.exit(0 if not bad else 1)
EOF
}
qc() { # NAME FILE [ARGS...]: reel qc into $W/NAME.json
    local name=$1 f=$2
    shift 2
    rr qc "$f" --report "$W/$name.json" "$@"
}

# --- clean real footage: passes, and nothing is found that is not there ---
for f in vtest.avi tree.avi cityCC0.mpg box.mp4 cup.mp4 Megamind.avi goforward.wav numbers.wav; do
    qc "clean_$f" "$R/$f"
    check "clean $f: passes (exit 0)" test $RC -eq 0
    check "clean $f: no black, freeze, glitch, flash, clipping, dropout, silence or phase finding" \
        none "$W/clean_$f.json" black freeze glitch flash clipping dropout silence phase
done
# the findings clean footage does get are true, by ffmpeg's own measures
check "vtest's levels finding is true: ffmpeg's signalstats puts over 1% of every frame outside 16-235" python3 -c '
import json, subprocess, sys
r = json.load(open(sys.argv[1]))
out = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", sys.argv[2], "-vf", "signalstats=stat=brng,metadata=print:key=lavfi.signalstats.BRNG:file=-", "-f", "null", "-"], capture_output=True, text=True).stdout
brng = [float(l.split("=")[1]) for l in out.splitlines() if "BRNG" in l]
n = sum(b > 0.01 for b in brng)
print("# reel: %d frames outside R103; ffmpeg: %d of %d frames with BRNG over 1%%" % (r["video"]["frames_outside_r103"], n, len(brng)))
sys.exit(0 if r["video"]["frames_outside_r103"] <= n and n > 0 else 1)' "$W/clean_vtest.avi.json" "$R/vtest.avi"
check "box.mp4's true-peak warning is true: ffmpeg's ebur128 measures over 0 dBTP" python3 -c '
import json, re, subprocess, sys
r = json.load(open(sys.argv[1]))
err = subprocess.run(["ffmpeg", "-nostdin", "-i", sys.argv[2], "-af", "ebur128=peak=true", "-f", "null", "-"], capture_output=True, text=True).stderr
tp = float(re.findall(r"Peak:\s+(-?[\d.]+) dBFS", err)[-1])
print("# reel %.2f dBTP, ffmpeg %.2f dBTP" % (r["loudness"]["true_peak"], tp))
sys.exit(0 if tp > 0 and abs(tp - r["loudness"]["true_peak"]) < 0.5 else 1)' "$W/clean_box.mp4.json" "$R/box.mp4"
check "box.mp4's lost picture is reported, and true: ffprobe reads one packet more than it decodes frames" python3 -c '
import json, subprocess, sys
r = json.load(open(sys.argv[1]))
lost = [f for f in r["findings"] if f["check"] == "decode" and "gave no picture" in f["message"]]
out = subprocess.run(["ffprobe", "-v", "quiet", "-select_streams", "v", "-count_packets", "-count_frames", "-show_entries",
                      "stream=nb_read_packets,nb_read_frames", "-of", "csv=p=0", sys.argv[2]], capture_output=True, text=True).stdout
a, b = [int(x) for x in out.strip().split(",")[:2]]
print("# ffprobe: %s; reel: %s" % (out.strip(), [f["message"] for f in lost]))
sys.exit(0 if lost and abs(a - b) == 1 else 1)' "$W/clean_box.mp4.json" "$R/box.mp4"
check "Megamind's decode warning is true: ffmpeg reports decode errors too" \
    sh -c "ffmpeg -nostdin -v error -i '$R/Megamind.avi' -f null - 2>&1 | grep -q ."

# --- known-bad pictures made from real footage ---
mk() { # NAME FILTER: cityCC0 (cropped to an even 720x404) through FILTER, H.264
    ffmpeg -nostdin -v error -y -i "$C" -vf "crop=720:404:0:0,$2" -c:v libx264 -crf 16 -preset veryfast -pix_fmt yuv420p "$W/$1.mp4"
}
mk black "drawbox=c=black:t=fill:enable='between(t,2,4)'"
qc black "$W/black.mp4"
check "a 2 s black gap: a black segment from 2.0 s to 4.0 s" finding "$W/black.json" black 2.0 4.04 0.05
mk blackframe "drawbox=c=black:t=fill:enable='eq(n,50)'"
qc blackframe "$W/blackframe.mp4"
check "one black frame between pictures: found at frame 50 (2.0 s)" finding "$W/blackframe.json" black 2.0 2.04 0.01
ffmpeg -nostdin -v error -y -i "$C" -filter_complex "[0:v]crop=720:404:0:0,split[x][y];[x][y]freezeframes=first=26:last=100:replace=25" \
    -c:v libx264 -crf 16 -preset veryfast "$W/freeze.mp4"
qc freeze "$W/freeze.mp4"
check "frames 26-100 frozen on frame 25: a freeze from 1.0 s to 4.04 s" finding "$W/freeze.json" freeze 1.0 4.04 0.1
mk flash "drawbox=c=white:t=fill:enable='between(t,3,5)*lt(mod(t,0.2),0.08)'"
qc flash "$W/flash.mp4"
check "5 Hz white flashes from 3 s to 5 s: a flash error inside 3-5 s" finding "$W/flash.json" flash 3.0 4.9 0.25
check "the flash report fails (exit 3)" test $RC -eq 3
mk redflash "drawbox=c=red:t=fill:w=iw:h=ih/2:enable='between(t,2,4)*lt(mod(t,0.25),0.12)'"
qc redflash "$W/redflash.mp4"
check "4 Hz saturated red over half the screen: a flash error" finding "$W/redflash.json" flash
mk slowflash "drawbox=c=white:t=fill:enable='between(t,3,5)*lt(mod(t,0.5),0.25)'"
qc slowflash "$W/slowflash.mp4"
check "2 Hz flashes (within the 3 a second allowed): no flash finding" none "$W/slowflash.json" flash
mk smallflash "drawbox=c=white:t=fill:w=iw/5:h=ih/5:enable='between(t,3,5)*lt(mod(t,0.2),0.08)'"
qc smallflash "$W/smallflash.mp4"
check "5 Hz flashes over 4% of the screen: no flash finding" none "$W/smallflash.json" flash
mk levels "lutyuv=y=clip(val*1.5\,0\,255):enable='between(t,2,4)'"
qc levels "$W/levels.mp4"
check "luma raised 1.5x from 2 s to 4 s: a levels finding there" finding "$W/levels.json" levels 2.0 4.04 0.05

# --- real clips with bytes damaged, as in transfer: the finding lands on the damaged frame ---
damaged() { # NAME SRC FRAC [NBYTES]
    local t
    t=$(python3 "$CORRUPT" "$2" "$W/$1.${2##*.}" "$3" ${4:+"$4"}) || { not_ok "damage $1"; return; }
    qc "$1" "$W/$1.${2##*.}"
    if finding "$W/$1.json" decode "$t" 999 0.05 || finding "$W/$1.json" glitch "$t" 999 0.05; then
        ok "$1 damaged at $t s: a decode or glitch finding starts there"
    else
        not_ok "$1 damaged at $t s: a decode or glitch finding starts there"
    fi
}
damaged cityCC0_mid "$C" 0.5
damaged cityCC0_late "$C" 0.8 8
damaged vtest_mid "$R/vtest.avi" 0.5
damaged vtest_early "$R/vtest.avi" 0.3 8
damaged megamind_mid "$R/Megamind.avi" 0.5
damaged cup_mid "$R/cup.mp4" 0.5
damaged box_late "$R/box.mp4" 0.8 16

# --- sound ---
S=$R/numbers.wav
ffmpeg -nostdin -v error -y -f lavfi -i "aevalsrc=0.5*sin(2*PI*440*t):d=6" -af "volume=12dB:enable='between(t,2,3)'" \
    -c:a pcm_s16le "$W/clip.wav"
qc clip "$W/clip.wav"
check "a tone clipped from 2 s to 3 s: a clipping finding there" finding "$W/clip.json" clipping 2.0 3.0 0.15
python3 -c '
import sys, wave
w = wave.open(sys.argv[1]); p = w.getparams(); b = bytearray(w.readframes(p.nframes))
a = int(1.5 * p.framerate) * 2; b[a:a + int(0.02 * p.framerate) * 2] = bytes(int(0.02 * p.framerate) * 2)
o = wave.open(sys.argv[2], "wb"); o.setparams(p); o.writeframes(bytes(b))' "$S" "$W/drop.wav"
qc drop "$W/drop.wav"
check "20 ms of digital silence at 1.5 s in speech: a dropout there" finding "$W/drop.json" dropout 1.5 1.52 0.01
ffmpeg -nostdin -v error -y -i "$S" -f lavfi -t 4 -i anullsrc=r=16000:cl=mono -i "$S" \
    -filter_complex "[0][1][2]concat=n=3:v=0:a=1" -c:a pcm_s16le "$W/gap.wav"
qc gap "$W/gap.wav"
check "4 s of silence between two takes of speech: a silence finding" finding "$W/gap.json" silence 4.0 8.0 0.6
ffmpeg -nostdin -v error -y -i "$S" -af "pan=stereo|c0=c0|c1=-1*c0" -c:a pcm_s16le "$W/phase.wav"
qc phase "$W/phase.wav"
check "right channel inverted: a phase finding" finding "$W/phase.json" phase
ffmpeg -nostdin -v error -y -i "$S" -af "pan=stereo|c0=c0|c1=c0" -c:a pcm_s16le "$W/inphase.wav"
qc inphase "$W/inphase.wav"
check "the same speech in phase: no phase finding" none "$W/inphase.json" phase

# --- specs ---
qc ebu_speech "$R/goforward.wav" --spec ebu
check "ebu on real speech at -30 LUFS: fails (exit 3)" test $RC -eq 3
check "ebu: a loudness error naming -23" sh -c "grep -q 'wants -23.0' '$W/ebu_speech.json'"
check "ebu: no video stream is an error" sh -c "grep -q 'no video stream' '$W/ebu_speech.json'"
qc web_box "$R/box.mp4" --spec web
check "web on box.mp4: mp3 at 44.1 kHz mono is named" sh -c "grep -q 'the audio codec is mp3' '$W/web_box.json' && grep -q '44100 Hz' '$W/web_box.json' && grep -q '1 channel' '$W/web_box.json'"
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=s=1920x1080:r=25:d=2" -f lavfi -i "sine=f=1000:d=2:sample_rate=48000" \
    -filter_complex "[0:v]scale=out_color_matrix=bt709:out_range=tv,format=yuv422p10le,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv[v];[1:a]pan=stereo|c0=c0|c1=c0[a]" \
    -map "[v]" -map "[a]" -c:v prores_ks -profile:v 3 -c:a pcm_s24le "$W/master.mov"
qc netflix "$W/master.mov" --spec netflix
check "netflix on a ProRes HQ 1080p25 master: no container finding" none "$W/netflix.json" container
check "netflix: the tone's loudness is judged (a loudness error)" finding "$W/netflix.json" loudness
rr qc "$W/master.mov" --spec netflix --json
check "--json prints the report" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["spec"]["name"]=="netflix" else 1)' "$W/rr.out"

# --- report.html, the frames CSV ---
rr qc "$W/flash.mp4" --html "$W/flash.html" --frames "$W/flash.csv"
check "html: written, self-contained (no external reference), with thumbnails and plots" python3 -c '
import sys
from html.parser import HTMLParser
s = open(sys.argv[1]).read()
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.ext = []; s.imgs = 0; s.svg = 0
    def handle_starttag(s, tag, a):
        a = dict(a)
        for k in ("src", "href"):
            if k in a and not a[k].startswith("data:"): s.ext.append(a[k])
        s.imgs += tag == "img"; s.svg += tag == "svg"
p = P(); p.feed(s)
print("# %d images, %d plots, external: %s" % (p.imgs, p.svg, p.ext))
sys.exit(0 if not p.ext and p.imgs >= 3 and p.svg >= 1 and "photosensitive" in s else 1)' "$W/flash.html"
check "frames CSV: one line a frame, flash transitions marked" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
n = sum(r["flash"] != "0" for r in rows)
print("# %d frames, %d flash transitions" % (len(rows), n))
sys.exit(0 if len(rows) == 190 and n >= 15 else 1)' "$W/flash.csv"

# --- bad input ---
rr qc "$W/missing.mp4"
check "missing file: exit 1, named" sh -c "test $RC -eq 1 && grep -q 'missing.mp4' '$W/rr.err'"
rr qc "$REEL_MEDIA/bad/text.mov"
check "a text file: exit 1, named" sh -c "test $RC -eq 1 && grep -q 'text.mov' '$W/rr.err'"
rr qc "$REEL_MEDIA/bad/zero-byte.mov"
check "a zero-byte file: exit 1, says empty" sh -c "test $RC -eq 1 && grep -q 'empty' '$W/rr.err'"
rr qc "$C" --spec nonesuch
check "unknown spec: exit 2, the specs listed" sh -c "test $RC -eq 2 && grep -q 'netflix' '$W/rr.err'"
rr qc
check "no file: exit 2" test $RC -eq 2
rr qc --help
check "--help lists the specs and checks" sh -c "grep -q netflix '$W/rr.out' && grep -q 'BT.1702' '$W/rr.out'"
plan_done
