#!/usr/bin/env bash
# qc.sh: `reel qc` against ffmpeg's nearest filters, speed and detection, side by side in one run.
#
# (1) speed: best of RUNS (default 3), interleaved, of
#       reel:    reel qc F --report R.json                      (every check, one decode pass)
#       ffmpeg:  ffmpeg -nostdin -i F -vf "blackdetect=d=0.5,freezedetect=d=1,signalstats"
#                       -af "ebur128=peak=true,astats" -f null -   (-af left out without audio)
#       decode:  ffmpeg -nostdin -i F -f null -                 (the decode floor, both streams)
#     Threads: the defaults of both (reel qc: decoder threads auto; ffmpeg: -threads unset, auto).
#     Plain signalstats does not compute BRNG (out-of-range pixels, the nearest thing to reel's
#     levels check): that needs signalstats=stat=brng, timed once per file as "ff+brng"
#     (informative; the target uses the plain chain, the cheaper one for ffmpeg).
#     Inputs: a 30 s 1920x1080 25 fps H.264 clip made from real footage (750 frames of vtest.avi,
#     768x576 10 fps, played at 25 fps and scaled up bicubic, libx264 -preset veryfast -crf 20;
#     box.mp4's sound looped, AAC 128k 48 kHz stereo), cityCC0.mpg and vtest.avi as they are.
#     TARGET qc_speed: reel qc <= 1.5x the ffmpeg check chain on the 1080p clip.
#
# (2) detection: known-bad files made from real footage ($REEL_MEDIA/real) with ffmpeg as in
#     tests/cli/cli_qc.sh (cityCC0 cropped to 720x404, libx264 -crf 16), each with its truth:
#       black      drawbox black from 2 s to 4 s                 black  2.00-4.04
#       blackframe frame 50 black                                black  2.00-2.04
#       freeze     frames 26-100 replaced by frame 25            freeze 1.00-4.04
#       flash5     full-screen white 5 times a second, 3-5 s     flash  3.00-5.04
#       flash2     full-screen white twice a second, 3-5 s       must NOT be flagged (<= 3/s allowed)
#       levels     luma x1.5 from 2 s to 4 s                     levels 2.00-4.04
#       clip       440 Hz at -6 dBFS, x4 (clipped) from 2 s to 3 s (gain sample-exact), 48 kHz
#                                                               clipping, first-last full-scale sample
#       dropout    20 ms of zeros at 1.5 s in numbers.wav        dropout 1.50-1.52
#       damaged    one packet of cityCC0.mpg (at 50 %; at 80 %, 8 bytes), vtest.avi (50 %; 30 %,
#                  8 bytes), Megamind.avi (50 %) damaged by tests/cli/corrupt_packet.py, which
#                  prints the packet's time                      decode or glitch starting there
#     reel found it: a finding of the right check whose start and end are within 0.1 s of the
#     truth (the start only for damage). ffmpeg's nearest filter, judged the same way:
#       black: blackdetect=d=0.5 (d=0.04, one frame at 25 fps, for blackframe); freeze:
#       freezedetect=d=1; levels: signalstats=stat=brng, a run of frames with BRNG > 0.01 (over
#       1 % of the pixels outside 16-235/240); clipping: astats per packet (reset=1), a run of
#       packets with Peak_level >= -0.01 dBFS (ffmpeg has no clipped-run detector); damage: the
#       decoder's error log (`-v error` output) non-empty, no time (the clean source's own error
#       lines are shown beside); flash, dropout: ffmpeg has no detector, "n/a".
#     Clean real clips (vtest.avi tree.avi cityCC0.mpg box.mp4 cup.mp4 Megamind.avi goforward.wav
#     numbers.wav): reel's findings of black/freeze/glitch/flash/clipping/dropout/silence/phase
#     (false findings), its other findings (informative), ffmpeg blackdetect=d=0.5 and
#     freezedetect=d=1 hits and `-v error` lines.
#     TARGET qc_detect: reel catches every fixture, does not flag flash2, 0 false findings on the
#     clean clips.
#
#   REEL_BIN    the reel binary (default: $BENCH_BUILD/reel, BENCH_BUILD default build-bench)
#   REEL_MEDIA  media root (default: <repo>/.cache/media; scripts/fetch-media.sh)
#   RUNS        repeats per speed measurement (default 3)
# Exits 0 whether targets pass or fail; 2 when it cannot run (tools, media or `reel qc` missing).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MEDIA=${REEL_MEDIA:-$ROOT/.cache/media}
R=$MEDIA/real
REEL=${REEL_BIN:-${BENCH_BUILD:-$ROOT/build-bench}/reel}
RUNS=${RUNS:-3}
CORRUPT=$ROOT/tests/cli/corrupt_packet.py
die() { echo "qc.sh: $*" >&2; exit 2; }

