#!/usr/bin/env bash
# `reel shots FILE` and the shots agent end to end: exact cuts on generated media, EDL/OTIO/JSON
# files that parse, and the awkward inputs (audio only, one frame, black head, corrupt middle,
# sparse timestamps). Accuracy on real footage is scored in bench/shots.sh.
. "$(dirname "$0")/lib.sh"
need_media synth/cuts.mp4 real/goforward.wav real/tree.avi bad/corrupted.mp4 real/cityCC0.mpg synth/540p25.mp4

rr --json shots "$REEL_MEDIA/synth/cuts.mp4" --edl "$W/c.edl" --otio "$W/c.otio"
cuts=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(str(t["start"]) for t in d["transitions"] if t["type"]=="cut"))' "$W/rr.out" 2>&1)
truth=$(grep -v '^#' "$REEL_MEDIA/synth/cuts.txt" | tr '\n' ' ' | sed 's/ $//')
is "cuts.mp4: cuts found frame-exact at the generated frames" "$cuts" "$truth"
check "EDL: three events in CMX3600 columns" test "$(grep -cE '^[0-9]{3}  AX       V     C        [0-9:]{11} [0-9:]{11} [0-9:]{11} [0-9:]{11}$' "$W/c.edl")" -eq 3
check "EDL names the source clip" grep -q '^\* FROM CLIP NAME: cuts.mp4$' "$W/c.edl"
check "OTIO parses and has 3 clips" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
clips = [c for c in t["tracks"]["children"][0]["children"] if c["OTIO_SCHEMA"] == "Clip.1"]
sys.exit(0 if t["OTIO_SCHEMA"] == "Timeline.1" and len(clips) == 3 else 1)' "$W/c.otio"

rr shots "$REEL_MEDIA/real/goforward.wav"
check "audio only: exit 1 naming the file and the reason" sh -c "[ $RC -eq 1 ] && grep -q 'goforward.wav: no video stream' '$W/rr.err'"

ffmpeg -v error -y -f lavfi -i testsrc2=size=320x240:rate=25 -frames:v 1 -pix_fmt yuv420p "$W/one.mp4"
rr --json shots "$W/one.mp4"
check "a one-frame clip is one shot" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["frames"]==1 and len(d["shots"])==1 else 1)' "$W/rr.out"

ffmpeg -v error -y -f lavfi -i color=black:size=320x240:rate=25:d=1 -f lavfi -i testsrc2=size=320x240:rate=25:d=3 \
    -filter_complex '[0][1]concat=n=2:v=1' -pix_fmt yuv420p "$W/blackhead.mp4"
rr --json shots "$W/blackhead.mp4"
check "a clip that starts with black: no cut inside the black, the picture starts at 25" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
starts = [t["start"] for t in d["transitions"] if t["type"] == "cut"]
sys.exit(0 if all(s == 25 for s in starts) and d["frames"] == 100 else 1)' "$W/rr.out"

rr --json shots "$REEL_MEDIA/bad/corrupted.mp4"
check "a corrupted middle: the run completes" test $RC -eq 0
# which frames really are damaged: PSNR against the clean file it was made from (frames matched
# by timestamp), below 35 dB. Every one must lie in a reported damaged stretch; no cut there.
ffmpeg -nostdin -v quiet -i "$REEL_MEDIA/bad/corrupted.mp4" -i "$REEL_MEDIA/synth/540p25.mp4" \
    -lavfi "[0:v][1:v]psnr=stats_file=$W/psnr.txt" -f null - || true
check "a corrupted middle: the damaged frames are reported, and not split" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
bad = [i for i, l in enumerate(open(sys.argv[2])) if float(l.split("psnr_avg:")[1].split()[0]) < 35]
runs = [(x["frame"], x["frame"] + x["length"]) for x in d["damaged"]]
inside = lambda f: any(a <= f < b for a, b in runs)
cuts = [t["start"] for t in d["transitions"] if t["type"] == "cut"]
reported = sum(b - a for a, b in runs)
ok = bad and all(inside(f) for f in bad) and not any(inside(c) or inside(c - 1) for c in cuts) \
    and reported <= len(bad) + 5 and len(d["shots"]) == 1
print("# truly damaged %d (%d..%d), reported %s, cuts %s" % (len(bad), bad[0], bad[-1], runs, cuts) if bad else "# no damage measured")
sys.exit(0 if ok else 1)' "$W/rr.out" "$W/psnr.txt"
rr shots "$REEL_MEDIA/bad/corrupted.mp4"
check "the table lists the damaged stretch" grep -q "^damaged " "$W/rr.out"
rr --json shots "$REEL_MEDIA/real/tree.avi"
check "sparse timestamps (tree.avi): completes with every decoded frame counted" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d["frames"] > 0 and d["shots"][-1]["end"] == d["frames"] else 1)' "$W/rr.out"

P=$W/proj
make_project "$P" real/cityCC0.mpg || bail "cannot make the project"
rr run "$P"
check "project run writes out/shots json, edl, otio and srt" test -s "$P/out/shots/cityCC0.json" -a -s "$P/out/shots/cityCC0.edl" -a -s "$P/out/shots/cityCC0.otio" -a -s "$P/out/shots/cityCC0.srt"
check "the real cut of cityCC0 at frame 116 is found" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if any(t["type"]=="cut" and abs(t["start"]-116)<=1 for t in d["transitions"]) else 1)' "$P/out/shots/cityCC0.json"
check "the OTIO names the clip relative to the project" grep -q '"target_url": "footage/cityCC0.mpg"' "$P/out/shots/cityCC0.otio"
plan_done
