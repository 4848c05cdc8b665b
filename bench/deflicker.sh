#!/usr/bin/env bash
# deflicker.sh: exposure (and white-balance) flicker removal, reel grade's deflicker against
# ffmpeg's deflicker filter (mode=am, size=5 and size=15), side by side on the same inputs in one
# run, scored by per-frame mean luma (signalstats YAVG) against the clip without the flicker.
#
# Footage (real, $REEL_MEDIA/real, scripts/fetch-media.sh): the first 300 frames of vtest.avi
# (768x576, 10 fps, static camera) and the whole of cityCC0.mpg (720x405, 25 fps, 190 frames,
# camera motion and one real cut), native sizes (city cropped to 720x404 for 4:2:0), no audio.
# Inputs, each encoded with libx264 -crf 10 -preset veryfast and tagged BT.709 limited range (reel
# renders BT.709: an untagged SD input, read as BT.601, would come back re-matrixed and its YAVG
# moved by the colour conversion, not by the deflicker):
#   clean    the clip as it is: the reference, and an input on which nothing should change
#   flicker  luma times 1 + 0.06 sin(2 pi f1 t) + 0.04 sin(2 pi f2 t), f1, f2 = 3.1, 7.3 Hz at
#            25 fps, 1.3, 2.9 Hz at 10 fps (under Nyquist); the same as
#            geq=lum='clip(lum(X,Y)*(1+...),0,255)', done as a per-frame lutyuv table sent by
#            sendcmd (5x faster than geq, within 0.05 of it in YAVG)
#   wb       flicker plus white-balance flicker: U + 4 sin(2 pi f3 t), V - 4 sin(2 pi f3 t) code
#            values (f3 = 5.3 Hz at 25 fps, 1.9 Hz at 10 fps)
#   step     flicker plus a deliberate permanent +35 % luma gain from the middle frame on, which
#            must stay; scored against "stepref", the step without the flicker
# Contestants, each writing H.264 (libx264, CRF 16): reel: `reel -q grade IN --no-match -o OUT.mp4`
# (deflicker is on by default, --no-match turns shot matching off, the default look is neutral);
# ffmpeg: `ffmpeg -i IN -vf deflicker=size=S:mode=am -c:v libx264 -crf 16 OUT.mp4`, S = 5 and 15.
# Scores per case, on YAVG of every frame: flicker = variance of frame-to-frame differences (the
# transitions where the truth itself jumps by > 4 code values, the city cut and the step, left
# out of every file alike); rms = RMS of YAVG - truth's YAVG (truth: clean, or stepref for step);
# for step, mean YAVG over the last third / over the first third. wb also prints the chroma
# flicker (variance of frame-to-frame UAVG plus VAVG differences), informative.
#   TARGET deflicker_flicker: reel's flicker <= 2x the truth's on every flicker case (flicker, wb,
#          step; both clips)
#   TARGET deflicker_vs_ffmpeg: reel's rms to the truth <= the better ffmpeg setting's, every
#          flicker case
#   TARGET deflicker_clean: on the clean inputs reel's rms to the clean encode < 0.3 code values
#   TARGET deflicker_step: reel's last/first-third ratio within 5 % of stepref's, both clips
#   informative: wall time of reel grade and of the ffmpeg size=5 command per case, one at a time
#   (not pinned: both encode with libx264, reel with 1 x264 thread, ffmpeg with its default
#   threads). The untimed work (making the inputs, size=15, signalstats) runs $(nproc) jobs at a
#   time.
#
#   REEL_BIN  the reel binary (default: $BENCH_BUILD/reel, BENCH_BUILD default build-bench)
#   REEL_MEDIA  media root
# Exits 0 whether targets pass or fail; 2 when it cannot run.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MEDIA=${REEL_MEDIA:-$ROOT/.cache/media}
REEL=${REEL_BIN:-${BENCH_BUILD:-$ROOT/build-bench}/reel}
die() { echo "deflicker.sh: $*" >&2; exit 2; }
command -v ffmpeg >/dev/null || die "ffmpeg is missing"
[ -x "$REEL" ] || die "reel binary $REEL not found (ninja -C build-bench)"
R=$MEDIA/real
[ -f "$R/vtest.avi" ] && [ -f "$R/cityCC0.mpg" ] || die "media missing: run scripts/fetch-media.sh"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/reel-bench-deflicker.XXXXXX") || die "no temp dir"
trap 'rm -rf "$TMP"' EXIT
T0=$(date +%s)
now() { date +%s.%N; }

