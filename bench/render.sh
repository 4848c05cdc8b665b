#!/usr/bin/env bash
# render.sh: `reel render` of a graded 1080p cut against ffmpeg encoding the same frames with the
# same encoder settings from the same sources, side by side in one run.
#
#   sources  a.mp4: 30 s of real footage (vtest.avi's 750 first frames played at 25 fps, scaled
#            to 1920x1080) with box.mp4's sound looped; b.mp4: cityCC0.mpg (a real city clip
#            with a real cut) scaled to 1920x1080 at 25 fps with the same sound; both libx264
#            veryfast crf 20, AAC 48 kHz stereo. Made once per run (not timed).
#   reel     reel render a.mp4 b.mp4 -o R.mp4 --cube look.cube --size 1920x1080 --fps 25
#            --codec h264 --crf 18 --preset P --threads 4 --audio-codec aac
#            (the cut graded by a 33-point .cube, the sound measured and leveled to EBU R128)
#   ffmpeg   ffmpeg -i a.mp4 -i b.mp4 -filter_complex concat (video and audio) -c:v libx264
#            -crf 18 -preset P -threads 4 -c:a aac -b:a 192k F.mp4   (no grade: the same frames
#            encoded; "ff+lut3d" adds -vf lut3d with the same .cube, for information)
#   Best of RUNS (default 2) each, interleaved. P is PRESET (default medium). The CPU time of each
#   run (user + sys) is printed too, for information.
#   TARGET render_speed: reel's time <= 1.2x ffmpeg's.
#
#   REEL_BIN (default build-bench/reel), REEL_MEDIA, RUNS, PRESET
# Exits 0 whether the target passes or fails; 2 when it cannot run.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MEDIA=${REEL_MEDIA:-$ROOT/.cache/media}
R=$MEDIA/real
REEL=${REEL_BIN:-${BENCH_BUILD:-$ROOT/build-bench}/reel}
RUNS=${RUNS:-2}
PRESET=${PRESET:-medium}
die() { echo "render.sh: $*" >&2; exit 2; }
command -v ffmpeg >/dev/null || die "ffmpeg is missing"
[ -x "$REEL" ] || die "no reel binary at $REEL (ninja -C build-bench)"
for f in vtest.avi cityCC0.mpg box.mp4; do [ -f "$R/$f" ] || die "missing $R/$f (scripts/fetch-media.sh)"; done
T=$(mktemp -d "${TMPDIR:-/tmp}/reel-bench-render.XXXXXX") || die "mktemp"
trap 'rm -rf "$T"' EXIT

echo "render.sh: reel=$REEL runs=$RUNS preset=$PRESET cores=$(nproc) $(ffmpeg -version | head -1 | cut -d' ' -f1-3)"
ffmpeg -nostdin -v fatal -y -r 25 -i "$R/vtest.avi" -stream_loop -1 -i "$R/box.mp4" -map 0:v -map 1:a -t 30 \
    -vf scale=1920:1080:flags=bicubic,format=yuv420p -c:v libx264 -preset veryfast -crf 20 -c:a aac -ar 48000 -ac 2 \
    "$T/a.mp4" || die "making a.mp4"
ffmpeg -nostdin -v fatal -y -i "$R/cityCC0.mpg" -stream_loop -1 -i "$R/box.mp4" -map 0:v -map 1:a -shortest \
    -vf scale=1920:1080:flags=bicubic,fps=25,format=yuv420p -c:v libx264 -preset veryfast -crf 20 -c:a aac -ar 48000 -ac 2 \
    "$T/b.mp4" || die "making b.mp4"
python3 - "$T/look.cube" <<'EOF' || die "making look.cube"
import sys
n = 33
with open(sys.argv[1], "w") as f:
    f.write("TITLE \"warm contrast\"\nLUT_3D_SIZE %d\n" % n)
    for b in range(n):
        for g in range(n):
            for r in range(n):
                c = [r / (n - 1), g / (n - 1), b / (n - 1)]
                c = [min(1, max(0, 0.5 + (v - 0.5) * 1.15)) for v in c]
                f.write("%.6f %.6f %.6f\n" % (min(1, c[0] * 1.06), c[1], c[2] * 0.92))
