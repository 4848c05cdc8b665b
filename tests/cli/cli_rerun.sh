#!/usr/bin/env bash
# Incremental re-runs: the cache key is (agent, version, options, input artifact hashes, source
# size+mtime, declared variables), so a change re-runs exactly the tasks it reaches and nothing
# else; outputs of identical content keep their dependents cached. Counted from `reel run --json`.
. "$(dirname "$0")/lib.sh"
need_media real/cityCC0.mpg real/tree.avi real/cup.mp4

P=$W/proj
make_project "$P" real/cityCC0.mpg real/tree.avi real/cup.mp4 || bail "cannot make the project: $(cat "$W/init.out")"
ALL=$(all_tasks cityCC0 cup tree)
K=0

# run_json LABEL: reel --json run; leaves the events in $EV and fails the test on a non-zero exit.
run_json() {
    K=$((K + 1))
    EV=$W/run$K.json
    "$REEL_BIN" --json run "$P" >"$EV" 2>"$W/run$K.err"
    local rc=$?
    if [ $rc -ne 0 ]; then not_ok "$1: reel run exits 0" "exit $rc" "$(tail -5 "$W/run$K.err")"; fi
}

# cache_obj FILE: the object under .reel/cache with the same bytes as FILE.
cache_obj() {
    local f
    while IFS= read -r -d '' f; do cmp -s "$f" "$1" && { echo "$f"; return; }; done \
        < <(find "$P/.reel/cache" -type f -print0)
}

run_json "first run"
is "first run: every task done" "$(json_tasks "$EV" task_done)" "$ALL"
H0=$(hash_out "$P")
misnamed=""
n=0
while IFS= read -r -d '' f; do
    n=$((n + 1))
    h=$(b2sum -l 256 "$f" | cut -c1-64)
    b=$(basename "$f")
    d=$(basename "$(dirname "$f")")
    [ "${b%%.*}" = "$h" ] && [ "$d" = "${h:0:2}" ] || misnamed="$misnamed $d/$b"
done < <(find "$P/.reel/cache" -type f -print0)
if [ $n -ge 10 ] && [ -z "$misnamed" ]; then ok "every .reel/cache object ($n) is named xx/BLAKE2b-256 of its content"
else not_ok "every .reel/cache object is named xx/BLAKE2b-256 of its content" "objects: $n" "misnamed:$misnamed"; fi

run_json "second run"
is "second run with nothing changed: zero task_done" "$(json_events "$EV" task_done)" 0
is "second run: every task is task_cached" "$(json_tasks "$EV" task_cached)" "$ALL"
is "second run: out/ unchanged" "$(hash_out "$P")" "$H0"

# --- an agent option: agents: proxy: crf: 30 ----------------------------------------------------
cp "$P/reel.yaml" "$W/yaml.orig"
python3 - "$P/reel.yaml" <<'EOF' || bail "cannot edit reel.yaml"
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
# `agents:` holds only commented-out defaults: give it a real entry right under the key.
s2, n = re.subn(r"(?m)^agents:[ \t]*$", "agents:\n  proxy:\n    crf: 30", s, count=1)
if n != 1:
    sys.exit("no agents: line")
open(p, "w", encoding="utf-8").write(s2)
EOF
rr plan "$P"
check "reel.yaml with agents: proxy: crf: 30 loads (reel plan exits 0)" test $RC -eq 0
torun=$(grep -E ' to run ' "$W/rr.out" | awk '{print $1}' | sort | tr '\n' ' ')
is "plan: only the proxy tasks are to run after crf changed" "$torun" "proxy:cityCC0 proxy:cup proxy:tree "
run_json "crf 30"
is "crf 30: exactly the proxy tasks ran" "$(json_tasks "$EV" task_done)" "proxy:cityCC0 proxy:cup proxy:tree"
is "crf 30: task_done per agent (ingest proxy contact)" \
    "$(json_events "$EV" task_done ingest) $(json_events "$EV" task_done proxy) $(json_events "$EV" task_done contact)" "0 3 0"
H1=$(hash_out "$P")
changed=$(diff <(echo "$H0") <(echo "$H1") | grep '^>' | awk '{print $3}' | sort | tr '\n' ' ')
is "crf 30: the proxies changed, nothing else under out/" "$changed" \
    "./proxies/cityCC0.mp4 ./proxies/cup.mp4 ./proxies/tree.mp4 "
run_json "crf 30 again"
is "crf 30 again: zero task_done" "$(json_events "$EV" task_done)" 0

# back to the default: the old results come from the cache, byte for byte
cp "$W/yaml.orig" "$P/reel.yaml"
run_json "crf back to default"
is "crf back to the default: zero task_done (old results still cached)" "$(json_events "$EV" task_done)" 0
is "crf back to the default: out/ is byte-identical to the first run" "$(hash_out "$P")" "$H0"

