#!/usr/bin/env bash
# gen-media.sh: synthetic test media (ffmpeg lavfi sources, espeak-ng speech), deliberately bad
# inputs, and (with --bench) the benchmark inputs made from real footage.
#
#   scripts/gen-media.sh            $REEL_MEDIA/synth/ and $REEL_MEDIA/bad/
#   scripts/gen-media.sh --bench    also $REEL_MEDIA/bench/bench1080.mp4 and bench1080_long.mp4
#   scripts/gen-media.sh --list     describe the files and exit
#
#   REEL_MEDIA  media cache root (default: <repo>/.cache/media)
#
# Deterministic (bitexact flags, fixed thread counts, no metadata dates) and idempotent: each set
# has a stamp file holding this script's version. Safe to run concurrently (flock).
set -euo pipefail

VERSION="gen-media 3"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MEDIA=${REEL_MEDIA:-$ROOT/.cache/media}
SYNTH=$MEDIA/synth
BAD=$MEDIA/bad
BENCH=$MEDIA/bench
SPACED="clip with spaces é 名.mp4"

WANT_BENCH=0
case "${1:-}" in
--bench) WANT_BENCH=1 ;;
--list)
    cat <<EOF
synth/ (made by scripts/gen-media.sh, all 48 kHz audio unless noted)
  1080p25.mp4         1920x1080 25 fps H.264 + AAC stereo 1 kHz sine, 10 s (testsrc2)
  540p25.mp4          960x540 25 fps H.264 + AAC 440 Hz sine, 10 s
  odd_385x289.mkv     385x289 25 fps FFV1 yuv420p, 2 s, no audio (odd size)
  odd_385x289.mp4     385x289 25 fps H.264 High 4:4:4 + AAC, 2 s (odd size)
  ntsc2997_df.mov     1280x720 29.97 fps H.264 + AAC, 10 s, tmcd timecode 01:00:00;00 (drop frame)
  cuts.mp4            640x360 25 fps, 9 s: testsrc2 | smptehdbars | mandelbrot, hard cuts at
                      frames 75 and 150 (cuts.txt); audio 440/660/880 Hz changing at the cuts
  video_only.mp4      640x360 25 fps H.264, 5 s, no audio
  audio_only.wav      48 kHz stereo s16 440 Hz sine (-18 dBFS peak), 10 s
  speech.wav          espeak-ng en-us speech resampled to 48 kHz mono s16; text in speech.txt
bad/
  zero-byte.mov       empty file
  text.mov            a text file with a video extension
  wrong-ext.mov       a valid WAV file named .mov
  truncated.mp4       first 40% of synth/540p25.mp4 (moov at the end: no index)
  truncated-faststart.mp4  first 40% of a faststart copy (index present, samples missing)
  corrupted.mp4       faststart copy with 64 KiB of 0xFF written at its middle
  subtitle-only.mp4   an mp4 whose only stream is mov_text subtitles
  $SPACED  a valid 320x240 clip with audio, awkward name
bench/ (--bench)
  bench1080.mp4       real footage (cityCC0.mpg, else vtest.avi) scaled to 1920x1080 25 fps,
                      H.264 veryfast crf 20 + AAC, 20 s (source looped)
  bench1080_long.mp4  the same, 60 s
EOF
    exit 0
    ;;
"") ;;
*)
    echo "usage: $0 [--bench|--list]" >&2
    exit 2
    ;;
esac

say() { echo "gen-media: $*" >&2; }
die() {
    echo "gen-media: error: $*" >&2
    exit 1
}
command -v ffmpeg >/dev/null || die "ffmpeg not found (run scripts/deps.sh)"

# Deterministic output: no encoder/version strings, no dates, fixed threads everywhere. libx264's
# frame threads are not bit-reproducible from run to run here; its sliced threads are.
FF=(ffmpeg -nostdin -hide_banner -loglevel error -y -filter_threads 1)
OUTF=(-fflags +bitexact -flags +bitexact -map_metadata -1 -threads 2 -sws_flags bicubic+accurate_rnd+bitexact)
X264=(-c:v libx264 -preset veryfast -x264-params sliced-threads=1)
H264=("${X264[@]}" -crf 23 -pix_fmt yuv420p -g 50)
AAC=(-c:a aac -b:a 128k)

mkdir -p "$MEDIA"
exec 9>"$MEDIA/.gen.lock"
if ! flock -n 9; then
    say "another gen-media is running; waiting for it"
    flock 9
fi

fresh() { [ -f "$1/.done" ] && [ "$(cat "$1/.done")" = "$VERSION" ]; }
check() { # check FILE... : every file exists and is non-empty
    local f
    for f in "$@"; do [ -s "$f" ] || die "failed to make $f"; done
}