command -v ffmpeg >/dev/null || die "ffmpeg is missing (apt-get install -y ffmpeg)"
command -v ffprobe >/dev/null || die "ffprobe is missing"
command -v python3 >/dev/null || die "python3 is missing"
[ -x "$REEL" ] || die "reel binary $REEL not found (ninja -C build-bench) or set REEL_BIN"
[ -f "$CORRUPT" ] || die "$CORRUPT missing"
for f in vtest.avi tree.avi cityCC0.mpg box.mp4 cup.mp4 Megamind.avi goforward.wav numbers.wav; do
    [ -f "$R/$f" ] || die "media missing: $R/$f (run scripts/fetch-media.sh)"
done
"$REEL" qc --help >/dev/null 2>&1 || die "\`reel qc\` is not available in $REEL"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/reel-bench-qc.XXXXXX") || die "cannot make a temp dir"
trap 'rm -rf "$TMP"' EXIT
T0=$(date +%s)
now() { date +%s.%N; }
NJ=$(nproc 2>/dev/null || echo 2)
spawn() { # run "$@" in the background, at most $NJ at once (untimed work only)
    while [ "$(jobs -rp | wc -l)" -ge "$NJ" ]; do wait -n; done
    "$@" &
}
has_audio() { [ -n "$(ffprobe -v error -select_streams a -show_entries stream=index -of csv=p=0 "$1" 2>/dev/null)" ]; }
has_video() { [ -n "$(ffprobe -v error -select_streams v -show_entries stream=index -of csv=p=0 "$1" 2>/dev/null)" ]; }

echo "qc.sh: reel=$REEL runs=$RUNS cores=$NJ $(ffmpeg -version | head -1 | cut -d' ' -f1-3)"
echo "threads: the defaults of both (reel qc: decoder threads auto; ffmpeg: -threads unset = auto)"

# ---- inputs, untimed, $NJ at a time ----
F=$TMP/fix
mkdir -p "$F"
C=$R/cityCC0.mpg
HD=$TMP/vtest1080.mp4
X264=(-c:v libx264 -crf 16 -preset veryfast -pix_fmt yuv420p)
mk() { # NAME FILTER: cityCC0 cropped to 720x404 through FILTER
    ffmpeg -nostdin -v error -y -i "$C" -an -vf "crop=720:404:0:0,$2" "${X264[@]}" "$F/$1.mp4" || echo "qc.sh: cannot make $1" >&2
}
spawn ffmpeg -nostdin -v error -y -i "$R/vtest.avi" -stream_loop -1 -i "$R/box.mp4" -map 0:v:0 -map 1:a:0 -t 30 \
    -vf "setpts=N/(25*TB),scale=1920:1080:flags=bicubic,format=yuv420p" -r 25 \
    -c:v libx264 -preset veryfast -crf 20 -c:a aac -b:a 128k -ar 48000 -ac 2 "$HD" 2>"$TMP/hd.err"
spawn mk black "drawbox=c=black:t=fill:enable='between(t,2,4)'"
spawn mk blackframe "drawbox=c=black:t=fill:enable='eq(n,50)'"
spawn ffmpeg -nostdin -v error -y -i "$C" -an \
    -filter_complex "[0:v]crop=720:404:0:0,split[x][y];[x][y]freezeframes=first=26:last=100:replace=25" "${X264[@]}" "$F/freeze.mp4"
spawn mk flash5 "drawbox=c=white:t=fill:enable='between(t,3,5)*lt(mod(t,0.2),0.08)'"
spawn mk flash2 "drawbox=c=white:t=fill:enable='between(t,3,5)*lt(mod(t,0.5),0.25)'"
spawn mk levels "lutyuv=y=clip(val*1.5\,0\,255):enable='between(t,2,4)'"
spawn ffmpeg -nostdin -v error -y -f lavfi -i "aevalsrc=0.5*sin(2*PI*440*t)*if(between(t\,2\,3)\,4\,1):d=6:s=48000" \
    -c:a pcm_s16le "$F/clip.wav"
