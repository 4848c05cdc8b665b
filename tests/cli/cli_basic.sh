#!/usr/bin/env bash
# The everyday commands end to end on a small project (cityCC0.mpg + tree.avi): help, version,
# init, agents, plan, run, status, probe, ingest, set. The footage is checked after every
# command: reel must never write camera originals (content, size, mtime and mode kept).
. "$(dirname "$0")/lib.sh"
need_media real/cityCC0.mpg real/tree.avi

P=$W/proj
CLIPS="cityCC0 tree"
NCLIPS=2

# --- global options --------------------------------------------------------------------------
rr --help
if [ $RC -eq 0 ] && grep -q '^usage: reel' "$W/rr.out"; then ok "reel --help exits 0 with a usage line"
else not_ok "reel --help exits 0 with a usage line" "$(rr_diag)"; fi
missing=""
for c in init plan run status set agents probe ingest demo; do
    grep -qE "^  $c " "$W/rr.out" || missing="$missing $c"
done
is "reel --help lists every command" "$missing" ""
for c in init plan run status set agents probe ingest demo; do
    rr "$c" --help
    if [ $RC -eq 0 ] && grep -q "usage: reel $c" "$W/rr.out"; then :; else missing="$missing $c"; fi
done
is "reel CMD --help exits 0 with 'usage: reel CMD' for every command" "$missing" ""

rr --version
if [ $RC -eq 0 ] && grep -qE '^reel [0-9]+\.[0-9]+\.[0-9]+$' "$W/rr.out"; then ok "reel --version prints 'reel X.Y.Z'"
else not_ok "reel --version prints 'reel X.Y.Z'" "$(rr_diag)"; fi

rr frobnicate
if [ $RC -eq 2 ] && grep -q "unknown command 'frobnicate'" "$W/rr.err"; then ok "unknown command: exit 2, names it"
else not_ok "unknown command: exit 2, names it" "$(rr_diag)"; fi
rr --frobnicate
is "unknown global option: exit 2" "$RC" 2
rr
is "no command at all: exit 2" "$RC" 2

# --- init ------------------------------------------------------------------------------------
copy_footage "$P" real/cityCC0.mpg real/tree.avi || bail "cannot copy footage"
FOOT0=$(footage_state "$P")
footage_kept() { # after which command
    local now
    now=$(footage_state "$P")
    if [ "$now" = "$FOOT0" ]; then ok "footage untouched after $1"
    else not_ok "footage untouched after $1" "before: $FOOT0" "after:  $now"; fi
}

rr init "$P" --footage "$P/footage"
if [ $RC -eq 0 ] && [ -s "$P/reel.yaml" ]; then ok "reel init creates reel.yaml"
else not_ok "reel init creates reel.yaml" "$(rr_diag)"; fi
footage_kept "reel init"
grep -q '^footage:' "$P/reel.yaml" && grep -qE '^  - "?footage"?$' "$P/reel.yaml"
check "reel.yaml names the footage relative to the project" test $? -eq 0
check "init made nothing but reel.yaml (no .reel/, no out/)" test ! -e "$P/.reel" -a ! -e "$P/out"
small_delivery "$P"
cp "$P/reel.yaml" "$W/yaml0"

rr init "$P" --footage "$P/footage"
if [ $RC -eq 1 ] && grep -q 'already exists' "$W/rr.err" && cmp -s "$P/reel.yaml" "$W/yaml0"; then
    ok "init twice refuses (exit 1, 'already exists') and keeps reel.yaml"
else not_ok "init twice refuses (exit 1, 'already exists') and keeps reel.yaml" "$(rr_diag)"; fi
rr init "$W/other" --footage "$W/no-such-footage"
if [ $RC -eq 1 ] && grep -q 'no-such-footage' "$W/rr.err" && [ ! -e "$W/other/reel.yaml" ]; then
    ok "init with missing footage: exit 1, names it, writes nothing"
else not_ok "init with missing footage: exit 1, names it, writes nothing" "$(rr_diag)"; fi
rr init "$W/other"
is "init without --footage: usage error (exit 2)" "$RC" 2
footage_kept "failed inits"

# --- agents ----------------------------------------------------------------------------------
rr agents
missing=""
for a in ingest proxy contact; do grep -qE "^$a +v[0-9]+" "$W/rr.out" || missing="$missing $a"; done
if [ $RC -eq 0 ] && [ -z "$missing" ]; then ok "reel agents lists ingest, proxy, contact"
else not_ok "reel agents lists ingest, proxy, contact" "missing:$missing" "$(rr_diag)"; fi
rr agents ingest
if [ $RC -eq 0 ] && grep -qE '^ +analysis_width +int 32\.\.1920, default 320' "$W/rr.out"; then
    ok "reel agents ingest shows analysis_width with type, range, default"
