#!/usr/bin/env bash
# `reel takes`: five takes of one line made from real speech (pocketsphinx-testdata's goforward.wav):
# clean, a word cut out, clipped (+20 dB), under room noise (alsa-utils' Noise.wav), and off mic
# (-18 dB). The clean take must rank first and every other take must be marked down for its own
# flaw; the scene comes from the slate-style names. Then three takes with picture (OpenCV's
# vtest.avi under the same line): sharp, blurred, blown out; the sharp one wins and the others are
# marked soft and overexposed. Weights; bad input.
. "$(dirname "$0")/lib.sh"
need_media real/goforward.wav real/Noise.wav real/vtest.avi

R=$REEL_MEDIA/real
G=$R/goforward.wav
mk() { ffmpeg -nostdin -v error -y "$@" -c:a pcm_s16le; }
mk -i "$G" "$W/S1_T1.wav" &&
    mk -i "$G" -af "aselect='not(between(t,1.17,1.53))',asetpts=N/SR/TB" "$W/S1_T2.wav" &&
    mk -i "$G" -af volume=20dB "$W/S1_T3.wav" &&
    mk -i "$G" -stream_loop -1 -i "$R/Noise.wav" \
        -filter_complex "[1:a]aresample=16000,volume=0.1[n];[0:a][n]amix=inputs=2:duration=first:normalize=0" "$W/S1_T4.wav" &&
    mk -i "$G" -af volume=-18dB "$W/S1_T5.wav" || bail "ffmpeg could not make the takes"
S=$W/s.fountain
printf 'INT. LAB - DAY #1#\n\nJOE\nGo forward ten meters.\n\nEXT. FIELD - DAY #2#\n\nANN\nStop right there.\n' >"$S"

rr -q takes "$W"/S1_T*.wav --script "$S" --json
check "five takes scored (exit 0)" test "$RC" = 0
[ "$RC" = 0 ] || rr_diag
python3 - "$W/rr.out" >"$W/py.out" 2>&1 <<'PY'
import json, sys
t = {x["take"].rsplit("/", 1)[1]: x for x in json.load(open(sys.argv[1]))}
for k, v in sorted(t.items()): print("#", k, v["rank"], round(v["total"], 2), v["why"])
assert t["S1_T1.wav"]["rank"] == 1 and t["S1_T1.wav"]["why"] == "", "the clean take first, with nothing against it"
assert all(x["scene"] == "1" for x in t.values()), "the scene from the slate names"
assert t["S1_T2.wav"]["dialogue"] < 1 and ("missed" in t["S1_T2.wav"]["why"] or "replaced" in t["S1_T2.wav"]["why"])
assert t["S1_T3.wav"]["measures"]["clipped"] > 0.001 and "clipped" in t["S1_T3.wav"]["why"]
assert t["S1_T4.wav"]["measures"]["snr_db"] < 20 and "noisy" in t["S1_T4.wav"]["why"]
assert t["S1_T5.wav"]["measures"]["loudness"] < -45 and "quiet" in t["S1_T5.wav"]["why"]
assert t["S1_T1.wav"]["script"]["accuracy"] == 1 and t["S1_T1.wav"]["script"]["words"] == 4, "scene 1's four words only"
print("ok")
PY
check "the clean take ranks first; the cut, clipped, noisy and quiet takes are each marked down for it" grep -qx ok "$W/py.out"
diag_file "$W/py.out" 8

mkmovie() { ffmpeg -nostdin -v error -y -i "$R/vtest.avi" -i "$G" -t 2.8 "$@" -c:v libx264 -preset veryfast -pix_fmt yuv420p \
    -c:a aac -shortest; }
mkmovie "$W/1-1.mp4" && mkmovie -vf boxblur=4 "$W/1-2.mp4" && mkmovie -vf eq=brightness=0.4 "$W/1-3.mp4" || bail "ffmpeg could not make the picture takes"
rr -q takes "$W"/1-[123].mp4 --script "$S" --json
python3 - "$W/rr.out" >"$W/py2.out" 2>&1 <<'PY'
import json, sys
t = {x["take"].rsplit("/", 1)[1]: x for x in json.load(open(sys.argv[1]))}
for k, v in sorted(t.items()): print("#", k, v["rank"], round(v["total"], 2), v["why"], v.get("picture"))
assert t["1-1.mp4"]["rank"] == 1 and t["1-1.mp4"]["picture"]["score"] == 1, "the sharp, well exposed take first"
assert t["1-2.mp4"]["picture"]["focus_part"] == 0 and "soft" in t["1-2.mp4"]["why"], "the blurred take marked soft"
assert t["1-3.mp4"]["picture"]["exposure_part"] < 0.5 and "overexposed" in t["1-3.mp4"]["why"], "the blown-out take"
assert all(x["scene"] == "1" for x in t.values()), "scene 1 from the names 1-1, 1-2, 1-3"
print("ok")
PY
check "takes with picture: the sharp one wins; the blurred one is marked soft, the blown-out one overexposed" \
    grep -qx ok "$W/py2.out"
diag_file "$W/py2.out" 6

rr -q takes "$W/S1_T1.wav" "$W/S1_T2.wav" --script "$S" --scene 1 --dialogue 0 --sound 1
check "with the dialogue weighed 0, the take with the missing word scores as high as the clean one" \
    sh -c "grep -Eq '^1 +S1_T1.wav +1.00' '$W/rr.out' && grep -Eq '^2 +S1_T2.wav +1.00' '$W/rr.out'"
rr -q takes "$W/S1_T1.wav" --script "$S" --scene 2
check "against another scene's line the take scores low" grep -Eq '^1 +S1_T1.wav +0\.[0-5]' "$W/rr.out"
cp "$W/S1_T1.wav" "$W/S9_T1.wav"
rr -q takes "$W/S9_T1.wav" --script "$S"
check "a slate naming a scene the script lacks: exit 1, named" sh -c "[ $RC = 1 ] && grep -q 'has no scene 9' '$W/rr.err'"
rr -q takes "$W/S1_T1.wav"
check "no --script: usage error (exit 2)" test "$RC" = 2
rr -q takes "$W/S1_T1.wav" --script "$S" --sound loud
check "a weight that is not a number: usage error (exit 2)" test "$RC" = 2
rr -q takes "$W/nothere.wav" --script "$S" --scene 1
check "a missing take: exit 1, named" sh -c "[ $RC = 1 ] && grep -q nothere.wav '$W/rr.err'"

plan_done