python3 -c '
import sys, wave
w = wave.open(sys.argv[1]); p = w.getparams(); b = bytearray(w.readframes(p.nframes))
a = int(1.5 * p.framerate) * p.sampwidth * p.nchannels; n = int(0.02 * p.framerate) * p.sampwidth * p.nchannels
b[a:a + n] = bytes(n)
o = wave.open(sys.argv[2], "wb"); o.setparams(p); o.writeframes(bytes(b))' "$R/numbers.wav" "$F/dropout.wav" ||
    die "cannot make dropout.wav"
DMG=(cityCC0_50:cityCC0.mpg:0.5: cityCC0_80:cityCC0.mpg:0.8:8 vtest_50:vtest.avi:0.5: vtest_30:vtest.avi:0.3:8
    Megamind_50:Megamind.avi:0.5:)
for d in "${DMG[@]}"; do
    IFS=: read -r name src frac nb <<<"$d"
    python3 "$CORRUPT" "$R/$src" "$F/$name.${src##*.}" "$frac" $nb >"$F/$name.t" || die "corrupt_packet.py $src failed"
done
wait
[ -s "$HD" ] || die "cannot make the 1080p clip: $(tail -3 "$TMP/hd.err")"
for n in black blackframe freeze flash5 flash2 levels; do [ -s "$F/$n.mp4" ] || die "cannot make $n.mp4"; done
[ -s "$F/clip.wav" ] || die "cannot make clip.wav"
echo "inputs made in $(($(date +%s) - T0)) s"

# ---- (1) speed ----
echo
echo "== speed: best of $RUNS, interleaved (reel qc; ffmpeg check chain; ffmpeg decode floor)"
S=$TMP/speed
mkdir -p "$S"
printf '%-16s %-9s %6s %8s %9s %8s %7s %8s | %8s\n' file size frames "reel_s" "ffchk_s" "decode_s" \
    "reel/ff" "reel_fps" "ff+brng"
best() { sort -g "$1" | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }
timeit() { # OUTFILE CMD...: append the wall time of CMD; its exit status is kept in $TMP/rc
    local a b
    a=$(now); "${@:2}" >/dev/null 2>>"$S/stderr"; echo $? >"$TMP/rc"; b=$(now)
    awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f\n", b - a }' >>"$1"
}
HD_RATIO=inf
for spec in "vtest1080.mp4:$HD" "cityCC0.mpg:$R/cityCC0.mpg" "vtest.avi:$R/vtest.avi"; do
    n=${spec%%:*}; f=${spec#*:}
    VF="blackdetect=d=0.5,freezedetect=d=1,signalstats"
    AF=(); has_audio "$f" && AF=(-af "ebur128=peak=true,astats")
    ffmpeg -nostdin -v error -i "$f" -f null - >/dev/null 2>&1 # warm-up: into the page cache
    : >"$S/re.$n"; : >"$S/ff.$n"; : >"$S/de.$n"; : >"$S/br.$n"
    for ((i = 1; i <= RUNS; i++)); do
        timeit "$S/re.$n" "$REEL" qc "$f" --report "$S/$n.json"
        rc=$(cat "$TMP/rc"); [ "$rc" = 0 ] || [ "$rc" = 3 ] || die "reel qc $f failed (exit $rc): $(tail -3 "$S/stderr")"
        timeit "$S/ff.$n" ffmpeg -nostdin -i "$f" -vf "$VF" "${AF[@]}" -f null -
        [ "$(cat "$TMP/rc")" = 0 ] || die "the ffmpeg check chain failed on $f: $(tail -3 "$S/stderr")"
        timeit "$S/de.$n" ffmpeg -nostdin -i "$f" -f null -
    done
    timeit "$S/br.$n" ffmpeg -nostdin -i "$f" -vf "${VF/signalstats/signalstats=stat=brng}" "${AF[@]}" -f null -
    frames=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["video"]["frames"])' "$S/$n.json")
    size=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=s=x:p=0 "$f" 2>/dev/null | head -1 | sed 's/x*$//')
    RE=$(best "$S/re.$n"); FF=$(best "$S/ff.$n"); DE=$(best "$S/de.$n"); BR=$(best "$S/br.$n")
    RT=$(ratio "$RE" "$FF")
    FPS=$(awk -v n="$frames" -v t="$RE" 'BEGIN { printf "%.0f", ((t > 0) ? n / t : 0) }')
    printf '%-16s %-9s %6s %8.2f %9.2f %8.2f %7s %8s | %8.2f\n' "$n" "$size" "$frames" "$RE" "$FF" "$DE" "$RT" "$FPS" "$BR"
    [ "$n" = vtest1080.mp4 ] && HD_RATIO=$RT