gen_synth() {
    say "synthetic media -> $SYNTH"
    rm -rf "$SYNTH" "$BAD"
    mkdir -p "$SYNTH" "$BAD"
    local s=$SYNTH

    say "  1080p25.mp4"
    "${FF[@]}" -f lavfi -i testsrc2=size=1920x1080:rate=25:duration=10 \
        -f lavfi -i sine=frequency=1000:sample_rate=48000:duration=10 \
        "${H264[@]}" "${AAC[@]}" -ac 2 "${OUTF[@]}" "$s/1080p25.mp4"

    say "  540p25.mp4"
    "${FF[@]}" -f lavfi -i testsrc2=size=960x540:rate=25:duration=10 \
        -f lavfi -i sine=frequency=440:sample_rate=48000:duration=10 \
        "${H264[@]}" "${AAC[@]}" -ac 2 "${OUTF[@]}" "$s/540p25.mp4"

    say "  odd_385x289.mkv, odd_385x289.mp4"
    # testsrc (RGB) keeps odd sizes; testsrc2 rounds them to even
    "${FF[@]}" -f lavfi -i testsrc=size=385x289:rate=25:duration=2 \
        -c:v ffv1 -pix_fmt yuv420p "${OUTF[@]}" "$s/odd_385x289.mkv"
    "${FF[@]}" -f lavfi -i testsrc=size=385x289:rate=25:duration=2 \
        -f lavfi -i sine=frequency=440:sample_rate=48000:duration=2 \
        "${X264[@]}" -crf 23 -pix_fmt yuv444p "${AAC[@]}" "${OUTF[@]}" \
        "$s/odd_385x289.mp4"

    say "  ntsc2997_df.mov (timecode 01:00:00;00)"
    "${FF[@]}" -f lavfi -i testsrc2=size=1280x720:rate=30000/1001:duration=10 \
        -f lavfi -i sine=frequency=1000:sample_rate=48000:duration=10 \
        "${H264[@]}" "${AAC[@]}" -ac 2 "${OUTF[@]}" -timecode '01:00:00;00' "$s/ntsc2997_df.mov"

    say "  cuts.mp4 (hard cuts at frames 75 and 150)"
    "${FF[@]}" -f lavfi -i testsrc2=size=640x360:rate=25:duration=3 \
        -f lavfi -i smptehdbars=size=640x360:rate=25:duration=3 \
        -f lavfi -i mandelbrot=size=640x360:rate=25,trim=duration=3 \
        -f lavfi -i sine=frequency=440:sample_rate=48000:duration=3 \
        -f lavfi -i sine=frequency=660:sample_rate=48000:duration=3 \
        -f lavfi -i sine=frequency=880:sample_rate=48000:duration=3 \
        -filter_complex '[0:v]format=yuv420p,setsar=1[v0];[1:v]format=yuv420p,setsar=1[v1];[2:v]format=yuv420p,setsar=1[v2];[v0][3:a][v1][4:a][v2][5:a]concat=n=3:v=1:a=1[v][a]' \
        -map '[v]' -map '[a]' "${H264[@]}" "${AAC[@]}" -ac 2 "${OUTF[@]}" "$s/cuts.mp4"
    printf '# hard cuts (first frame of each new shot) in cuts.mp4, 25 fps\n75\n150\n' >"$s/cuts.txt"

    say "  video_only.mp4"
    "${FF[@]}" -f lavfi -i testsrc2=size=640x360:rate=25:duration=5 \
        "${H264[@]}" -an "${OUTF[@]}" "$s/video_only.mp4"

    say "  audio_only.wav"
    "${FF[@]}" -f lavfi -i sine=frequency=440:sample_rate=48000:duration=10 \
        -ac 2 -c:a pcm_s16le "${OUTF[@]}" "$s/audio_only.wav"

    say "  speech.wav (espeak-ng)"
    if command -v espeak-ng >/dev/null; then
        cat >"$s/speech.txt" <<'EOF'
The quick brown fox jumps over the lazy dog. She sells sea shells by the sea shore.
We will meet at the harbour at dawn, and nobody must know.
EOF
        espeak-ng -v en-us -s 150 -w "$s/speech.22k.wav" -f "$s/speech.txt"
        "${FF[@]}" -i "$s/speech.22k.wav" -ar 48000 -ac 1 -c:a pcm_s16le "${OUTF[@]}" \
            "$s/speech.wav"
        rm -f "$s/speech.22k.wav"
    else
        die "espeak-ng not found (run scripts/deps.sh)"
    fi

    check "$s/1080p25.mp4" "$s/540p25.mp4" "$s/odd_385x289.mkv" "$s/odd_385x289.mp4" \
        "$s/ntsc2997_df.mov" "$s/cuts.mp4" "$s/video_only.mp4" "$s/audio_only.wav" "$s/speech.wav"

    # --- bad inputs ---
    local b=$BAD
    say "bad inputs -> $BAD"
    : >"$b/zero-byte.mov"
    printf 'This is not a movie.\nIt is a text file with a .mov extension.\n' >"$b/text.mov"
    cp "$s/audio_only.wav" "$b/wrong-ext.mov"

    local size
    size=$(stat -c %s "$s/540p25.mp4")
    head -c $((size * 40 / 100)) "$s/540p25.mp4" >"$b/truncated.mp4"

    "${FF[@]}" -i "$s/540p25.mp4" -c copy -movflags +faststart "${OUTF[@]}" "$b/.faststart.mp4"
    size=$(stat -c %s "$b/.faststart.mp4")
    head -c $((size * 40 / 100)) "$b/.faststart.mp4" >"$b/truncated-faststart.mp4"
    cp "$b/.faststart.mp4" "$b/corrupted.mp4"
    head -c 65536 /dev/zero | tr '\0' '\377' |
        dd of="$b/corrupted.mp4" bs=1 seek=$((size / 2)) conv=notrunc status=none
    rm -f "$b/.faststart.mp4"
    [ "$(stat -c %s "$b/corrupted.mp4")" = "$size" ] || die "corrupted.mp4 has the wrong size"

    printf '1\n00:00:00,000 --> 00:00:02,000\nNo picture, no sound.\n\n2\n00:00:02,500 --> 00:00:04,000\nOnly words.\n' \
        >"$b/.subs.srt"
    "${FF[@]}" -i "$b/.subs.srt" -c:s mov_text "${OUTF[@]}" "$b/subtitle-only.mp4"
    rm -f "$b/.subs.srt"

    "${FF[@]}" -f lavfi -i testsrc2=size=320x240:rate=25:duration=2 \
        -f lavfi -i sine=frequency=440:sample_rate=48000:duration=2 \
        "${H264[@]}" "${AAC[@]}" "${OUTF[@]}" "$b/$SPACED"

    check "$b/text.mov" "$b/wrong-ext.mov" "$b/truncated.mp4" "$b/truncated-faststart.mp4" \
        "$b/corrupted.mp4" "$b/subtitle-only.mp4" "$b/$SPACED"
    [ -f "$b/zero-byte.mov" ] && [ ! -s "$b/zero-byte.mov" ] || die "zero-byte.mov"

    echo "$VERSION" >"$BAD/.done"
    echo "$VERSION" >"$SYNTH/.done"
}

