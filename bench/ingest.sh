#!/usr/bin/env bash
# ingest.sh: the ingest engine against its physical floor, measured side by side in one run.
#
#   (1) speed: `ffmpeg -v error -threads 0 -i bench1080.mp4 -f null -` (decode of video+audio,
#       the floor) against `reel ingest bench1080.mp4 -o TMP` (one decode pass + every feature),
#       interleaved, RUNS runs each, median wall times; ratio reel/ffmpeg, target <= 1.15.
#   (2) memory: peak RSS of `reel ingest` on the 20 s clip and on the 60 s clip; ratio long/short,
#       target <= 1.10 (memory bounded by frames in flight, never by clip length).
#
#   REEL_BIN   the reel binary (default: build-bench/reel, an optimised build)
#   RUNS       repeats per measurement (default 3)
#   REEL_MEDIA media cache root (default: <repo>/.cache/media)
#
# Exits 0 whether targets pass or fail; 2 when it cannot run (tools or media missing).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MEDIA=${REEL_MEDIA:-$ROOT/.cache/media}
BENCH=$MEDIA/bench
SHORT=$BENCH/bench1080.mp4
LONG=$BENCH/bench1080_long.mp4
REEL=${REEL_BIN:-$ROOT/build-bench/reel}
RUNS=${RUNS:-3}
TIME=/usr/bin/time

die() { echo "ingest.sh: $*" >&2; exit 2; }

command -v ffmpeg >/dev/null || die "ffmpeg is missing (apt-get install -y ffmpeg)"
[ -x "$TIME" ] || die "$TIME is missing (apt-get install -y time)"
[ -x "$REEL" ] || die "reel binary $REEL not found: build it (meson setup build-bench --buildtype=release && ninja -C build-bench) or set REEL_BIN"

if [ ! -f "$SHORT" ] || [ ! -f "$LONG" ]; then
    echo "ingest.sh: bench media missing, running scripts/gen-media.sh --bench" >&2
    bash "$ROOT/scripts/gen-media.sh" --bench >&2 || die "scripts/gen-media.sh --bench failed"
fi
[ -f "$SHORT" ] || die "$SHORT missing after scripts/gen-media.sh --bench"
[ -f "$LONG" ] || die "$LONG missing after scripts/gen-media.sh --bench"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/reel-bench-ingest.XXXXXX") || die "cannot make a temp dir"
trap 'rm -rf "$TMP"' EXIT

# measure NAME CMD...: run under /usr/bin/time, append "wall user sys maxrss_kb" to $TMP/NAME.
measure() {
    local name=$1; shift
    local tf=$TMP/time.out
    if ! "$TIME" -o "$tf" -f '%e %U %S %M' "$@" >"$TMP/cmd.out" 2>"$TMP/cmd.err"; then
        echo "ingest.sh: command failed: $*" >&2
        cat "$TMP/cmd.err" >&2
        exit 2
    fi
    tail -n 1 "$tf" >>"$TMP/$name"
}

# median of column N of file F
median() {
    awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{a[NR]=$1} END {
        if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# ratio A B (A/B, 2 decimals)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }
# verdict VALUE TARGET: PASS when VALUE <= TARGET
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v != "inf" && v + 0 <= t + 0) ? "PASS" : "FAIL" }'; }

echo "ingest.sh: reel=$REEL runs=$RUNS cores=$(nproc)"
echo "  short: $SHORT ($(du -h "$SHORT" | cut -f1))"
echo "  long:  $LONG ($(du -h "$LONG" | cut -f1))"
echo

# ---- (1) speed: ffmpeg decode floor vs reel ingest, interleaved ----
OUT=$TMP/out
mkdir -p "$OUT"
# one untimed warm-up of each (page cache, dynamic loader)
ffmpeg -nostdin -v error -threads 0 -i "$SHORT" -f null - >/dev/null 2>&1
"$REEL" --quiet ingest "$SHORT" -o "$OUT" >"$TMP/warm.err" 2>&1 ||
    die "reel ingest $SHORT failed: $(tail -3 "$TMP/warm.err")"