else not_ok "reel agents ingest shows analysis_width with type, range, default" "$(rr_diag)"; fi
rr agents nosuchagent
if [ $RC -eq 2 ] && grep -q nosuchagent "$W/rr.err"; then ok "reel agents NAME of an unknown agent: exit 2"
else not_ok "reel agents NAME of an unknown agent: exit 2" "$(rr_diag)"; fi
rr --json agents
cp "$W/rr.out" "$W/agents.json"
rr agents --markdown
missing=$(python3 - "$W/agents.json" "$W/rr.out" <<'EOF'
import json, sys
md = open(sys.argv[2], encoding="utf-8").read()
miss = []
agents = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
if len(agents) < 3:
    miss.append("(reel --json agents listed %d agents)" % len(agents))
for a in agents:
    if "`%s`" % a["name"] not in md:
        miss.append(a["name"])
    for o in a["options"]:
        if "agents.%s.%s" % (a["name"], o["name"]) not in md:
            miss.append("agents.%s.%s" % (a["name"], o["name"]))
print(" ".join(miss))
EOF
)
if [ $RC -eq 0 ] && [ -z "$missing" ]; then ok "agents --markdown documents every agent and option"
else not_ok "agents --markdown documents every agent and option" "missing: $missing"; fi
footage_kept "reel agents"

# --- plan, run, status -----------------------------------------------------------------------
NTASKS=$(n_tasks $NCLIPS)
rr plan "$P"
torun=$(grep -cE '^[a-z_]+(:[^ ]+)? +to run' "$W/rr.out")
if [ $RC -eq 0 ] && [ "$torun" -eq $NTASKS ] && grep -q "^$NTASKS tasks over $NCLIPS clips: 0 cached, $NTASKS to run" "$W/rr.out"; then
    ok "plan shows $NTASKS tasks (every agent for $NCLIPS clips, plus project tasks), all 'to run'"