gen_bench() {
    local src="" real=$MEDIA/real
    if [ -s "$real/cityCC0.mpg" ]; then
        src=$real/cityCC0.mpg
    elif [ -s "$real/vtest.avi" ]; then
        src=$real/vtest.avi
    else
        die "no real footage for the bench inputs: run scripts/fetch-media.sh first"
    fi
    say "bench inputs from $(basename "$src") -> $BENCH"
    rm -rf "$BENCH"
    mkdir -p "$BENCH"
    local audio=(-f lavfi -i sine=frequency=440:sample_rate=48000)
    local amap=1:a
    if [ -n "$(ffprobe -v error -select_streams a -show_entries stream=index -of csv=p=0 "$src" 2>/dev/null)" ]; then
        audio=()
        amap=0:a:0
    fi
    local vf='scale=1920:1080:force_original_aspect_ratio=decrease,pad=1920:1080:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=25,format=yuv420p'
    local name secs
    for name in bench1080:20 bench1080_long:60; do
        secs=${name#*:}
        name=${name%:*}
        say "  $name.mp4 (${secs} s)"
        "${FF[@]}" -stream_loop -1 -i "$src" "${audio[@]}" -map 0:v:0 -map "$amap" -t "$secs" \
            -vf "$vf" "${X264[@]}" -crf 20 -g 50 "${AAC[@]}" -ac 2 -ar 48000 \
            "${OUTF[@]}" "$BENCH/$name.mp4"
        check "$BENCH/$name.mp4"
    done
    echo "source: $(basename "$src"); made by scripts/gen-media.sh ($VERSION)" >"$BENCH/SOURCE.txt"
    echo "$VERSION" >"$BENCH/.done"
}

if fresh "$SYNTH" && fresh "$BAD"; then
    say "synth and bad media up to date ($MEDIA)"
else
    gen_synth
fi
if [ "$WANT_BENCH" = 1 ]; then
    if fresh "$BENCH"; then
        say "bench media up to date ($BENCH)"
    else
        gen_bench
    fi
fi
say "done"