EOF
frames=$(($(ffprobe -v error -count_frames -select_streams v -show_entries stream=nb_read_frames -of csv=p=0 "$T/a.mp4") + \
    $(ffprobe -v error -count_frames -select_streams v -show_entries stream=nb_read_frames -of csv=p=0 "$T/b.mp4")))

timeit() { # TAG CMD...: wall seconds, or "fail"; the run's CPU seconds (user + sys) appended to $T/cpu.TAG
    local t0 t1 tag=$1 u s
    shift
    t0=$(date +%s.%N)
    { TIMEFORMAT='%U %S'; time "$@" >/dev/null 2>"$T/err"; } 2>"$T/cpu1" || { echo fail; return; }
    t1=$(date +%s.%N)
    read -r u s <"$T/cpu1"
    python3 -c "print('%.2f' % ($u + $s))" >>"$T/cpu.$tag"
    python3 -c "print('%.2f' % ($t1 - $t0))"
}
reel_run() { "$REEL" -q render "$T/a.mp4" "$T/b.mp4" -o "$T/r.mp4" --cube "$T/look.cube" --size 1920x1080 --fps 25 \
    --codec h264 --crf 18 --preset "$PRESET" --threads 4 --audio-codec aac; }
ff_run() { ffmpeg -nostdin -v error -y -i "$T/a.mp4" -i "$T/b.mp4" -filter_complex "[0:v][0:a][1:v][1:a]concat=n=2:v=1:a=1[v][a]" \
    -map "[v]" -map "[a]" -c:v libx264 -crf 18 -preset "$PRESET" -threads 4 -c:a aac -b:a 192k "$T/f.mp4"; }
fflut_run() { ffmpeg -nostdin -v error -y -i "$T/a.mp4" -i "$T/b.mp4" -filter_complex \
    "[0:v][0:a][1:v][1:a]concat=n=2:v=1:a=1[v0][a];[v0]lut3d=file=$T/look.cube[v]" -map "[v]" -map "[a]" \
    -c:v libx264 -crf 18 -preset "$PRESET" -threads 4 -c:a aac -b:a 192k "$T/fl.mp4"; }

best() { sort -g | head -1; }
rs=() fs=()
for i in $(seq 1 "$RUNS"); do
    rs+=("$(timeit reel reel_run)")
    fs+=("$(timeit ff ff_run)")
done
lt=$(timeit fflut fflut_run)
rb=$(printf '%s\n' "${rs[@]}" | best)
fb=$(printf '%s\n' "${fs[@]}" | best)
[ "$rb" = fail ] && { cat "$T/err" >&2; die "reel render failed"; }
[ "$fb" = fail ] && { cat "$T/err" >&2; die "ffmpeg failed"; }
rf=$(ffprobe -v error -count_frames -select_streams v -show_entries stream=nb_read_frames -of csv=p=0 "$T/r.mp4")
ff=$(ffprobe -v error -count_frames -select_streams v -show_entries stream=nb_read_frames -of csv=p=0 "$T/f.mp4")
ratio=$(python3 -c "print('%.2f' % ($rb / $fb))")
echo
printf '%-28s %8s %8s %8s\n' "1080p25 graded cut" "frames" "wall s" "fps"
printf '%-28s %8s %8s %8.1f\n' "reel render (graded, leveled)" "$rf" "$rb" "$(python3 -c "print($rf / $rb)")"
printf '%-28s %8s %8s %8.1f\n' "ffmpeg concat + libx264" "$ff" "$fb" "$(python3 -c "print($ff / $fb)")"
printf '%-28s %8s %8s\n' "ffmpeg + lut3d (info)" "$ff" "$lt"
echo "runs: reel ${rs[*]}; ffmpeg ${fs[*]}; source frames $frames"
rc=$(best <"$T/cpu.reel") fc=$(best <"$T/cpu.ff")
echo "CPU s (user + sys), best of each: reel $rc ($(tr '\n' ' ' <"$T/cpu.reel")), ffmpeg $fc ($(tr '\n' ' ' <"$T/cpu.ff")): ratio $(python3 -c "print('%.2f' % ($rc / $fc))") (information: what a shared machine's load does not stretch)"
pass=$(python3 -c "print('PASS' if $rb <= 1.2 * $fb else 'FAIL')")
echo
echo "TARGET render_speed: reel render of a graded 1080p cut <= 1.2x ffmpeg encoding the same frames (preset $PRESET, 4 threads): ratio $ratio $pass"
