#!/usr/bin/env bash
# transcribe.sh: speech recognition speed and accuracy on one core: `reel transcribe` against
# PocketSphinx's own pocketsphinx_continuous (the same library and model, its own voice activity
# detection) on the same audio, in one run.
#
#   audio   the real recordings of Debian's pocketsphinx-testdata with published transcriptions
#           (librivox-0870, -0880, cards-001..005, goforward; fetched by scripts/fetch-media.sh)
#           joined with half a second of silence between clips, the whole set LOOPS times
#           (default 4, about 106 s), 16 kHz mono.
#   reel    taskset -c 0 reel -q transcribe speech.wav --json
#   peer    taskset -c 0 pocketsphinx_continuous -infile speech.wav (en-us model, logs off)
#   Each: CPU seconds (user + sys), best of RUNS (default 2); the real-time factor is CPU seconds
#   over audio seconds; word accuracy (1 - WER) against the joined transcriptions, for information.
#   TARGET transcribe_rt: reel's real-time factor <= 1.0 (at least real time on one core).
#
#   REEL_BIN (default build-bench/reel), REEL_MEDIA, RUNS, LOOPS
# Exits 0 whether the target passes or fails; 2 when it cannot run.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
R=${REEL_MEDIA:-$ROOT/.cache/media}/real
REEL=${REEL_BIN:-${BENCH_BUILD:-$ROOT/build-bench}/reel}
RUNS=${RUNS:-2} LOOPS=${LOOPS:-4}
MODEL=${REEL_ASR_MODEL:-/usr/share/pocketsphinx/model/en-us}
die() { echo "transcribe.sh: $*" >&2; exit 2; }
command -v ffmpeg >/dev/null || die "ffmpeg is missing"
[ -x "$REEL" ] || die "no reel binary at $REEL (ninja -C build-bench)"
CLIPS=(librivox-0870 librivox-0880 cards-001 cards-002 cards-003 cards-004 cards-005 goforward)
for c in "${CLIPS[@]}"; do [ -f "$R/$c.wav" ] || die "missing $R/$c.wav (scripts/fetch-media.sh)"; done
PIN=(taskset -c 0)
command -v taskset >/dev/null || PIN=()
T=$(mktemp -d "${TMPDIR:-/tmp}/reel-bench-asr.XXXXXX") || die "mktemp"
trap 'rm -rf "$T"' EXIT

# the audio and its reference words
ffmpeg -nostdin -v error -f lavfi -i anullsrc=r=16000:cl=mono -t 0.5 -c:a pcm_s16le "$T/gap.wav" || die "making the gap"
: >"$T/list.txt"
: >"$T/ref.txt"
for _ in $(seq 1 "$LOOPS"); do
    for c in "${CLIPS[@]}"; do
        ffmpeg -nostdin -v error -y -i "$R/$c.wav" -ar 16000 -ac 1 -c:a pcm_s16le "$T/$c.wav" || die "converting $c"
        printf "file '%s'\nfile '%s'\n" "$T/$c.wav" "$T/gap.wav" >>"$T/list.txt"
        case $c in
        goforward) echo "go forward ten meters" >>"$T/ref.txt" ;;
        cards-*) grep "(${c#cards-})" "$R/cards.transcription.txt" | sed 's/<s>//; s/<\/s>.*//' >>"$T/ref.txt" ;;
        librivox-*) grep -- "-${c#librivox-})" "$R/librivox.transcription.txt" | sed 's/<s>//; s/<\/s>.*//' >>"$T/ref.txt" ;;
        esac
    done
done
ffmpeg -nostdin -v error -y -f concat -safe 0 -i "$T/list.txt" -c:a pcm_s16le "$T/speech.wav" || die "joining the clips"
secs=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$T/speech.wav")

cpu() { # OUT CMD...: CPU seconds (user + sys) of CMD, its stdout in OUT; "fail" when it fails
    local out=$1 u s
    shift
    { TIMEFORMAT='%U %S'; time "$@" >"$out" 2>"$T/err"; } 2>"$T/t" || { echo fail; return; }
    read -r u s <"$T/t"
    python3 -c "print('%.2f' % ($u + $s))"
}
reel_run() { "${PIN[@]}" "$REEL" -q transcribe "$T/speech.wav" --json; }
peer_run() {
    "${PIN[@]}" pocketsphinx_continuous -infile "$T/speech.wav" -hmm "$MODEL/en-us" -lm "$MODEL/en-us.lm.bin" \
        -dict "$MODEL/cmudict-en-us.dict" -logfn /dev/null
}
rs=() ps=()
for _ in $(seq 1 "$RUNS"); do
    rs+=("$(cpu "$T/reel.json" reel_run)")
    if command -v pocketsphinx_continuous >/dev/null; then ps+=("$(cpu "$T/peer.txt" peer_run)"); fi
done
best() { printf '%s\n' "$@" | sort -g | head -1; }
rb=$(best "${rs[@]}")
[ "$rb" = fail ] && { cat "$T/err" >&2; die "reel transcribe failed"; }
pb=n/a
[ ${#ps[@]} -gt 0 ] && pb=$(best "${ps[@]}")

python3 - "$T/reel.json" "$T/peer.txt" "$T/ref.txt" "$secs" "$rb" "$pb" <<'EOF'
import json, re, sys
reel_json, peer_txt, ref_txt, secs, rb, pb = sys.argv[1:]
secs = float(secs)
def words(s): return re.findall(r"[a-z']+", s.lower().replace("mister", "mr"))
def accuracy(ref, hyp):  # 1 - word error rate
    d = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, d[0] = d[0], i
        for j, h in enumerate(hyp, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (r != h))
    return 1 - d[-1] / len(ref)
ref = words(open(ref_txt).read())
reel = [w["word"] for w in json.load(open(reel_json))["words"]]
reel = [x for w in reel for x in words(w)]
rows = [("reel transcribe", float(rb), accuracy(ref, reel), len(reel))]
if pb not in ("n/a", "fail"):
    peer = [x for w in open(peer_txt).read().split() for x in words(re.sub(r"\(\d+\)$", "", w))]
    rows.append(("pocketsphinx_continuous", float(pb), accuracy(ref, peer), len(peer)))
print("transcribe.sh: %.1f s of speech recordings, %d reference words, one core" % (secs, len(ref)))
print()
print("%-26s %8s %8s %8s %7s" % ("", "CPU s", "x RT", "accuracy", "words"))
for name, c, acc, n in rows:
    print("%-26s %8.2f %8.3f %8.3f %7d" % (name, c, c / secs, acc, n))
if len(rows) > 1:
    print("reel / pocketsphinx_continuous CPU: %.2f (information)" % (rows[0][1] / rows[1][1]))
rt = rows[0][1] / secs
print()
print("TARGET transcribe_rt: reel transcribes at least at real time on one core: %.3f x real time %s"
      % (rt, "PASS" if rt <= 1.0 else "FAIL"))
EOF
