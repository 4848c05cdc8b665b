#!/usr/bin/env bash
# Real media that no one here wrote (Debian packages, via scripts/fetch-media.sh), measured by
# reel and by ffmpeg/ffprobe side by side: frame counts, audio duration, integrated loudness
# (EBU R128), frame rate; plus speech activity on real speech and on digital silence.
. "$(dirname "$0")/lib.sh"
VIDEOS="vtest.avi tree.avi Megamind.avi cityCC0.mpg box.mp4 cup.mp4"
WAVS="goforward.wav Front_Center.wav"
need_media $(for f in $VIDEOS $WAVS; do echo "real/$f"; done)

# Any other real clip that lands in real/ later is covered too.
for f in "$REEL_MEDIA"/real/*.avi "$REEL_MEDIA"/real/*.mpg "$REEL_MEDIA"/real/*.mp4; do
    b=$(basename "$f")
    case " $VIDEOS " in *" $b "*) ;; *) [ -f "$f" ] && VIDEOS="$VIDEOS $b" ;; esac
done

ING=$W/ing
FALLBACK=$W/fallback # the ingest agent's output, for clips `reel ingest` could not do
mkdir -p "$ING"
FAILED_INGEST=""

ffcount() { ffprobe -v error -select_streams v:0 -count_frames -show_entries stream=nb_read_frames -of default=nw=1:nk=1 "$1" 2>/dev/null; }
# decoded audio duration: samples ffmpeg decodes from the first audio stream / sample rate
ffaudio_seconds() {
    local sr bytes
    sr=$(ffprobe -v error -select_streams a:0 -show_entries stream=sample_rate -of default=nw=1:nk=1 "$1")
    bytes=$(ffmpeg -nostdin -v quiet -i "$1" -map 0:a:0 -ac 1 -f s16le - | wc -c)
    python3 -c "print($bytes / 2 / $sr)"
}
ffloudness() {
    ffmpeg -nostdin -nostats -hide_banner -i "$1" -map 0:a:0 -af ebur128 -f null - 2>&1 |
        grep -E '^ +I: +-?[0-9.]+ LUFS' | tail -1 | awk '{print $2}'
}
has_audio() { [ -n "$(ffprobe -v error -select_streams a -show_entries stream=index -of csv=p=0 "$1" 2>/dev/null)" ]; }
has_video() { [ -n "$(ffprobe -v error -select_streams v -show_entries stream=index -of csv=p=0 "$1" 2>/dev/null)" ]; }
close() { python3 -c "import sys; sys.exit(not abs(float('$1') - float('$2')) <= $3)" 2>/dev/null; }

for f in $VIDEOS $WAVS; do
    src=$REEL_MEDIA/real/$f
    name=${f%.*}
    rr probe "$src"
    if [ $RC -eq 0 ] && grep -qE '^  (video|audio): ' "$W/rr.out"; then ok "$f: reel probe"
    else not_ok "$f: reel probe" "$(rr_diag)"; fi
    if has_video "$src"; then
        rr --json probe "$src"
        got=$(json_get "$W/rr.out" 'd["video"]["fps"]' 2>&1)
        want=$(ffprobe -v error -select_streams v:0 -show_entries stream=r_frame_rate -of default=nw=1:nk=1 "$src" 2>/dev/null)
        if python3 -c "
from fractions import Fraction as F; import sys
a, b = F('$got'), F('$want')
sys.exit(not abs(a - b) / b < 1e-4)" 2>/dev/null; then ok "$f: probe fps $got agrees with ffprobe's $want"
        else not_ok "$f: probe fps agrees with ffprobe" "reel: $got ffprobe: $want"; fi
    fi
    rr ingest "$src" -o "$ING"
    if [ $RC -eq 0 ] && [ -s "$ING/$name.json" ] && [ -s "$ING/$name.frames.bin" ]; then ok "$f: reel ingest"
    else not_ok "$f: reel ingest" "$(rr_diag)"; FAILED_INGEST="$FAILED_INGEST $f"; fi
done

# Where `reel ingest` failed, measure the ingest agent's output instead (a project run), so the
# measurements below still compare reel with ffmpeg.
SILENT=$W/silence5s.wav
ffmpeg -nostdin -v error -f lavfi -i anullsrc=r=48000:cl=mono -t 5 -c:a pcm_s16le "$SILENT" || bail "ffmpeg anullsrc failed"
rr ingest "$SILENT" -o "$ING"
if [ $RC -eq 0 ] && [ -s "$ING/silence5s.json" ]; then ok "silence5s.wav (ffmpeg anullsrc): reel ingest"
else not_ok "silence5s.wav (ffmpeg anullsrc): reel ingest" "$(rr_diag)"; FAILED_INGEST="$FAILED_INGEST silence5s.wav"; fi
if [ -n "$FAILED_INGEST" ]; then
    mkdir -p "$FALLBACK/footage"
    for f in $FAILED_INGEST; do
        if [ "$f" = silence5s.wav ]; then cp "$SILENT" "$FALLBACK/footage/"; else cp "$REEL_MEDIA/real/$f" "$FALLBACK/footage/"; fi
    done
    "$REEL_BIN" -q init "$FALLBACK" --footage "$FALLBACK/footage" >/dev/null 2>&1 && small_delivery "$FALLBACK" &&
        "$REEL_BIN" -q run "$FALLBACK" >/dev/null 2>&1
    diag "reel ingest failed for:$FAILED_INGEST; their features below come from the ingest agent (reel run)"
fi
features() { # features JSON path for a file name
    local name=${1%.*}
    if [ -s "$ING/$name.json" ]; then echo "$ING/$name.json"; else echo "$FALLBACK/out/analysis/$name.json"; fi
}

for f in $VIDEOS $WAVS; do
    src=$REEL_MEDIA/real/$f
    js=$(features "$f")
    if [ ! -s "$js" ]; then not_ok "$f: features JSON exists" "no $js"; continue; fi
    if has_video "$src"; then
        got=$(json_get "$js" 'd["video"]["frames"]' 2>&1)
        want=$(ffcount "$src")
        if [ "$f" = box.mp4 ]; then
            # box.mp4 has real H.264 damage (ffmpeg logs "non-intra slice in an IDR NAL unit"):
            # whether a damaged frame is output or dropped is a decoder detail, so allow +-2.
            if [ "$got" -ge $((want - 2)) ] 2>/dev/null && [ "$got" -le $((want + 2)) ]; then
                ok "$f: frames $got = ffprobe -count_frames $want (+-2: real corruption)"
            else not_ok "$f: frames = ffprobe -count_frames +-2" "reel $got ffprobe $want"; fi
        else
            is "$f: frames = ffprobe -count_frames ($want)" "$got" "$want"
        fi
    fi
    if has_audio "$src"; then
        got=$(json_get "$js" 'd["audio"]["seconds"]' 2>&1)
        want=$(ffaudio_seconds "$src")
        if close "$got" "$want" 0.05; then ok "$f: audio seconds $got within 0.05 s of ffmpeg's decoded $want"
        else not_ok "$f: audio seconds within 0.05 s of ffmpeg's decoded duration" "reel $got ffmpeg $want"; fi
        got=$(json_get "$js" 'd["audio"]["integrated_lufs"]' 2>&1)
        want=$(ffloudness "$src")
        if close "$got" "$want" 0.5; then ok "$f: integrated loudness $got LUFS within 0.5 LU of ffmpeg ebur128 ($want)"
        else not_ok "$f: integrated loudness within 0.5 LU of ffmpeg ebur128" "reel $got ffmpeg $want"; fi
    else
        is "$f: no audio stream, features audio is null" "$(json_get "$js" 'd["audio"]' 2>&1)" None
    fi
done

js=$(features goforward.wav)
r=$(json_get "$js" 'd["audio"]["speech"]["ratio"]' 2>&1)
if python3 -c "import sys; sys.exit(not float('$r') > 0.3)" 2>/dev/null; then ok "goforward.wav (real speech): speech ratio $r > 0.3"
else not_ok "goforward.wav (real speech): speech ratio > 0.3" "got $r"; fi
js=$(features silence5s.wav)
got=$(json_get "$js" '"%s %s %.2f" % (d["audio"]["speech"]["ratio"], len(d["audio"]["speech"]["segments"]), d["audio"]["seconds"])' 2>&1)
is "5 s of digital silence: speech ratio 0, no segments, 5.00 s" "$got" "0.0 0 5.00"
got=$(json_get "$js" 'd["audio"]["integrated_lufs"]' 2>&1)
is "5 s of digital silence: integrated loudness is null (below the absolute gate)" "$got" None

plan_done
