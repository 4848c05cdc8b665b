#!/usr/bin/env bash
# restore.sh: de-clipping and de-clicking, reel against ffmpeg's own adeclip and adeclick (each
# over a small grid of settings, the best per case kept), side by side in one run, scored by SDR
# against the undamaged speech.
#
# Speech (real, nobody here wrote it, from $REEL_MEDIA/real, scripts/fetch-media.sh): 48 kHz, the
# eight ALSA channel announcements; 16 kHz, PocketSphinx cards-001..005, numbers, goforward; each
# set concatenated with 0.4 s gaps, peak -6 dBFS, 32-bit float.
# Damage (bench/restore_score.py, fixed seed): hard clipping at the levels where 1, 3 and 8 % of
# the samples clip (flat, both polarities); clicks, 10 a second, 1 sample to 0.33 ms wide,
# Hann-shaped or square, 3 to 30 times the local RMS.
# Contestants: reel dialogue --preset none --dehum off --bits 32f with --declip auto (clipping) or
# --declick (clicks); ffmpeg adeclip (default, a=16, w=100:a=16, t=5) and adeclick (default, t=4,
# t=8, w=100:t=4), the best of the grid per case; an ffmpeg output whose cross-correlation with the
# reference peaks off lag 0 is realigned before scoring (and said so). reel's is never realigned.
#   TARGET declip: reel - best adeclip >= 1 dB at every clip level and both rates
#   TARGET declick: reel - best adeclick >= 1 dB at both rates
#   TARGET declick_harm: clean speech through reel --declick stays >= 30 dB SDR against itself
#   informative: the speed of both (one core, 60 s at 48 kHz) against adeclip and adeclick.
#
#   REEL_BIN  the reel binary (default: build-bench/reel)   REEL_MEDIA  media root
# Needs ffmpeg and /usr/bin/python3 with numpy (Debian: python3-numpy). Exits 0 whether targets
# pass or fail; 2 when it cannot run.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MEDIA=${REEL_MEDIA:-$ROOT/.cache/media}
REEL=${REEL_BIN:-$ROOT/build-bench/reel}
PY=/usr/bin/python3
die() { echo "restore.sh: $*" >&2; exit 2; }
command -v ffmpeg >/dev/null || die "ffmpeg is missing"
[ -x "$REEL" ] || die "reel binary $REEL not found (ninja -C build-bench)"
"$PY" -c 'import numpy' 2>/dev/null || die "numpy is missing for $PY (Debian package python3-numpy)"
command -v taskset >/dev/null || die "taskset is missing (util-linux)"
[ -f "$MEDIA/real/Front_Center.wav" ] && [ -f "$MEDIA/real/numbers.wav" ] || die "media missing: run scripts/fetch-media.sh"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/reel-bench-restore.XXXXXX") || die "no temp dir"
trap 'rm -rf "$TMP"' EXIT
T0=$(date +%s)
"$PY" "$ROOT/bench/restore_score.py" "$REEL" "$MEDIA/real" "$TMP" || exit 2
echo "restore.sh: $(($(date +%s) - T0)) s"
