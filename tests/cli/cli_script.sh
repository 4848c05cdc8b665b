#!/usr/bin/env bash
# `reel script FILE`: the scene table and cast of a Fountain screenplay, the --json element list
# (checked against the file it came from), the demo's own script, and bad input: a missing file,
# Latin-1 bytes, a binary file, no file named.
. "$(dirname "$0")/lib.sh"

S=$W/brick.fountain
cat >"$S" <<'EOF'
Title:
    BRICK & STEEL
Author: Stu Maschwitz

EXT. BRICK'S PATIO - DAY #1#

A gorgeous day. Steel, *late fifties*, rises.

STEEL
Beer's ready!

BRICK
Are they cold?

STEEL
(offended)
Does a bear crap in the woods?

CUT TO:

INT. GARAGE - NIGHT #2A#

BRICK (V.O.)
Cold enough.

@McCLANE
Yippie ki-yay.

> THE END <
EOF

rr script "$S"
check "reel script exits 0 on a screenplay" test "$RC" = 0
check "the title page's title is shown" grep -q "^title: BRICK & STEEL" "$W/rr.out"
check "scene 1 is listed with its number, line, 3 lines and both speakers" \
    grep -Eq "^1 +1 +5 +EXT. BRICK'S PATIO - DAY +3  STEEL, BRICK$" "$W/rr.out"
check "scene 2 with number 2A and its two speakers" grep -Eq "^2 +2A +21 +INT. GARAGE - NIGHT +2  BRICK, McCLANE$" "$W/rr.out"
check "the cast counts each speaker's lines and words" grep -Eq "^  STEEL +2 lines +9 words$" "$W/rr.out"
check "the summary line" grep -q "^2 scenes, 5 lines of dialogue" "$W/rr.out"
[ "$RC" = 0 ] || rr_diag

rr script "$S" --json
python3 - "$W/rr.out" "$S" >"$W/py.out" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); src = open(sys.argv[2]).read().split("\n")
els = d["elements"]
types = [e["type"] for e in els]
assert d["scenes"] == 2, d["scenes"]
assert types.count("dialogue") == 5 and types.count("character") == 5, types
assert types.count("parenthetical") == 1 and "transition" in types and "centered" in types, types
for e in els:  # every element starts on the line of the file it says
    if e["type"] in ("scene", "character", "dialogue", "transition"):
        assert e["text"].split("\n")[0] in src[e["line"] - 1], (e, src[e["line"] - 1])
par = [e for e in els if e["type"] == "parenthetical"][0]
assert par["speaker"] == "STEEL" and par["text"] == "(offended)", par
vo = [e for e in els if e["type"] == "character" and e["text"] == "BRICK" and e.get("extension")][0]
assert vo["extension"] == "(V.O.)" and vo["scene"] == 2, vo
assert [e for e in els if e["type"] == "action"][0]["text"].endswith("Steel, late fifties, rises."), "emphasis markers dropped"
print("ok")
PY
check "--json lists every element with its line in the file, speaker and extension" grep -qx ok "$W/py.out"
[ "$(cat "$W/py.out")" = ok ] || diag_file "$W/py.out"

printf '# ACT I\n= setup\n===\n~la la\n\n!LOUD\nNoises.\n\n@McCLANE\nYes [[a note]] sir.\n\n> Burn.\n' >"$W/marks.fountain"
rr script "$W/marks.fountain" --json
check "forcing marks: sections, synopsis, page break, lyrics, !, @ and >" python3 -c "
import json,sys; t=[e['type'] for e in json.load(open('$W/rr.out'))['elements']]
print('#', t); sys.exit(0 if t==['section','synopsis','page_break','lyrics','action','character','dialogue','transition'] else 1)"

rr script "$W/none.fountain"
check "a missing file: exit 1 and the path named" sh -c "[ $RC = 1 ] && grep -q 'none.fountain' '$W/rr.err'"
printf 'EXT. CAF\xc9 - DAY\n\nx\n' >"$W/latin1.fountain"
rr script "$W/latin1.fountain"
check "Latin-1 bytes: exit 1 with file:line and UTF-8 named" sh -c "[ $RC = 1 ] && grep -q 'latin1.fountain:1: byte 0xc9 is not UTF-8' '$W/rr.err'"
[ "$RC" = 1 ] || rr_diag
head -c 2000 /dev/urandom >"$W/noise.fountain" 2>/dev/null
printf '\0' >>"$W/noise.fountain"
rr script "$W/noise.fountain"
check "a binary file is refused, not parsed" test "$RC" = 1
rr script
check "no file named: usage error (exit 2)" test "$RC" = 2
rr script --help
check "--help teaches the forcing marks" grep -q "@Name" "$W/rr.out"

plan_done