# --- touch a footage file (same bytes, new mtime) ----------------------------------------------
sleep 0.01
touch "$P/footage/tree.avi"
run_json "touch tree.avi"
is "touch tree.avi: the agents that read it (ingest, dialogue, proxy) re-ran, nothing else" "$(json_tasks "$EV" task_done)" "dialogue:tree ingest:tree proxy:tree"
is "touch tree.avi: contact stays cached (its input, tree's poster, is byte-identical)" \
    "$(json_tasks "$EV" task_cached | tr ' ' '\n' | grep -c '^contact$')" 1
is "touch tree.avi: out/ byte-identical" "$(hash_out "$P")" "$H0"

# --- a scene variable: only the colour agent reads time_of_day; the render of its new look and the
# QC of that render follow ------------------------------------------------------------------------
cp "$P/out/grades/look.cube" "$W/look_noon.cube"
rr set "$P" time_of_day=night
check "reel set time_of_day=night exits 0" test $RC -eq 0
run_json "time_of_day=night"
is "time_of_day=night re-runs the colour task, then the render and its QC, nothing else" "$(json_tasks "$EV" task_done)" "color qc render"
check "time_of_day=night: the look changed" sh -c "! cmp -s '$W/look_noon.cube' '$P/out/grades/look.cube'"
rr set "$P" time_of_day=noon
run_json "time_of_day=noon"
is "back to noon: zero task_done (the noon grade is still cached)" "$(json_events "$EV" task_done)" 0
is "back to noon: out/ byte-identical to the first run" "$(hash_out "$P")" "$H0"
rr set "$P" mood=tense
run_json "mood=tense"
is "a new user variable (mood=tense) re-runs zero tasks (no agent reads it)" "$(json_events "$EV" task_done)" 0

# --- a deleted deliverable is restored from the cache ------------------------------------------
cp "$P/out/posters/cup.jpg" "$W/cup.jpg"
rm "$P/out/posters/cup.jpg"
run_json "poster deleted"
is "deleted out/posters/cup.jpg: zero task_done" "$(json_events "$EV" task_done)" 0
check "deleted out/posters/cup.jpg is restored byte-identical" cmp -s "$W/cup.jpg" "$P/out/posters/cup.jpg"
is "out/ byte-identical after the restore" "$(hash_out "$P")" "$H0"
echo tampered >"$P/out/analysis/cup.json"
run_json "deliverable overwritten"
is "an overwritten out/analysis/cup.json: zero task_done" "$(json_events "$EV" task_done)" 0
is "an overwritten deliverable is restored byte-identical" "$(hash_out "$P")" "$H0"

# --- a lost cache object -------------------------------------------------------------------------
# The proxy of cup: only that task re-runs; nothing reads proxies.
obj=$(cache_obj "$P/out/proxies/cup.mp4")
if [ -f "$obj" ]; then ok "the proxy of cup is in .reel/cache"
else not_ok "the proxy of cup is in .reel/cache" "$(find "$P/.reel/cache" | head)"; fi
rm -f "$obj"
rr plan "$P"
is "plan after losing the proxy object: only proxy:cup to run" \
    "$(grep -E ' to run ' "$W/rr.out" | awk '{print $1}' | tr '\n' ' ')" "proxy:cup "
run_json "proxy object lost"
is "lost proxy object: only proxy:cup re-ran" "$(json_tasks "$EV" task_done)" "proxy:cup"
check "lost proxy object: it is back in the cache" test -f "$obj"
is "lost proxy object: out/ byte-identical" "$(hash_out "$P")" "$H0"

# The poster of cityCC0: ingest:cityCC0 re-runs and writes identical bytes, so its dependents
# (proxy:cityCC0 reads the features, contact reads the posters) stay cached.
obj=$(cache_obj "$P/out/posters/cityCC0.jpg")
[ -f "$obj" ] || bail "no cache object for the cityCC0 poster"
rm -f "$obj"
run_json "poster object lost"
is "lost poster object: only ingest:cityCC0 re-ran" "$(json_tasks "$EV" task_done)" "ingest:cityCC0"
is "lost poster object: its dependents stay cached (identical content)" \
    "$(json_tasks "$EV" task_cached | tr ' ' '\n' | grep -cE '^(proxy:cityCC0|contact)$')" 2
is "lost poster object: out/ byte-identical" "$(hash_out "$P")" "$H0"

# A cache object truncated in place (same name, wrong size) is noticed too.
obj=$(cache_obj "$P/out/analysis/tree.json")
[ -f "$obj" ] || bail "no cache object for the tree features"
: >"$obj"
run_json "features object emptied"
is "an emptied features object: ingest:tree re-ran, dependents cached" "$(json_tasks "$EV" task_done)" "ingest:tree"
is "an emptied features object: out/ byte-identical" "$(hash_out "$P")" "$H0"

# --- the whole cache gone: everything re-runs, same bytes ----------------------------------------
rm -rf "$P/.reel/cache"
run_json "cache removed"
is "cache removed: every task re-ran" "$(json_tasks "$EV" task_done)" "$ALL"
is "cache removed: out/ byte-identical to the first run" "$(hash_out "$P")" "$H0"

plan_done
