#!/usr/bin/env bash
# Refresh the reel.yaml reference in README.md from the option tables (`reel agents --markdown`).
# With --check, only compare: exit 1 when the README is out of date.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=${REEL_BIN:-build/reel}
ref=$("$bin" agents --markdown)
new=$(python3 - "$ref" <<'PY'
import sys
ref = sys.argv[1]
text = open("README.md", encoding="utf-8").read()
a, b = "<!-- reference:begin -->", "<!-- reference:end -->"
i, j = text.index(a) + len(a), text.index(b)
sys.stdout.write(text[:i] + "\n" + ref.rstrip("\n") + "\n" + text[j:])
PY
)
if [ "${1:-}" = "--check" ]; then
    if [ "$new" != "$(cat README.md)" ]; then
        echo "README.md's reel.yaml reference is out of date: run scripts/update-readme.sh" >&2
        exit 1
    fi
    exit 0
fi
printf '%s\n' "$new" > README.md.tmp && mv README.md.tmp README.md
echo "README.md reference updated"
