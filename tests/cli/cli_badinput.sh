#!/usr/bin/env bash
# Bad inputs: broken media beside one good clip, and broken briefs. Each must give a clear message
# (the file name and a reason), the documented exit status (0 done, 1 error, 2 usage, 3 finished
# with failed tasks), leave footage/ untouched and out/ without partial or broken files, and keep
# working for everything that can be read.
. "$(dirname "$0")/lib.sh"
need_media real/tree.avi real/cup.mp4 bad/zero-byte.mov bad/truncated.mp4 bad/truncated-faststart.mp4 \
    bad/text.mov bad/wrong-ext.mov bad/corrupted.mp4 bad/subtitle-only.mp4 "bad/clip with spaces é 名.mp4"

GOOD=tree # real/tree.avi, the readable clip in every project
K=0

# clip_cell P CLIP: the contact sheet cell of CLIP: "picture" true/false, or "absent".
clip_cell() {
    python3 -c '
import json, sys
try:
    cells = json.load(open(sys.argv[1]))["cells"]
except Exception as e:
    print("no index (%s)" % e.__class__.__name__); sys.exit()
c = [x for x in cells if x["clip"] == sys.argv[2]]
print(("picture" if c[0]["picture"] else "empty") if c else "absent")' "$1/out/contact_sheet.json" "$2"
}

# common_checks P LABEL: footage untouched, out/ whole, good clip complete, tmp clean.
common_checks() {
    local P=$1 label=$2 now bad missing="" f
    now=$(footage_state "$P")
    if [ "$now" = "$FOOT0" ]; then ok "$label: footage/ untouched"
    else not_ok "$label: footage/ untouched" "before: $FOOT0" "after:  $now"; fi
    if no_partials "$P"; then ok "$label: no *.partial under out/"
    else not_ok "$label: no *.partial under out/" "$(find "$P/out" -name '*.partial')"; fi
    bad=$(outputs_complete "$P")
    is "$label: every file under out/ is whole (ffmpeg decodes media, JSON parses)" "$bad" ""
    for f in "analysis/$GOOD.json" "posters/$GOOD.jpg" "proxies/$GOOD.mp4" contact_sheet.jpg contact_sheet.json; do
        [ -s "$P/out/$f" ] || missing="$missing $f"
    done
    is "$label: the good clip's outputs and the contact sheet are there" "$missing" ""
    is "$label: the contact sheet shows the good clip's poster" "$(clip_cell "$P" "$GOOD")" picture
    is "$label: .reel/tmp is empty afterwards" "$(find "$P/.reel/tmp" -mindepth 1 2>/dev/null | head -3)" ""
}

# bad_clip SRC_REL NAME_IN_FOOTAGE CLIP REASON_REGEX: a clip that must fail with REASON.
bad_clip() {
    local src=$1 fname=$2 clip=$3 reason=$4
    K=$((K + 1))
    local P=$W/bad$K label="$fname"
    copy_footage "$P" real/tree.avi || bail "copy failed"
    cp -p "$REEL_MEDIA/$src" "$P/footage/$fname" || bail "copy failed"
    "$REEL_BIN" -q init "$P" --footage "$P/footage" >/dev/null 2>&1 || bail "init failed"
    small_delivery "$P"
    FOOT0=$(footage_state "$P")
    rr run "$P"
    is "$label: run finishes with failed tasks (exit 3)" "$RC" 3
    if grep -qF "$fname" "$W/rr.err" && grep -qiE "$reason" "$W/rr.err"; then
        ok "$label: the run names the file and the reason (/$reason/)"
    else not_ok "$label: the run names the file and the reason (/$reason/)" "$(rr_diag)"; fi
    rr status "$P"
    if grep -E "^  ingest:$clip +failed " "$W/rr.out" | grep -F "$fname" | grep -qiE "$reason"; then
        ok "$label: reel status shows ingest:$clip failed with the file and the reason"
    else not_ok "$label: reel status shows ingest:$clip failed with the file and the reason" "$(rr_diag)"; fi
    if grep -qE "^  proxy:$clip +skipped +an input failed" "$W/rr.out"; then ok "$label: its proxy is skipped, saying why"
    else not_ok "$label: its proxy is skipped, saying why" "$(rr_diag)"; fi
    local deps=$(( $(agents_of clip | wc -w) - 1 )) # the clip's other agents all wait on ingest
    is "$label: status --json counts 1 failed, $deps skipped, last run failed" \
        "$(status_field "$P" failed) $(status_field "$P" skipped) $(status_field "$P" last_run)" "1 $deps failed"
    is "$label: nothing published for the failed clip" "$(find "$P/out" -name "$clip.*" | head -3)" ""
    is "$label: the contact sheet has no picture of the failed clip" "$(clip_cell "$P" "$clip")" absent
    common_checks "$P" "$label"
}

