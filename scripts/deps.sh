#!/usr/bin/env bash
# deps.sh: the one list of Debian 12 packages reel needs to build, test, benchmark and run the demo.
# Installs the missing ones when run as root; otherwise prints the exact apt-get line and fails.
# Quiet (and exit 0) when everything is already installed.
#   scripts/deps.sh          check, install what is missing
#   scripts/deps.sh --list   print the package list and exit
set -euo pipefail

PACKAGES=(
    # toolchain (gcc's libasan/libubsan come with gcc; meson runs on python3)
    build-essential pkg-config meson ninja-build python3
    # FFmpeg libraries (the media layer) and the ffmpeg/ffprobe tools (media generation, bench peers)
    libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libavfilter-dev
    ffmpeg
    # state, brief, metadata, loudness, hashing
    libsqlite3-dev sqlite3 libyaml-dev libjansson-dev libebur128-dev libsodium-dev
    # synthetic speech for golden tests and the demo
    espeak-ng
    # speech recognition for the editor (PocketSphinx and its US English model; the command-line
    # recogniser is bench/transcribe.sh's peer)
    libpocketsphinx-dev libsphinxbase-dev pocketsphinx-en-us pocketsphinx
    # GNU time (/usr/bin/time -v: peak RSS in bench), gzip (box.mp4.gz/cup.mp4.gz),
    # util-linux (flock), apt (apt-get download of real media), ca-certificates for https mirrors
    time gzip util-linux apt ca-certificates
)

if [ "${1:-}" = "--list" ]; then
    printf '%s\n' "${PACKAGES[@]}"
    exit 0
fi

missing=()
for p in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
    *"install ok installed"*) ;;
    *) missing+=("$p") ;;
    esac
done

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "reel needs: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
install() {
    apt-get install -y --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}"
}
lists_empty() {
    ! ls /var/lib/apt/lists/ 2>/dev/null | grep -q '_Packages'
}
# apt-get update only when needed: no package lists yet, or the install failed on stale lists.
if lists_empty; then
    apt-get update -o Dpkg::Use-Pty=0
    install
elif ! install; then
    echo "deps: install failed; refreshing package lists and retrying" >&2
    apt-get update -o Dpkg::Use-Pty=0
    install
fi
echo "deps: done" >&2
