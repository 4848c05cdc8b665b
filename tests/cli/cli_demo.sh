#!/usr/bin/env bash
# `reel demo`: builds a project from the real media and runs it end to end; a second demo run on
# the same folder does no work.
. "$(dirname "$0")/lib.sh"
need_media real/cityCC0.mpg real/tree.avi real/vtest.avi real/Megamind.avi real/cup.mp4 real/box.mp4 \
    real/Front_Center.wav real/goforward.wav

D=$W/demo
rr demo "$D" --media "$REEL_MEDIA"
cp "$W/rr.out" "$W/demo1.out"
if [ $RC -eq 0 ]; then ok "reel demo DIR --media \$REEL_MEDIA exits 0"
else not_ok "reel demo DIR --media \$REEL_MEDIA exits 0" "$(rr_diag)"; fi
nclips=$(sed -n 's/^demo project .*: \([0-9]*\) clips of real footage and speech$/\1/p' "$W/demo1.out")
is "demo says it made 8 clips (every demo clip is present in the media)" "$nclips" 8
nfoot=$(find "$D/footage" -type f ! -name '.*' | wc -l)
is "the demo footage folder holds the 8 clips" "$nfoot" 8
check "the demo has a reel.yaml and a script.fountain" test -s "$D/reel.yaml" -a -s "$D/script.fountain"
if grep -q '^deliverables:$' "$W/demo1.out" && grep -qF "$D/out/contact_sheet.jpg (" "$W/demo1.out"; then
    ok "demo prints the deliverables, the contact sheet among them"
else not_ok "demo prints the deliverables, the contact sheet among them" "$(tail -20 "$W/demo1.out")"; fi
listed=$(grep -cE "^  $D/out/.* \([0-9.]+ kB\)$" "$W/demo1.out")
real=$(find "$D/out" -type f | wc -l)
is "every file under out/ is listed once among the deliverables" "$listed" "$real"
NT=$(n_tasks 8) # the demo's 8 clips
is "all $NT tasks ran" "$(grep -c "^finished: $NT tasks: $NT ran, 0 from cache, 0 failed, 0 skipped" "$W/demo1.out")" 1
missing=""
for f in contact_sheet.jpg contact_sheet.json analysis/vtest.json posters/cityCC0.jpg proxies/box.mp4 analysis/goforward.json \
    grades/look.cube grades/shots.ccc grades/shots.edl grades/grade.json grades/before_after.jpg; do
    [ -s "$D/out/$f" ] || missing="$missing $f"
done
is "demo outputs exist (contact sheet, analysis, posters, proxies, grades)" "$missing" ""
check "the demo's look is fitted to its reference still (looks/room.png, 16 bits)" sh -c \
    "grep -A1 '^looks:\$' '$D/reel.yaml' | grep -q '^  - looks/room.png\$' && grep -q '\"look\": \"reference\"' '$D/out/grades/grade.json' && grep -q '16-bit' '$D/out/grades/grade.json'"
bad=$(outputs_complete "$D")
is "every output is whole (media decodes, JSON parses)" "$bad" ""

# The contact sheet: a JPEG of cols*(cell+8)+8 by rows*(cell*9/16+8)+8 (4 columns of 320x180).
CS=$D/out/contact_sheet.jpg
codec=$(ffprobe -v error -show_entries stream=codec_name -of default=nw=1:nk=1 "$CS")
is "contact_sheet.jpg is a JPEG (ffprobe: mjpeg)" "$codec" mjpeg
check "contact_sheet.jpg starts with the JPEG SOI marker and ends with EOI" \
    test "$(head -c 2 "$CS" | od -An -tx1 | tr -d ' ')" = ffd8 -a "$(tail -c 2 "$CS" | od -An -tx1 | tr -d ' ')" = ffd9
size=$(ffprobe -v error -show_entries stream=width,height -of csv=s=x:p=0 "$CS")
want=$(python3 -c "
n, cols, cw = $nfoot, 4, 320
ch = (cw * 9 // 16) & ~1
cols = min(cols, n)
rows = (n + cols - 1) // cols
print('%dx%d' % (cols * (cw + 8) + 8, rows * (ch + 8) + 8))")
is "contact sheet size matches 4 columns x 2 rows of 320x180 cells ($want)" "$size" "$want"
cells=$(json_get "$D/out/contact_sheet.json" '"%d %d" % (len(d["cells"]), sum(c["picture"] for c in d["cells"]))' 2>&1)
is "contact_sheet.json: 8 cells, 6 with pictures (the 2 wavs have none)" "$cells" "8 6"
order=$(json_get "$D/out/contact_sheet.json" '" ".join(c["clip"] for c in d["cells"])' 2>&1)
want=$(cd "$D/footage" && LC_ALL=C ls | sed 's/\.[^.]*$//' | tr '\n' ' ' | sed 's/ $//')
is "contact_sheet.json: cells in clip order (footage sorted by path)" "$order" "$want"
geom=$(json_get "$D/out/contact_sheet.json" '" ".join("%d,%d" % (c["x"], c["y"]) for c in d["cells"])' 2>&1)
is "contact_sheet.json: cells laid out 4 per row with 8 px gaps" "$geom" \
    "8,8 336,8 664,8 992,8 8,196 336,196 664,196 992,196"

H1=$(hash_out "$D")
"$REEL_BIN" --json demo "$D" --media "$REEL_MEDIA" >"$W/demo2.json" 2>"$W/demo2.err"
rc=$?
is "reel demo again on the same folder: exit 0" "$rc" 0
is "reel demo again: zero tasks run" "$(json_events "$W/demo2.json" task_done)" 0
is "reel demo again: all $NT tasks cached" "$(json_events "$W/demo2.json" task_cached)" "$NT"
is "reel demo again: out/ unchanged" "$(hash_out "$D")" "$H1"
is "reel demo again: the footage copies are not re-copied (still 8 files)" \
    "$(find "$D/footage" -type f | wc -l)" 8

rr demo "$W/demo-nomedia" --media "$W/no-media-here"
if [ $RC -eq 1 ] && grep -q 'fetch-media.sh' "$W/rr.err"; then ok "demo without media: exit 1, points at scripts/fetch-media.sh"
else not_ok "demo without media: exit 1, points at scripts/fetch-media.sh" "$(rr_diag)"; fi

plan_done