done
echo "  ffchk: the chain above with plain signalstats; ff+brng: the same with signalstats=stat=brng (1 run)"
echo "  reel findings on the 1080p clip (informative): $(python3 -c '
import json, sys, collections
c = collections.Counter(f["check"] for f in json.load(open(sys.argv[1]))["findings"])
print(", ".join("%s %d" % kv for kv in sorted(c.items())) or "none")' "$S/vtest1080.mp4.json")"
SPEED_T=$(date +%s)

# ---- (2) detection ----
D=$TMP/det
mkdir -p "$D"
MAN=$D/manifest.tsv
: >"$MAN"
# fixture NAME MEDIA CHECK T0 T1 FFKIND DESCRIPTION: reel qc and ffmpeg's nearest filter on MEDIA
fixture() {
    local name=$1 m=$2 kind=$6
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$MAN"
    spawn "$REEL" qc "$m" --report "$D/$name.json" >/dev/null 2>"$D/$name.reel.err"
    case $kind in
        black) spawn ffmpeg -nostdin -nostats -i "$m" -vf blackdetect=d=0.5 -f null - 2>"$D/$name.ff" ;;
        black1) spawn ffmpeg -nostdin -nostats -i "$m" -vf blackdetect=d=0.04 -f null - 2>"$D/$name.ff" ;;
        freeze) spawn ffmpeg -nostdin -nostats -i "$m" -vf freezedetect=d=1 -f null - 2>"$D/$name.ff" ;;
        levels) spawn ffmpeg -nostdin -nostats -i "$m" \
            -vf "signalstats=stat=brng,metadata=print:key=lavfi.signalstats.BRNG:file=$D/$name.ff" -f null - 2>/dev/null ;;
        clip) spawn ffmpeg -nostdin -nostats -i "$m" \
            -af "astats=metadata=1:reset=1,ametadata=print:key=lavfi.astats.Overall.Peak_level:file=$D/$name.ff" \
            -f null - 2>/dev/null ;;
        decode) spawn sh -c 'ffmpeg -nostdin -v error -i "$1" -f null - 2>"$2"' sh "$m" "$D/$name.ff"
            spawn sh -c 'ffmpeg -nostdin -v error -i "$1" -f null - 2>"$2"' sh "$R/$7" "$D/$name.ffclean" ;;
    esac
}
fixture black "$F/black.mp4" black 2.00 4.04 black "black 2 s gap"
fixture blackframe "$F/blackframe.mp4" black 2.00 2.04 black1 "one black frame"
fixture freeze "$F/freeze.mp4" freeze 1.00 4.04 freeze "3 s freeze"
fixture flash5 "$F/flash5.mp4" flash 3.00 5.04 na "5 Hz flashing"
fixture flash2 "$F/flash2.mp4" flash - - neg "2 Hz flashing"
fixture levels "$F/levels.mp4" levels 2.00 4.04 levels "levels x1.5 2 s"
read -r C0 C1 < <(python3 -c '
import sys, wave, array
w = wave.open(sys.argv[1]); a = array.array("h", w.readframes(w.getnframes()))
i = [k for k, x in enumerate(a) if abs(x) >= 32767]
print("%.4f %.4f" % (i[0] / w.getframerate(), (i[-1] + 1) / w.getframerate()))' "$F/clip.wav") || die "cannot read clip.wav"
fixture clip "$F/clip.wav" clipping "$C0" "$C1" clip "clipped tone"
fixture dropout "$F/dropout.wav" dropout 1.50 1.52 na "20 ms dropout"
for d in "${DMG[@]}"; do
    IFS=: read -r name src frac nb <<<"$d"
    fixture "$name" "$F/$name.${src##*.}" decode,glitch "$(cat "$F/$name.t")" - decode "$src"
done
CLEAN=(vtest.avi tree.avi cityCC0.mpg box.mp4 cup.mp4 Megamind.avi goforward.wav numbers.wav)
for c in "${CLEAN[@]}"; do
    spawn "$REEL" qc "$R/$c" --report "$D/clean_$c.json" >/dev/null 2>"$D/clean_$c.reel.err"
    if has_video "$R/$c"; then
        spawn ffmpeg -nostdin -nostats -i "$R/$c" -vf "blackdetect=d=0.5,freezedetect=d=1" -f null - 2>"$D/clean_$c.ff"
    else
        echo "(no video)" >"$D/clean_$c.ff"
    fi
    spawn sh -c 'ffmpeg -nostdin -v error -i "$1" -f null - 2>"$2"' sh "$R/$c" "$D/clean_$c.err"
done
wait

python3 - "$D" "${CLEAN[@]}" <<'EOF'
import json, os, re, sys
D = sys.argv[1]; clean = sys.argv[2:]
TOL = 0.1 + 1e-6
FALSE = ["black", "freeze", "glitch", "flash", "clipping", "dropout", "silence", "phase"]

def load(p):
    try:
        return json.load(open(p))["findings"]
    except Exception as ex:
        return None

def near(a, b): return a is not None and abs(a - b) <= TOL

def runs(pairs, step):  # [(t, on)] -> [(start, end)] of consecutive "on" entries
    out = []; cur = None; last = None
    for t, on in pairs:
        if on and cur is None: cur = t
        if not on and cur is not None: out.append((cur, t)); cur = None
        last = t
    if cur is not None: out.append((cur, last + step))
    return out

def meta(path, key):  # metadata=print file -> [(pts_time, value)]
    out = []; t = None
    for line in open(path):
        m = re.search(r"pts_time:([-\d.]+)", line)
        if m: t = float(m.group(1))
        elif line.startswith(key + "="): out.append((t, float(line.split("=", 1)[1])))
    return out

def fmt(s, e): return "%.2f-%.2f" % (s, e) if e is not None else "%.2f" % s

def ffmpeg_result(name, kind, t0, t1, extra):
    p = os.path.join(D, name + ".ff")
    if kind in ("na", "neg"): return "n/a", "no such filter", None
    txt = open(p).read() if os.path.exists(p) else ""
    if kind in ("black", "black1"):
        hits = [(float(a), float(b)) for a, b in re.findall(r"black_start:([\d.]+) black_end:([\d.]+)", txt)]
        how = "blackdetect d=%s" % ("0.5" if kind == "black" else "0.04")
    elif kind == "freeze":
        st = [float(x) for x in re.findall(r"freeze_start: ([\d.]+)", txt)]
        en = [float(x) for x in re.findall(r"freeze_end: ([\d.]+)", txt)]
        hits = [(s, en[i] if i < len(en) else None) for i, s in enumerate(st)]
        how = "freezedetect d=1"
    elif kind == "levels":
        v = meta(p, "lavfi.signalstats.BRNG")
        hits = runs([(t, x > 0.01) for t, x in v], v[1][0] - v[0][0] if len(v) > 1 else 0.04)
        how = "BRNG>0.01 run"
    elif kind == "clip":
        v = meta(p, "lavfi.astats.Overall.Peak_level")
        hits = runs([(t, x >= -0.01) for t, x in v], v[1][0] - v[0][0] if len(v) > 1 else 0.1)
        how = "astats Peak>=-0.01dB"
    elif kind == "decode":
        n = len([l for l in txt.splitlines() if l.strip()])
        c = open(os.path.join(D, name + ".ffclean")).read()
        nc = len([l for l in c.splitlines() if l.strip()])
        return ("found" if n else "missed"), "-v error: %d lines (clean src %d)" % (n, nc), n > 0
    ok = [h for h in hits if near(h[0], t0) and (h[1] is not None and near(h[1], t1))]
    got = ", ".join(fmt(*h) for h in hits[:3]) or "none"
    return ("found" if ok else "missed"), "%s: %s" % (how, got), bool(ok)

rows = []; caught = 0; nfix = 0; slow_flagged = None
for line in open(os.path.join(D, "manifest.tsv")):
    name, media, check, t0, t1, kind, desc = line.rstrip("\n").split("\t")
    checks = check.split(",")
    fs = load(os.path.join(D, name + ".json"))
    if fs is None:
        err = open(os.path.join(D, name + ".reel.err")).read().strip().splitlines()
        reel, ok = "NO REPORT (%s)" % (err[-1] if err else "?"), False
        mine = []; other = []
    else:
        mine = [f for f in fs if f["check"] in checks]
        other = sorted(set(f["check"] for f in fs if f["check"] not in checks))
    truth = "no flash" if kind == "neg" else (fmt(float(t0), None if t1 == "-" else float(t1)))
    if fs is not None:
        if kind == "neg":
            ok = not mine
            slow_flagged = not ok
            reel = "not flagged" if ok else "FLAGGED " + ", ".join(fmt(f["start"], f["end"]) for f in mine)
        else:
            def hit(f):
                if f["start"] is None or not near(f["start"], float(t0)): return False
                return t1 == "-" or (f["end"] is not None and near(f["end"], float(t1)))
            good = [f for f in mine if hit(f)]
            ok = bool(good)
            show = good or mine
            where = ", ".join("%s %s" % (f["check"], fmt(f["start"], f["end"]) if f["start"] is not None else "-")
                              for f in show[:2])
            reel = ("found " if ok else "MISSED ") + (where or "(nothing)")
    if kind != "neg":
        nfix += 1; caught += ok
    ff, ffnote, _ = ffmpeg_result(name, kind, float(t0) if t0 != "-" else 0, float(t1) if t1 != "-" else 0, desc)
    if kind == "decode": desc = "damaged " + desc
    rows.append((name, desc, check.replace(",", "/"), truth, reel, ", ".join(other) or "-", ff, ffnote))

print()
print("== detection: known-bad fixtures (reel: the right check within 0.1 s of the truth; ffmpeg: its nearest filter)")
w = [max(len(r[i]) for r in rows + [("fixture", "what", "check", "truth", "reel", "reel also", "ffmpeg", "ffmpeg detail")]) for i in range(8)]
hdr = ("fixture", "what", "check", "truth", "reel", "reel also", "ffmpeg", "ffmpeg detail")
for r in [hdr] + rows:
    print("  ".join(x.ljust(w[i]) for i, x in enumerate(r)).rstrip())

print()
print("== detection: clean real clips (false = reel findings of %s)" % "/".join(FALSE))
crow = []; nfalse = 0
for c in clean:
    fs = load(os.path.join(D, "clean_%s.json" % c))
    ff = open(os.path.join(D, "clean_%s.ff" % c)).read()
    if "(no video)" in ff: bd = fz = "n/a"
    else:
        bd = str(len(re.findall(r"black_start:", ff))); fz = str(len(re.findall(r"freeze_start:", ff)))
    el = str(len([l for l in open(os.path.join(D, "clean_%s.err" % c)).read().splitlines() if l.strip()]))
    if fs is None:
        crow.append((c, "NO REPORT", "-", bd, fz, el)); nfalse += 1; continue
    bad = [f for f in fs if f["check"] in FALSE]
    nfalse += len(bad)
    other = ", ".join(sorted(set("%s %s" % (f["check"], f["severity"]) for f in fs if f["check"] not in FALSE))) or "-"
    crow.append((c, str(len(bad)) + ("" if not bad else " (" + ", ".join("%s %s" % (f["check"], fmt(f["start"], f["end"]) if f["start"] is not None else "") for f in bad) + ")"),
                 other, bd, fz, el))
hdr = ("file", "reel false", "reel other (informative)", "ff blackdetect", "ff freezedetect", "ff -v error lines")
w = [max(len(r[i]) for r in crow + [hdr]) for i in range(6)]
for r in [hdr] + crow:
    print("  ".join(x.ljust(w[i]) for i, x in enumerate(r)).rstrip())

ok = caught == nfix and slow_flagged is False and nfalse == 0
open(os.path.join(D, "result"), "w").write("%d %d %s %d %s\n" % (
    caught, nfix, "yes" if slow_flagged else "no", nfalse, "PASS" if ok else "FAIL"))
EOF
[ -s "$D/result" ] || die "scoring the detection failed"
read -r CAUGHT NFIX SLOW NFALSE DV <"$D/result"
echo
echo "speed done $((SPEED_T - T0)) s from the start, detection $(($(date +%s) - SPEED_T)) s, total $(($(date +%s) - T0)) s"
echo
printf 'TARGET qc_speed: reel qc <= 1.5x the ffmpeg check chain on the 1080p clip: ratio %s %s\n' "$HD_RATIO" \
    "$(awk -v r="$HD_RATIO" 'BEGIN { print (r != "inf" && r + 0 <= 1.5) ? "PASS" : "FAIL" }')"
echo "TARGET qc_detect: every fixture caught, 2 Hz flashing not flagged, no false findings on clean clips: caught $CAUGHT of $NFIX, 2 Hz flagged $SLOW, false findings $NFALSE $DV"
exit 0