# readable_clip SRC_REL NAME CLIP WARN_REGEX: damaged but readable; must finish, warning or failing clearly.
damaged_clip() {
    local src=$1 fname=$2 clip=$3 warn=$4
    K=$((K + 1))
    local P=$W/bad$K label="$fname"
    copy_footage "$P" real/tree.avi || bail "copy failed"
    cp -p "$REEL_MEDIA/$src" "$P/footage/$fname" || bail "copy failed"
    "$REEL_BIN" -q init "$P" --footage "$P/footage" >/dev/null 2>&1 || bail "init failed"
    small_delivery "$P"
    FOOT0=$(footage_state "$P")
    rr run "$P"
    if [ $RC -eq 0 ] && grep -F "$fname" "$W/rr.err" | grep -qiE "$warn"; then
        ok "$label: run succeeds (exit 0) with a warning naming the file (/$warn/)"
        local n
        n=$(json_get "$P/out/analysis/$clip.json" 'd["decode"]["corrupt_packets"]' 2>&1)
        if [ "$n" -gt 0 ] 2>/dev/null; then ok "$label: its features record $n corrupt packets"
        else not_ok "$label: its features record the corrupt packets" "decode.corrupt_packets: $n"; fi
        is "$label: the damaged clip has its poster in the contact sheet" "$(clip_cell "$P" "$clip")" picture
    elif [ $RC -eq 3 ] && grep -F "$fname" "$W/rr.err" | grep -qiE 'corrupt|damaged|invalid|truncated'; then
        ok "$label: run reports the damaged clip clearly (exit 3)"
        skip "$label: its features record the corrupt packets" "the clip was refused"
        skip "$label: the damaged clip has its poster in the contact sheet" "the clip was refused"
    else
        not_ok "$label: succeeds with a warning, or fails with a clear reason" "$(rr_diag)"
    fi
    common_checks "$P" "$label"
}

# readable_clip SRC_REL NAME CLIP: must work like any good clip.
good_clip() {
    local src=$1 fname=$2 clip=$3 extra_label=$4
    K=$((K + 1))
    local P=$W/bad$K label="$fname"
    copy_footage "$P" real/tree.avi || bail "copy failed"
    cp -p "$REEL_MEDIA/$src" "$P/footage/$fname" || bail "copy failed"
    "$REEL_BIN" -q init "$P" --footage "$P/footage" >/dev/null 2>&1 || bail "init failed"
    small_delivery "$P"
    FOOT0=$(footage_state "$P")
    rr run "$P"
    local nt=$(n_tasks 2)
    if [ $RC -eq 0 ] && grep -q "^finished: $nt tasks: $nt ran, 0 from cache, 0 failed, 0 skipped" "$W/rr.out"; then
        ok "$label: $extra_label: the run succeeds (exit 0, $nt tasks ran)"
    else not_ok "$label: $extra_label: the run succeeds (exit 0, $nt tasks ran)" "$(rr_diag)"; fi
    [ -s "$P/out/analysis/$clip.json" ] && [ -s "$P/out/proxies/$clip.mp4" ]
    check "$label: its analysis and proxy are published under its own name" test $? -eq 0
    common_checks "$P" "$label"
    LAST_P=$P
}

bad_clip bad/zero-byte.mov zero-byte.mov zero-byte 'empty'
bad_clip bad/truncated.mp4 truncated.mp4 truncated 'truncated|incomplete'
bad_clip bad/text.mov text.mov text 'not a media file'
bad_clip bad/subtitle-only.mp4 subtitle-only.mp4 subtitle-only 'no video or audio'
damaged_clip bad/corrupted.mp4 corrupted.mp4 corrupted 'corrupt'
damaged_clip bad/truncated-faststart.mp4 truncated-faststart.mp4 truncated-faststart 'corrupt|truncated|missing'