cmds() { # FPS N F1 F2 F3 STEP(0|1) FLICKER(0|1) -> sendcmd script: one lutyuv table per frame
    awk -v fps="$1" -v n="$2" -v f1="$3" -v f2="$4" -v f3="$5" -v step="$6" -v fl="$7" 'BEGIN {
        pi = 3.141592653589793; mid = int(n / 2)
        for (i = 0; i < n; i++) {
            t = i / fps
            g = fl ? 1 + 0.06 * sin(2 * pi * f1 * t) + 0.04 * sin(2 * pi * f2 * t) : 1
            if (step && i >= mid) g *= 1.35
            c = f3 > 0 ? 4 * sin(2 * pi * f3 * t) : 0
            # each command from half a frame before its frame, so timestamp rounding cannot slip it
            printf "%.6f lutyuv y clip(val*%.6f\\,0\\,255), lutyuv u clip(val+%.4f\\,0\\,255), lutyuv v clip(val-%.4f\\,0\\,255);\n",
                (i > 0 ? (i - 0.5) / fps : 0), g, c, c
        }
    }'
}
stats() { # signalstats metadata on stdin -> one line per frame: YAVG UAVG VAVG
    awk -F= '/^frame:/ { if (n++) print y, u, v }
             $1 ~ /YAVG$/ { y = $2 } $1 ~ /UAVG$/ { u = $2 } $1 ~ /VAVG$/ { v = $2 }
             END { if (n) print y, u, v }'
}
# truth input reel ff5 ff15 [clean-without-step] -> one result line:
#   n excluded | flicker x5 | rms x4 (input reel ff5 ff15) | chroma flicker x5 | ratio x5 (+ clean)
#   | mean difference x4 (input reel ff5 ff15) [| frame counts when they differ]
score() {
    awk '
    FNR == 1 { k++ }
    { y[k, FNR] = $1; u[k, FNR] = $2; v[k, FNR] = $3; if (FNR > len[k]) len[k] = FNR }
    function var(s, ss, m) { return m > 0 ? ss / m - (s / m) ^ 2 : 0 }
    END {
        n = len[1]; for (j = 2; j <= k; j++) if (len[j] < n) n = len[j]
        if (k < 5 || n < 3) exit 1
        ex = 0
        for (i = 2; i <= n; i++) { skip[i] = (y[1, i] - y[1, i - 1] > 4 || y[1, i - 1] - y[1, i] > 4); ex += skip[i] }
        out = n " " ex " |"
        for (j = 1; j <= 5; j++) {
            s = ss = m = 0
            for (i = 2; i <= n; i++) if (!skip[i]) { d = y[j, i] - y[j, i - 1]; s += d; ss += d * d; m++ }
            out = out " " var(s, ss, m)
        }
        out = out " |"
        for (j = 2; j <= 5; j++) { ss = 0; for (i = 1; i <= n; i++) ss += (y[j, i] - y[1, i]) ^ 2; out = out " " sqrt(ss / n) }
        out = out " |"
        for (j = 1; j <= 5; j++) {
            su = ssu = sv = ssv = m = 0
            for (i = 2; i <= n; i++) if (!skip[i]) {
                d = u[j, i] - u[j, i - 1]; su += d; ssu += d * d; d = v[j, i] - v[j, i - 1]; sv += d; ssv += d * d; m++
            }
            out = out " " (var(su, ssu, m) + var(sv, ssv, m))
        }
        out = out " |"
        t = int(n / 3)
        for (j = 1; j <= k; j++) {
            a = b = 0; for (i = 1; i <= t; i++) { a += y[j, i]; b += y[j, n - t + i] }
            out = out " " (a > 0 ? b / a : 0)
        }
        out = out " |"
        for (j = 2; j <= 5; j++) { s = 0; for (i = 1; i <= n; i++) s += y[j, i] - y[1, i]; out = out " " s / n }
        if (len[1] != len[2] || len[3] != len[2] || len[4] != len[2] || len[5] != len[2])
            out = out " | frames " len[1] "/" len[2] "/" len[3] "/" len[4] "/" len[5]
        print out
    }' "$@"
}

RES=$TMP/results
: >"$RES"
NJ=$(nproc 2>/dev/null || echo 2)
spawn() { # run "$@" in the background, at most $NJ at once (untimed work only)
    while [ "$(jobs -rp | wc -l)" -ge "$NJ" ]; do wait -n; done
    "$@" &
}
ENC=(-pix_fmt yuv420p -c:v libx264 -crf 10 -preset veryfast -colorspace bt709 -color_primaries bt709
    -color_trc bt709 -color_range tv)
