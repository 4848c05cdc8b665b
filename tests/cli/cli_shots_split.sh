#!/usr/bin/env bash
# `reel shots FILE --split DIR` and `--srt`: one file per shot, frame-exact. Built from the real
# cut of cityCC0.mpg (frame 116) with real speech as its sound: an H.264 version with a closed-GOP
# key frame on the cut (stream copy expected), one with key frames elsewhere (re-encode expected)
# and a ProRes one (intra-only: stream copy). Frame exactness is checked by decoding each piece
# and comparing every frame's MD5 with the matching frames of the source.
. "$(dirname "$0")/lib.sh"
need_media real/cityCC0.mpg real/goforward.wav

SRC=$REEL_MEDIA/real/cityCC0.mpg
mk() { # mk OUT VIDEO-ARGS...: cityCC0 with goforward.wav as audio
    local out=$1; shift
    ffmpeg -v error -y -i "$SRC" -stream_loop -1 -i "$REEL_MEDIA/real/goforward.wav" -map 0:v -map 1:a -shortest -vf crop=720:404:0:0 "$@" "$out"
}
mk "$W/key.mp4" -c:v libx264 -preset veryfast -x264-params keyint=1000:scenecut=0 \
    -force_key_frames 'expr:eq(n,116)' -c:a aac || bail "cannot make key.mp4"
mk "$W/gop.mp4" -c:v libx264 -preset veryfast -x264-params keyint=50:scenecut=0 -c:a aac || bail "cannot make gop.mp4"
mk "$W/intra.mov" -c:v prores_ks -profile:v 0 -c:a pcm_s16le || bail "cannot make intra.mov"