good_clip bad/wrong-ext.mov wrong-ext.mov wrong-ext "a WAV named .mov is read by content"
fmt=$(json_get "$LAST_P/out/analysis/wrong-ext.json" 'd["probe"]["format"] + " " + str(d["video"]) + " " + str(d["audio"] is not None)' 2>&1)
is "wrong-ext.mov: analysed as wav audio (no video, audio features present)" "$fmt" "wav None True"
is "wrong-ext.mov: an audio-only clip gets an empty contact-sheet cell" "$(clip_cell "$LAST_P" wrong-ext)" empty

good_clip "bad/clip with spaces é 名.mp4" "clip with spaces é 名.mp4" "clip with spaces é 名" "spaces and unicode in the name"
[ -s "$LAST_P/out/posters/clip with spaces é 名.jpg" ]
check "spaces/unicode: poster published as 'posters/clip with spaces é 名.jpg'" test $? -eq 0
rr status "$LAST_P"
check "spaces/unicode: reel status works" test $RC -eq 0

# An unreadable copy (chmod 000). As root (CI) permissions are not enforced: then it must simply work.
K=$((K + 1))
P=$W/bad$K
copy_footage "$P" real/tree.avi real/cup.mp4 || bail "copy failed"
mv "$P/footage/cup.mp4" "$P/footage/unreadable.mp4"
chmod 000 "$P/footage/unreadable.mp4"
"$REEL_BIN" -q init "$P" --footage "$P/footage" >/dev/null 2>&1 || bail "init failed"
    small_delivery "$P"
FOOT0=$(footage_state "$P")
rr run "$P"
if [ -r "$P/footage/unreadable.mp4" ]; then
    skip "unreadable.mp4: fails with 'Permission denied'" "root ignores permissions"
    if [ $RC -eq 0 ] && [ -s "$P/out/proxies/unreadable.mp4" ]; then ok "unreadable.mp4 (readable to root): the run succeeds"
    else not_ok "unreadable.mp4 (readable to root): the run succeeds" "$(rr_diag)"; fi
else
    if [ $RC -eq 3 ] && grep -F unreadable.mp4 "$W/rr.err" | grep -qiE 'permission'; then
        ok "unreadable.mp4: exit 3, names the file and 'permission'"
    else not_ok "unreadable.mp4: exit 3, names the file and 'permission'" "$(rr_diag)"; fi
    rr status "$P"
    if grep -E '^  ingest:unreadable +failed' "$W/rr.out" | grep -qi permission; then ok "unreadable.mp4: status says permission"
    else not_ok "unreadable.mp4: status says permission" "$(rr_diag)"; fi
fi
common_checks "$P" "unreadable.mp4"
chmod 644 "$P/footage/unreadable.mp4"

# All bad files in one project: still finishes, every bad clip listed, the good clips all done.
K=$((K + 1))
P=$W/bad$K
copy_footage "$P" real/tree.avi bad/zero-byte.mov bad/truncated.mp4 bad/text.mov bad/subtitle-only.mp4 \
    bad/corrupted.mp4 bad/wrong-ext.mov "bad/clip with spaces é 名.mp4" || bail "copy failed"
"$REEL_BIN" -q init "$P" --footage "$P/footage" >/dev/null 2>&1 || bail "init failed"
    small_delivery "$P"