clip() { # NAME SRC FPS N F1 F2 F3 [-frames:v N]
    local name=$1 src=$2 fps=$3 n=$4 f1=$5 f2=$6 f3=$7 c f s
    shift 7
    local D=$TMP/$name
    # even height for 4:2:0 H.264 (cityCC0.mpg is 720x405: 720x404)
    local PRE="setpts=PTS-STARTPTS,crop=trunc(iw/2)*2:trunc(ih/2)*2:0:0"
    mkdir -p "$D"
    echo
    echo "== $name: $(basename "$src"), $n frames at $fps fps; flicker $f1 + $f2 Hz, wb $f3 Hz, step at frame $((n / 2))"
    cmds "$fps" "$n" "$f1" "$f2" 0 0 1 >"$D/flicker.cmd"
    cmds "$fps" "$n" "$f1" "$f2" "$f3" 0 1 >"$D/wb.cmd"
    cmds "$fps" "$n" "$f1" "$f2" 0 1 1 >"$D/step.cmd"
    cmds "$fps" "$n" "$f1" "$f2" 0 1 0 >"$D/stepref.cmd"
    spawn ffmpeg -nostdin -v error -y -i "$src" "$@" -an -vf "$PRE" "${ENC[@]}" "$D/clean.mp4"
    for c in flicker wb step stepref; do
        spawn ffmpeg -nostdin -v error -y -i "$src" "$@" -an -vf "$PRE,sendcmd=f=$D/$c.cmd,lutyuv=y=val:u=val:v=val" \
            "${ENC[@]}" "$D/$c.mp4"
    done
    wait
    for c in clean flicker wb step stepref; do [ -s "$D/$c.mp4" ] || die "cannot make the $name $c input"; done
    printf "%-8s %8s %8s %8s %8s %8s | %7s %7s %7s %7s | %5s %6s\n" "" "flicker" "" "" "ffmpeg" "ffmpeg" \
        "rms" "" "ffmpeg" "ffmpeg" "time" "ffmpeg"
    printf "%-8s %8s %8s %8s %8s %8s | %7s %7s %7s %7s | %5s %6s\n" case truth input reel size=5 size=15 \
        input reel size=5 size=15 reel size=5
    for c in clean flicker wb step; do
        local a b
        a=$(now)
        "$REEL" -q grade "$D/$c.mp4" --no-match -o "$D/$c-reel.mp4" || die "reel grade failed on $name $c"
        b=$(now); echo "$a $b" >"$D/$c-reel.t"
        a=$(now)
        ffmpeg -nostdin -v error -y -i "$D/$c.mp4" -vf deflicker=size=5:mode=am -c:v libx264 -crf 16 "$D/$c-ff5.mp4" ||
            die "ffmpeg deflicker failed on $name $c"
        b=$(now); echo "$a $b" >"$D/$c-ff5.t"
    done
    # untimed: size=15 and the measurements, $NJ at a time
    local meta='ffmpeg -nostdin -v error -i "$1" -vf signalstats,metadata=print:file=- -f null - >"${1%.mp4}.meta"'
    for f in "$D"/*.mp4; do spawn sh -c "$meta" sh "$f"; done
    for c in clean flicker wb step; do
        spawn sh -c 'ffmpeg -nostdin -v error -y -i "$1.mp4" -vf deflicker=size=15:mode=am -c:v libx264 -crf 16 "$1-ff15.mp4" &&
            shift && '"$meta" sh "$D/$c" "$D/$c-ff15.mp4"
    done
    wait
    for f in "$D"/*.mp4; do stats <"${f%.mp4}.meta" >"${f%.mp4}.y"; [ -s "${f%.mp4}.y" ] || die "no signalstats for $f"; done
    for c in clean flicker wb step; do [ -s "$D/$c-ff15.y" ] || die "ffmpeg deflicker size=15 failed on $name $c"; done
    for c in clean flicker wb step; do
        local row truth=clean t_reel t_f5
        [ $c = step ] && truth=stepref
        t_reel=$(awk '{ print $2 - $1 }' "$D/$c-reel.t")
        t_f5=$(awk '{ print $2 - $1 }' "$D/$c-ff5.t")
        row=$(score "$D/$truth.y" "$D/$c.y" "$D/$c-reel.y" "$D/$c-ff5.y" "$D/$c-ff15.y" "$D/clean.y") ||
            die "cannot score $name $c"
        echo "$name $c $t_reel $t_f5 | $row" >>"$RES"
        awk -v c="$c" -v tr="$t_reel" -v t5="$t_f5" -F'|' '{
            split($2, f, " "); split($3, r, " "); split($4, ch, " "); split($5, q, " "); split($6, bi, " ")
            printf "%-8s %8.4f %8.4f %8.4f %8.4f %8.4f | %7.3f %7.3f %7.3f %7.3f | %5.1f %6.1f\n",
                c, f[1], f[2], f[3], f[4], f[5], r[1], r[2], r[3], r[4], tr, t5
            if (c == "clean")
                printf "  mean YAVG - clean: reel %+.3f, ffmpeg s=5 %+.3f, s=15 %+.3f\n", bi[2], bi[3], bi[4]
            if (c == "wb")
                printf "  wb chroma flicker (var dU + var dV): truth %.4f input %.4f reel %.4f ffmpeg s=5 %.4f s=15 %.4f\n", ch[1], ch[2], ch[3], ch[4], ch[5]
            if (c == "step")
                printf "  step last/first third: stepref %.4f reel %.4f ffmpeg s=5 %.4f s=15 %.4f (clean, no step: %.4f; input %.4f)\n", q[1], q[3], q[4], q[5], q[6], q[2]
            split($1, h, " ")
            if (h[2] > 0) printf "  %d transition(s) where the truth (%s) jumps > 4 left out of the flicker figures\n", h[2], (c == "step") ? "stepref" : "clean"
            if (NF > 6) printf "  warning: frame counts differ (%s), scored over the shortest\n", $7
        }' <<<"$row"
    done
}

clip vtest "$R/vtest.avi" 10 300 1.3 2.9 1.9 -frames:v 300
clip city "$R/cityCC0.mpg" 25 190 3.1 7.3 5.3
echo
# results: name case t_reel t_f5 | n ex | flicker truth in reel f5 f15 | rms in reel f5 f15 | chroma x5 | ratio x6
awk -F'|' '{
    split($1, h, " "); split($3, f, " "); split($4, r, " "); split($6, q, " ")
    name = h[1] "/" h[2]; tr += h[3]; t5 += h[4]
    if (h[2] == "clean") {
        nc++; if (r[2] < 0.3) okc++
        cl = cl sprintf(" %s reel %.3f (ffmpeg s=5 %.3f, s=15 %.3f);", h[1], r[2], r[3], r[4])
        next
    }
    nf++
    if (f[3] <= 2 * f[1]) okf++
    fl = fl sprintf(" %s %.2fx;", name, f[3] / f[1])
    best = (r[3] < r[4]) ? r[3] : r[4]
    if (r[2] <= best) okv++
    vs = vs sprintf(" %s %.3f vs %.3f;", name, r[2], best)
    if (h[2] == "step") {
        ns++; d = q[3] / q[1] - 1; if (d < 0) d = -d
        if (d <= 0.05) oks++
        st = st sprintf(" %s reel %.4f vs stepref %.4f (%.1f%%);", h[1], q[3], q[1], 100 * d)
    }
}
END {
    printf "wall time, all 8 cases: reel grade %.1f s, ffmpeg deflicker size=5 %.1f s (reel / ffmpeg %.2f)\n", tr, t5, tr / t5
    printf "reel flicker / truth flicker:%s\n", fl
    printf "rms to truth, reel vs the better ffmpeg:%s\n", vs
    printf "TARGET deflicker_flicker: reel frame-to-frame variance <= 2x the clean clip'"'"'s (stepref'"'"'s for step) on every flicker case: %d of %d %s\n", okf, nf, ((okf == nf) ? "PASS" : "FAIL")
    printf "TARGET deflicker_vs_ffmpeg: reel rms to clean (stepref for step) <= ffmpeg deflicker'"'"'s (better of size=5, 15) on every flicker case: %d of %d %s\n", okv, nf, ((okv == nf) ? "PASS" : "FAIL")
    printf "TARGET deflicker_clean: reel leaves clean footage alone (rms < 0.3):%s %s\n", cl, ((okc == nc) ? "PASS" : "FAIL")
    printf "TARGET deflicker_step: a deliberate +35%% step kept (ratio within 5%%):%s %s\n", st, ((oks == ns) ? "PASS" : "FAIL")
}' "$RES"
echo "deflicker.sh: $(($(date +%s) - T0)) s"