for ((i = 1; i <= RUNS; i++)); do
    measure ffmpeg ffmpeg -nostdin -v error -threads 0 -i "$SHORT" -f null -
    rm -rf "$OUT" && mkdir -p "$OUT"
    measure reel "$REEL" --quiet ingest "$SHORT" -o "$OUT"
done
for f in json frames.bin jpg; do
    [ -s "$OUT/bench1080.$f" ] || die "reel ingest did not write $OUT/bench1080.$f"
done

printf '%-22s %3s %8s %8s %8s %8s %10s\n' "speed (20 s 1080p25)" "#" "wall_s" "user_s" "sys_s" "cpu_s" "maxrss_KiB"
for name in ffmpeg reel; do
    n=0
    while read -r w u s m; do
        n=$((n + 1))
        printf '%-22s %3d %8.2f %8.2f %8.2f %8.2f %10d\n' "$name" "$n" "$w" "$u" "$s" \
            "$(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}')" "$m"
    done <"$TMP/$name"
done
FF_W=$(median "$TMP/ffmpeg" 1); FF_U=$(median "$TMP/ffmpeg" 2); FF_S=$(median "$TMP/ffmpeg" 3)
RE_W=$(median "$TMP/reel" 1); RE_U=$(median "$TMP/reel" 2); RE_S=$(median "$TMP/reel" 3)
# median of per-run user+sys
cpu_median() { awk '{print $2 + $3, $0}' "$1" >"$1.cpu" && median "$1.cpu" 1; }
FF_CPU=$(cpu_median "$TMP/ffmpeg"); RE_CPU=$(cpu_median "$TMP/reel")
echo
echo "median ffmpeg decode : wall ${FF_W} s, cpu ${FF_CPU} s (median user ${FF_U}, sys ${FF_S})"
echo "median reel ingest   : wall ${RE_W} s, cpu ${RE_CPU} s (median user ${RE_U}, sys ${RE_S})"
SPEED=$(ratio "$RE_W" "$FF_W")
CPU_RATIO=$(ratio "$RE_CPU" "$FF_CPU")
echo "cpu ratio reel/ffmpeg: $CPU_RATIO (informative)"
echo

# ---- (2) peak RSS independence of clip length ----
rm -f "$TMP/rss_short" "$TMP/rss_long"
for ((i = 1; i <= RUNS; i++)); do
    rm -rf "$OUT" && mkdir -p "$OUT"
    measure rss_short "$REEL" --quiet ingest "$SHORT" -o "$OUT"
    rm -rf "$OUT" && mkdir -p "$OUT"
    measure rss_long "$REEL" --quiet ingest "$LONG" -o "$OUT"
done
printf '%-22s %3s %8s %8s %10s\n' "memory" "#" "wall_s" "cpu_s" "maxrss_KiB"
for name in rss_short rss_long; do
    n=0
    while read -r w u s m; do
        n=$((n + 1))
        printf '%-22s %3d %8.2f %8.2f %10d\n' "$name" "$n" "$w" "$(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}')" "$m"
    done <"$TMP/$name"
done
RSS_S=$(median "$TMP/rss_short" 4); RSS_L=$(median "$TMP/rss_long" 4)
LW=$(median "$TMP/rss_long" 1)
echo
echo "median peak RSS: 20 s clip ${RSS_S} KiB, 60 s clip ${RSS_L} KiB (60 s wall ${LW} s)"
MEM=$(ratio "$RSS_L" "$RSS_S")
echo

echo "TARGET ingest_vs_decode: ratio $SPEED (target <= 1.15) $(verdict "$SPEED" 1.15)"
echo "TARGET ingest_rss_long_vs_short: ratio $MEM (target <= 1.10) $(verdict "$MEM" 1.10)"
exit 0