FOOT0=$(footage_state "$P")
rr run "$P"
is "all bad files together: exit 3" "$RC" 3
rr --json status "$P"
got=$(python3 -c '
import json, sys
L = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(" ".join(sorted(o["id"] for o in L if o.get("state") == "failed")))' "$W/rr.out")
is "all bad files together: exactly the four unreadable clips failed" "$got" \
    "ingest:subtitle-only ingest:text ingest:truncated ingest:zero-byte"
common_checks "$P" "all bad files together"
n=$(python3 -c 'import json,sys; print(sum(c["picture"] for c in json.load(open(sys.argv[1]))["cells"]))' \
    "$P/out/contact_sheet.json" 2>&1)
is "all bad files together: the contact sheet has the 3 readable clips with pictures" "$n" 3

# --- broken briefs ---------------------------------------------------------------------------
# brief_case LABEL EDIT_CMD LINE_REGEX WORD...: exit 1, message has reel.yaml:LINE and each WORD,
# and nothing (.reel/, out/) is created.
brief_case() {
    local label=$1 edit=$2 where=$3
    shift 3
    K=$((K + 1))
    local P=$W/brief$K w missing=""
    make_project "$P" real/tree.avi || bail "project failed"
    (cd "$P" && eval "$edit") || bail "edit failed: $edit"
    local line
    line=$(grep -nE "$where" "$P/reel.yaml" | head -1 | cut -d: -f1)
    [ -n "$line" ] || bail "$label: no line matches /$where/"
    for cmd in run plan; do
        rr "$cmd" "$P"
        missing=""
        grep -qF "reel.yaml:$line" "$W/rr.err" || missing="reel.yaml:$line"
        for w in "$@"; do grep -qF -- "$w" "$W/rr.err" || missing="$missing '$w'"; done
        if [ $RC -eq 1 ] && [ -z "$missing" ]; then ok "brief $label: reel $cmd exits 1 naming reel.yaml:$line and $*"
        else not_ok "brief $label: reel $cmd exits 1 naming reel.yaml:$line and $*" "missing: $missing" "$(rr_diag)"; fi
    done
    check "brief $label: no .reel/ and no out/ created" test ! -e "$P/.reel" -a ! -e "$P/out"
}

brief_case "tab indentation" "sed -i 's/^  - footage\$/\t- footage/' reel.yaml" $'^\t- footage' tab
brief_case "unknown key" "sed -i '1a colour: blue' reel.yaml" '^colour:' "'colour'"
brief_case "negative budget" "sed -i '/^budget:/,/^  cpu_seconds:/d' reel.yaml && echo 'budget: {cpu_seconds: -5}' >>reel.yaml" \
    '^budget:' cpu_seconds -5
brief_case "wrong type" "sed -i 's/^threads: 0/threads: lots/' reel.yaml" '^threads: lots' threads lots
brief_case "agent option out of range" "sed -i '/^agents:/d' reel.yaml && printf 'agents:\n  proxy:\n    crf: 99\n' >>reel.yaml" \
    '^    crf: 99' crf 99
brief_case "unknown agent" "sed -i '/^agents:/d' reel.yaml && printf 'agents:\n  grader:\n    strength: 1\n' >>reel.yaml" \
    '^  grader:' "'grader'" ingest
brief_case "duplicate key" "echo 'threads: 2' >>reel.yaml" '^threads: 2' "'threads'" twice

# a missing footage folder
K=$((K + 1))
P=$W/brief$K
make_project "$P" real/tree.avi || bail "project failed"
sed -i 's/^  - footage$/  - rushes/' "$P/reel.yaml"
rr run "$P"
if [ $RC -eq 1 ] && grep -q "rushes' does not exist" "$W/rr.err"; then ok "missing footage folder: exit 1, names it"
else not_ok "missing footage folder: exit 1, names it" "$(rr_diag)"; fi
check "missing footage folder: no .reel/ and no out/ created" test ! -e "$P/.reel" -a ! -e "$P/out"

# a project folder that does not exist
rr run "$W/no-such-project"
if [ $RC -eq 1 ] && grep -q "no-such-project: no such project folder" "$W/rr.err"; then
    ok "project folder that does not exist: exit 1, names it"
else not_ok "project folder that does not exist: exit 1, names it" "$(rr_diag)"; fi
check "project folder that does not exist: not created" test ! -e "$W/no-such-project"
rr status "$W/no-such-project"
is "status of a project folder that does not exist: exit 1" "$RC" 1
check "status of a missing project folder does not create it" test ! -e "$W/no-such-project"

# a folder without reel.yaml
mkdir -p "$W/empty"
rr run "$W/empty"
if [ $RC -eq 1 ] && grep -q 'no reel.yaml' "$W/rr.err" && grep -q 'reel init' "$W/rr.err"; then
    ok "run with no reel.yaml: exit 1, suggests reel init"
else not_ok "run with no reel.yaml: exit 1, suggests reel init" "$(rr_diag)"; fi
is "run with no reel.yaml: nothing created" "$(ls -A "$W/empty")" ""

# usage errors: exit 2, nothing created
K=$((K + 1))
P=$W/brief$K
make_project "$P" real/tree.avi || bail "project failed"
rr run
is "run without a folder: exit 2" "$RC" 2
rr run "$P" "$P"
is "run with two folders: exit 2" "$RC" 2
rr run "$P" --threads 999
is "run --threads 999: exit 2" "$RC" 2
rr run "$P" --bogus
is "run --bogus: exit 2" "$RC" 2
check "usage errors create no .reel/ and no out/" test ! -e "$P/.reel" -a ! -e "$P/out"

plan_done