# md5 of every decoded frame of FILE (frames A..B of it when given)
frame_md5() {
    local sel=()
    [ $# -gt 1 ] && sel=(-vf "select=between(n\\,$2\\,$3)")
    ffmpeg -nostdin -v error -i "$1" "${sel[@]}" -map 0:v -vsync 0 -f framemd5 - | grep -v '^#' | awk -F, '{print $NF}'
}
# exact FILE DIR STEM EXT JSON: every piece equals its frames of FILE, per the shots JSON
exact() {
    local f=$1 d=$2 stem=$3 ext=$4 json=$5 i=1 a b bad=0
    while read -r a b; do
        frame_md5 "$f" "$a" $((b - 1)) >"$W/want.md5"
        frame_md5 "$d/$stem-Shot-$(printf %03d $i).$ext" >"$W/got.md5"
        cmp -s "$W/want.md5" "$W/got.md5" || { diag "piece $i ($a..$b) differs"; bad=1; }
        i=$((i + 1))
    done < <(python3 -c 'import json,sys; [print(s["start"], s["end"]) for s in json.load(open(sys.argv[1]))["shots"]]' "$json")
    [ $i -eq 3 ] || { diag "compared $((i - 1)) pieces, want 2"; bad=1; }
    return $bad
}

rr --json shots "$W/key.mp4" --split "$W/k" --srt "$W/k.srt"
cp "$W/rr.out" "$W/key.json"
check "key frame on the cut: exit 0" test $RC -eq 0
check "two shots found, split at the real cut (116)" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if [s["start"] for s in d["shots"]] == [0, 116] else 1)' "$W/rr.out"
check "key frame on the cut: pieces are stream copies (same H.264 stream, AAC kept)" sh -c "
    [ \"\$(ffprobe -v error -select_streams v -show_entries stream=codec_name -of csv=p=0 '$W/k/key-Shot-002.mp4')\" = h264 ] &&
    [ \"\$(ffprobe -v error -select_streams a -show_entries stream=codec_name -of csv=p=0 '$W/k/key-Shot-002.mp4')\" = aac ]"
rr shots "$W/key.mp4" --split "$W/k2"
check "the run says it used stream copy" grep -q "by stream copy" "$W/rr.err"
check "stream copy pieces are frame-exact" exact "$W/key.mp4" "$W/k" key mp4 "$W/key.json"
check "piece 2 carries its source timecode (116 frames = 00:00:04:16)" test \
    "$(ffprobe -v error -select_streams v -show_entries stream_tags=timecode -of csv=p=0 "$W/k/key-Shot-002.mp4")" = 00:00:04:16
check "piece 2 has its sound: audio as long as the picture, within 50 ms" python3 -c '
import subprocess, sys
def dur(sel):
    return float(subprocess.check_output(["ffprobe", "-v", "error", "-select_streams", sel, "-show_entries",
        "stream=duration", "-of", "csv=p=0", sys.argv[1]]).split()[0])
sys.exit(0 if abs(dur("a") - dur("v")) < 0.05 else 1)' "$W/k/key-Shot-002.mp4"
check "no partial files left" test -z "$(find "$W/k" -name '*.part')"
check "SRT: one cue per shot with SRT times" python3 -c '
import re, sys
cues = open(sys.argv[1]).read().strip().split("\n\n")
ok = len(cues) == 2 and all(re.match(r"\d+\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\n", c) for c in cues)
sys.exit(0 if ok and "00:00:04,640 --> " in cues[1] else 1)' "$W/k.srt"

rr shots "$W/gop.mp4" --split "$W/g"
check "key frames off the cut: re-encoded, and the run says why" sh -c "[ $RC -eq 0 ] && grep -q 're-encoded to H.264/AAC: stream copy would not be frame-exact' '$W/rr.err'"
rr --json shots "$W/gop.mp4"
check "re-encoded pieces have the shots' frame counts" python3 -c '
import json, subprocess, sys
d = json.load(open(sys.argv[1]))
for i, s in enumerate(d["shots"]):
    n = subprocess.check_output(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v", "-show_entries",
        "stream=nb_read_frames", "-of", "csv=p=0", "%s/gop-Shot-%03d.mp4" % (sys.argv[2], i + 1)]).split()[0]
    if int(n) != s["end"] - s["start"]: sys.exit(1)' "$W/rr.out" "$W/g"
check "re-encoded piece 2 matches the source frames (PSNR >= 35 dB)" python3 -c '
import re, subprocess, sys
out = subprocess.run(["ffmpeg", "-v", "info", "-i", sys.argv[1], "-i", sys.argv[2], "-filter_complex",
    "[0:v]trim=start_frame=116,setpts=PTS-STARTPTS[a];[a][1:v]psnr", "-f", "null", "-"],
    capture_output=True, text=True).stderr
m = re.search(r"PSNR .* average:([0-9.]+|inf)", out)
sys.exit(0 if m and float(m.group(1)) >= 35 else 1)' "$W/gop.mp4" "$W/g/gop-Shot-002.mp4"
rr shots "$W/gop.mp4" --split "$W/g2" --split-mode copy
check "--split-mode copy on an inexact file: exit 1 naming the file and why" sh -c "
    [ $RC -eq 1 ] && grep -q 'gop.mp4: cannot split by stream copy: piece 1 (0.000-4.640 s) does not end where a group of pictures ends' '$W/rr.err'"
rr shots "$W/key.mp4" --split "$W/e" --split-mode encode
check "--split-mode encode re-encodes even when a copy would do" sh -c "[ $RC -eq 0 ] && grep -q 're-encoded to H.264/AAC$' '$W/rr.err'"

rr --json shots "$W/intra.mov" --split "$W/i"
check "ProRes (intra-only): stream copy, frame-exact" sh -c "
    [ \"\$(ffprobe -v error -select_streams v -show_entries stream=codec_name -of csv=p=0 '$W/i/intra-Shot-001.mov')\" = prores ]" &&
check "ProRes pieces are frame-exact" exact "$W/intra.mov" "$W/i" intra mov "$W/rr.out"

# a piece left half-written by a run killed outright is removed by the next split
mkdir -p "$W/st" && echo junk >"$W/st/key-Shot-009.mp4.part"
rr shots "$W/key.mp4" --split "$W/st"
check "a stale .part from a killed run is removed" sh -c "[ $RC -eq 0 ] && [ ! -e '$W/st/key-Shot-009.mp4.part' ]"

# ^C during a re-encoding split: exit 130, no .part left, no piece that was not finished
mk "$W/long.mp4" -c:v libx264 -preset veryfast -c:a aac -vf "crop=720:404:0:0,loop=loop=5:size=190" || bail "cannot make long.mp4"
"$REEL_BIN" shots "$W/long.mp4" --split "$W/int" --split-mode encode >"$W/int.out" 2>"$W/int.err" &
pid=$!
for _ in $(seq 600); do ls "$W/int"/*.part >/dev/null 2>&1 && break; sleep 0.05; done
saw_part=0; ls "$W/int"/*.part >/dev/null 2>&1 && saw_part=1
kill -INT $pid 2>/dev/null; wait $pid; irc=$?
check "^C while splitting (a piece was in progress: $saw_part): exit 130, no .part left" sh -c "
    [ $saw_part = 1 ] && [ $irc = 130 ] && ! ls '$W/int'/*.part >/dev/null 2>&1 && grep -q 'split interrupted' '$W/int.err'"
for f in "$W/int"/*.mp4; do
    [ -e "$f" ] || continue
    check "a piece kept after ^C is complete: $(basename "$f")" ffprobe -v error -show_entries format=duration "$f"
done

rr shots "$W/key.mp4" --split "$W/x" --split-mode fast
check "an unknown --split-mode is a usage error" sh -c "[ $RC -eq 2 ] && grep -q 'auto, copy or encode' '$W/rr.err'"
plan_done
