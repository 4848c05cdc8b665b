#!/usr/bin/env bash
# look.sh: look transfer (a still's colours moved onto another picture), reel against the classic
# Reinhard transfer (Reinhard et al. 2001: mean and deviation matched in l-alpha-beta), both
# computed by bench_look on the same pictures in the same run; then reel's fit time on a 4K still.
#
# Pictures (real, from $REEL_MEDIA/real, scripts/fetch-media.sh), made with ffmpeg as 8-bit RGB
# PNGs: frames of vtest.avi at 3 s, cityCC0.mpg at 3 s (night city), box.mp4 at 2 s, tree.avi at
# 2 s; the two labelme photos as they are; flower.png scaled to 1134 wide; hdr_room.png (16-bit)
# converted to rgb24. Eight source->reference pairs, each picture a source and a reference.
# Quality (bench_look): swd, the sliced Wasserstein distance in CIELAB between the result and the
# reference (lower: closer to the reference's colours); gradcorr, the correlation of the result's
# luma gradient magnitude with the source's (1: structure kept, no banding or noise added).
# Fit time: a 3840x2160 PNG reference (flower.png, lanczos) onto the vtest frame, one core, best
# of 3; fit_s is reference load + samples + fit + a 33-point bake, load_s the load alone.
#   TARGET look_quality: reel's swd <= Reinhard's on every pair
#   TARGET look_structure: reel's gradcorr >= 0.95 on every pair
#   TARGET look_fit_4k: fitting a look to a 4K still reference takes < 1 s on one core
#
#   BENCH_BUILD  build dir holding bench/bench_look (default: build-bench)   REEL_MEDIA  media root
# Exits 0 whether targets pass or fail; 2 when it cannot run.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MEDIA=${REEL_MEDIA:-$ROOT/.cache/media}
BIN=${BENCH_BUILD:-$ROOT/build-bench}/bench/bench_look
die() { echo "look.sh: $*" >&2; exit 2; }
command -v ffmpeg >/dev/null || die "ffmpeg is missing"
[ -x "$BIN" ] || die "$BIN not found (ninja -C build-bench)"
R=$MEDIA/real
for f in vtest.avi cityCC0.mpg box.mp4 tree.avi flower.png hdr_room.png labelme-2011_000003.jpg \
    labelme-2011_000006.jpg; do
    [ -f "$R/$f" ] || die "$R/$f missing: run scripts/fetch-media.sh"
done
PIN=(taskset -c 0)
command -v taskset >/dev/null || PIN=()
TMP=$(mktemp -d "${TMPDIR:-/tmp}/reel-bench-look.XXXXXX") || die "no temp dir"
trap 'rm -rf "$TMP"' EXIT
T0=$(date +%s)
still() { # NAME SRC SEEK|- [FILTER] -> $TMP/NAME.png, 8-bit RGB
    local ss=()
    [ "$3" != - ] && ss=(-ss "$3")
    # -v fatal: box.mp4 opens with a damaged slice that ffmpeg reports at every level above it
    ffmpeg -nostdin -v fatal -y "${ss[@]}" -i "$2" -frames:v 1 -vf "${4:-null}" -pix_fmt rgb24 "$TMP/$1.png" ||
        die "cannot make $1 from $2"
}
still vtest "$R/vtest.avi" 3
still city "$R/cityCC0.mpg" 3
still box "$R/box.mp4" 2
still tree "$R/tree.avi" 2
still lm3 "$R/labelme-2011_000003.jpg" -
still lm6 "$R/labelme-2011_000006.jpg" -
still flower "$R/flower.png" - scale=1134:-2:flags=lanczos
still room "$R/hdr_room.png" -
PAIRS="vtest:flower city:vtest room:city lm3:lm6 lm6:room box:flower flower:lm3 tree:box"

printf "%-14s %9s %9s %9s %9s %9s\n" pair source reel reinhard reel reinhard
printf "%-14s %9s %9s %9s %9s %9s\n" "" swd swd swd gradcorr gradcorr
rows=""
for p in $PAIRS; do
    s=${p%%:*} r=${p##*:}
    out=$("$BIN" "$TMP/$s.png" "$TMP/$r.png") || die "bench_look failed on $s -> $r"
    row=$(awk -v pair="$s->$r" '
        $1 == "source" { s = $3 }
        $1 == "reel" { rs = $3; rg = $5 }
        $1 == "reinhard" { hs = $3; hg = $5 }
        END { if (rs == "" || hs == "") exit 1; print pair, s, rs, hs, rg, hg }' <<<"$out") ||
        die "cannot read bench_look's output on $s -> $r"
    rows+="$row"$'\n'
    awk '{ printf "%-14s %9.3f %9.3f %9.3f %9.4f %9.4f\n", $1, $2, $3, $4, $5, $6 }' <<<"$row"
done
awk 'NF == 6 {
        n++
        if ($3 <= $4) better++
        if (n == 1 || $5 < mg) { mg = $5; mp = $1 }
        sr += $3; sh += $4
    }
    END {
        printf "mean swd: reel %.3f, reinhard %.3f\n", sr / n, sh / n
        printf "TARGET look_quality: reel swd <= Reinhard swd on every pair: %d of %d %s\n", better, n, ((better == n) ? "PASS" : "FAIL")
        printf "TARGET look_structure: reel gradcorr >= 0.95 on every pair: min %.4f (%s) %s\n", mg, mp, ((mg >= 0.95) ? "PASS" : "FAIL")
    }' <<<"$rows"

ffmpeg -nostdin -v error -y -i "$R/flower.png" -vf scale=3840:2160:flags=lanczos -pix_fmt rgb24 "$TMP/ref4k.png" ||
    die "cannot make the 4K reference"
best="" bload=""
for _ in 1 2 3; do
    out=$("${PIN[@]}" "$BIN" "$TMP/vtest.png" "$TMP/ref4k.png") || die "bench_look failed on the 4K reference"
    read -r f l < <(awk '$1 == "fit_s" { print $2, $4 }' <<<"$out")
    [ -n "${f:-}" ] || die "no fit_s from bench_look"
    if [ -z "$best" ] || awk -v a="$f" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$f bload=$l; fi
done
awk -v f="$best" -v l="$bload" 'BEGIN {
    printf "4K reference (3840x2160 PNG) onto 768x576, one core, best of 3: fit %.3f s, of which loading the PNG %.3f s (%.0f%%), the rest %.3f s\n", f, l, 100 * l / f, f - l
    printf "TARGET look_fit_4k: look fit to a 4K still < 1 s on one core: %.3f s %s\n", f, ((f < 1) ? "PASS" : "FAIL")
}'
echo "look.sh: $(($(date +%s) - T0)) s"