else not_ok "plan shows $NTASKS tasks (every agent for $NCLIPS clips, plus project tasks), all 'to run'" "$(rr_diag)"; fi
rr --json plan "$P"
got=$(python3 -c '
import json, sys
t = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(" ".join(sorted("%s=%s" % (o["id"], o["cached"]) for o in t)))' "$W/rr.out")
is "plan --json: every task, none cached" "$got" "$(for t in $(all_tasks cityCC0 tree); do printf '%s=False ' "$t"; done | sed 's/ $//')"
footage_kept "reel plan"

rr run "$P"
if [ $RC -eq 0 ] && grep -q "^finished: $NTASKS tasks: $NTASKS ran, 0 from cache, 0 failed" "$W/rr.out"; then
    ok "reel run exits 0, $NTASKS tasks ran"
else not_ok "reel run exits 0, $NTASKS tasks ran" "$(rr_diag)"; fi
footage_kept "reel run"
missing=""
for c in $CLIPS; do
    for f in "analysis/$c.json" "posters/$c.jpg" "proxies/$c.mp4"; do
        [ -s "$P/out/$f" ] || missing="$missing $f"
    done
done
[ -s "$P/out/contact_sheet.jpg" ] || missing="$missing contact_sheet.jpg"
is "run wrote out/analysis/*.json, posters/*.jpg, proxies/*.mp4, contact_sheet.jpg" "$missing" ""
bad=$(outputs_complete "$P")
is "every output is whole (media decodes, JSON parses)" "$bad" ""
tmpleft=$(find "$P/.reel/tmp" -mindepth 1 2>/dev/null | head -3)
is "nothing left in .reel/tmp after the run" "$tmpleft" ""

rr plan "$P"
cached=$(grep -cE ' cached ' "$W/rr.out")
if [ $RC -eq 0 ] && [ "$cached" -eq $NTASKS ] && grep -q "$NTASKS cached, 0 to run" "$W/rr.out"; then
    ok "plan after the run: every task cached"
else not_ok "plan after the run: every task cached" "$(rr_diag)"; fi

rr status "$P"
if [ $RC -eq 0 ] && grep -q "^tasks: $NTASKS done, 0 cached, 0 failed, 0 skipped, 0 pending" "$W/rr.out" &&
    grep -q "^last run: done, $NTASKS ran, 0 from cache" "$W/rr.out"; then
    ok "status reports $NTASKS done, last run done"
else not_ok "status reports $NTASKS done, last run done" "$(rr_diag)"; fi
rr --json status "$P"
got=$(python3 -c '
import json, sys
L = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
s = [o for o in L if o["type"] == "status"][0]
tasks = [o for o in L if o["type"] == "task"]
print(s["tasks"], s["done"], s["cached"], s["failed"], s["pending"], s["runs"], s["last_run"], len(tasks),
      all(o["state"] == "done" for o in tasks))' "$W/rr.out" 2>&1)
is "status --json: tasks done cached failed pending runs last_run, one line per task" "$got" \
    "$NTASKS $NTASKS 0 0 0 1 done $NTASKS True"
footage_kept "reel status"

rr --json run "$P"
cp "$W/rr.out" "$W/run2.json"
badjson=$(python3 -c '
import json, sys
for i, l in enumerate(open(sys.argv[1])):
    try: json.loads(l)
    except ValueError: print("line %d: %r" % (i + 1, l[:80]))' "$W/run2.json")
if [ $RC -eq 0 ] && [ -s "$W/run2.json" ] && [ -z "$badjson" ]; then ok "run --json: exit 0, every stdout line is JSON"
else not_ok "run --json: exit 0, every stdout line is JSON" "$badjson" "$(rr_diag)"; fi
is "run --json again: every task cached (task_cached events)" "$(json_tasks "$W/run2.json" task_cached)" \
    "$(all_tasks cityCC0 tree)"
is "run --json again: no task_done" "$(json_events "$W/run2.json" task_done)" 0
is "run --json: run_started and run_finished once each" \
    "$(json_events "$W/run2.json" run_started) $(json_events "$W/run2.json" run_finished)" "1 1"
is "status after the second run: runs=2, $NTASKS cached" "$(status_field "$P" runs) $(status_field "$P" cached)" "2 $NTASKS"
footage_kept "reel run --json"

# --- probe -----------------------------------------------------------------------------------
CITY=$P/footage/cityCC0.mpg
rr probe "$CITY"
if [ $RC -eq 0 ] && grep -q 'video: mpeg2video yuv420p 720x405' "$W/rr.out" && grep -q '25/1 fps' "$W/rr.out"; then
    ok "probe cityCC0.mpg: mpeg2video 720x405 25/1 fps"
else not_ok "probe cityCC0.mpg: mpeg2video 720x405 25/1 fps" "$(rr_diag)"; fi
for f in cityCC0.mpg tree.avi; do
    rr --json probe "$P/footage/$f"
    got=$(python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).read()); v = d["video"]
print(v["fps"], v["width"], v["height"], v["codec"])' "$W/rr.out" 2>&1)
    want=$(ffprobe -v error -select_streams v:0 -show_entries stream=r_frame_rate,width,height,codec_name \
        -of default=nw=1:nk=0 "$P/footage/$f" | python3 -c '
import sys
d = dict(l.strip().split("=", 1) for l in sys.stdin if "=" in l)
print(d["r_frame_rate"], d["width"], d["height"], d["codec_name"])')
    is "probe --json $f: fps rational, size, codec as ffprobe says" "$got" "$want"
done
rr --json probe "$CITY"
is "probe --json cityCC0.mpg: fps is \"25/1\"" "$(json_get "$W/rr.out" 'd["video"]["fps"]')" "25/1"
rr probe "$W/nothing-here.mp4"
if [ $RC -eq 1 ] && grep -q 'nothing-here.mp4' "$W/rr.err"; then ok "probe of a missing file: exit 1, names it"
else not_ok "probe of a missing file: exit 1, names it" "$(rr_diag)"; fi
footage_kept "reel probe"

# --- ingest ----------------------------------------------------------------------------------
rr ingest "$CITY" -o "$W/ing"
n=$(find "$W/ing" -type f | wc -l)
if [ $RC -eq 0 ] && [ "$n" -eq 3 ] && [ -s "$W/ing/cityCC0.json" ] && [ -s "$W/ing/cityCC0.frames.bin" ] &&
    [ -s "$W/ing/cityCC0.jpg" ]; then ok "ingest -o DIR writes NAME.json, NAME.frames.bin, NAME.jpg (3 files)"
else not_ok "ingest -o DIR writes NAME.json, NAME.frames.bin, NAME.jpg (3 files)" "$(ls -la "$W/ing" 2>&1)" "$(rr_diag)"; fi
footage_kept "reel ingest"
frames=$(json_get "$W/ing/cityCC0.json" 'd["video"]["frames"]' 2>&1)
ff=$(ffprobe -v error -select_streams v:0 -count_frames -show_entries stream=nb_read_frames -of default=nw=1:nk=1 "$CITY")
is "features video.frames equals ffprobe -count_frames ($ff)" "$frames" "$ff"
got=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); v = d["video"]
ok = (d["clip"] == "cityCC0" and v["analysis_width"] == 320 and 0 <= v["luma_min"] <= v["luma_mean"] <= v["luma_max"] <= 1
      and d["audio"] is None and d["decode"]["corrupt_packets"] == 0)
print("sane" if ok else d)' "$W/ing/cityCC0.json" 2>&1)
is "features JSON sane (analysis_width 320, 0<=luma min<=mean<=max<=1, no audio, no corruption)" "$got" sane
fmt=$(ffprobe -v error -show_entries stream=codec_name -of default=nw=1:nk=1 "$W/ing/cityCC0.jpg")
is "ingest's NAME.jpg poster is a JPEG (ffprobe codec)" "$fmt" mjpeg
if cmp -s "$W/ing/cityCC0.jpg" "$P/out/posters/cityCC0.jpg"; then ok "ingest's poster is byte-identical to the project run's"
else not_ok "ingest's poster is byte-identical to the project run's" "$(file "$W/ing/cityCC0.jpg" "$P/out/posters/cityCC0.jpg" 2>&1)"; fi
mkdir -p "$W/cwd"
(cd "$W/cwd" && "$REEL_BIN" --quiet ingest "$CITY" >/dev/null 2>&1)
n=$(find "$W/cwd" -type f | wc -l)
is "ingest without -o writes its 3 files into the working directory" "$n" 3
rr ingest "$CITY" --width 8
is "ingest --width 8: usage error (exit 2)" "$RC" 2

# --- proxy -----------------------------------------------------------------------------------
for c in $CLIPS; do
    src=$(ls "$P/footage/$c".*)
    codec=$(ffprobe -v error -select_streams v:0 -show_entries stream=codec_name -of default=nw=1:nk=1 "$P/out/proxies/$c.mp4")
    h=$(ffprobe -v error -select_streams v:0 -show_entries stream=height -of default=nw=1:nk=1 "$P/out/proxies/$c.mp4")
    sh=$(ffprobe -v error -select_streams v:0 -show_entries stream=height -of default=nw=1:nk=1 "$src")
    got="$codec ${h}p"
    if [ "$codec" = h264 ] && [ "$h" -le 540 ] && [ "$h" -le "$sh" ]; then ok "proxy $c is H.264, ${h}p <= 540 and <= source ${sh}p"
    else not_ok "proxy $c is H.264, <= 540p, never upscaled" "proxy: $got source height: $sh"; fi
    pd=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$P/out/proxies/$c.mp4")
    sd=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$src")
    if python3 -c "import sys; sys.exit(abs($pd - $sd) > 0.1)"; then ok "proxy $c duration $pd within 0.1 s of source $sd"
    else not_ok "proxy $c duration within 0.1 s of the source" "proxy $pd source $sd"; fi
done

# --- set -------------------------------------------------------------------------------------
cp "$P/reel.yaml" "$W/yaml1"
rr set "$P" time_of_day=sunset
changed=$(diff "$W/yaml1" "$P/reel.yaml" | grep -c '^[<>]')
if [ $RC -eq 0 ] && grep -qE '^  time_of_day: sunset$' "$P/reel.yaml" && [ "$changed" -eq 2 ]; then
    ok "set time_of_day=sunset edits exactly that line of reel.yaml"
else not_ok "set time_of_day=sunset edits exactly that line of reel.yaml" "$(diff "$W/yaml1" "$P/reel.yaml")" "$(rr_diag)"; fi
check "set keeps the comments (the 'Scene variables' comment is still there)" \
    grep -q '^# Scene variables. Change one with `reel set' "$P/reel.yaml"
ncom0=$(grep -c '^ *#' "$W/yaml1")
ncom1=$(grep -c '^ *#' "$P/reel.yaml")
is "set keeps every comment line" "$ncom1" "$ncom0"
cp "$P/reel.yaml" "$W/yaml2"
rr set "$P" time_of_day=teatime
if [ $RC -ne 0 ] && grep -q teatime "$W/rr.err" && grep -q 'dawn' "$W/rr.err" && grep -q 'day_for_night' "$W/rr.err"; then
    ok "set time_of_day=teatime fails, listing the valid values"
else not_ok "set time_of_day=teatime fails, listing the valid values" "$(rr_diag)"; fi
check "a refused set leaves reel.yaml byte-identical" cmp -s "$W/yaml2" "$P/reel.yaml"
rr set "$P" mood=tense
if [ $RC -eq 0 ] && grep -qE '^  mood: tense$' "$P/reel.yaml" && grep -qE '^  time_of_day: sunset$' "$P/reel.yaml"; then
    ok "set mood=tense adds a user variable beside time_of_day"
else not_ok "set mood=tense adds a user variable beside time_of_day" "$(diff "$W/yaml2" "$P/reel.yaml")" "$(rr_diag)"; fi
rr set "$P" Mood=tense
if [ $RC -ne 0 ] && grep -q Mood "$W/rr.err" && ! grep -q Mood "$P/reel.yaml"; then ok "set of an invalid variable name fails and names it"
else not_ok "set of an invalid variable name fails and names it" "$(rr_diag)"; fi
rr set "$P" notanassignment
is "set NAME without =VALUE: usage error (exit 2)" "$RC" 2
rr plan "$P"
is "the edited brief still loads (reel plan exits 0)" "$RC" 0
footage_kept "reel set"

plan_done
