#!/usr/bin/env bash
# Determinism: the same project run with --threads 1 and --threads 2 gives byte-identical out/,
# the same cache objects and the same task results (reel status --json, timing fields ignored).
. "$(dirname "$0")/lib.sh"
need_media real/cityCC0.mpg real/cup.mp4 real/tree.avi real/goforward.wav synth/540p25.mp4

# Every run happens at the same path ($W/proj), one after the other, from a pristine copy: the
# features JSON records the clip's absolute path, so copies at different paths differ there
# (checked separately at the end).
P=$W/proj
copy_footage "$W/pristine" real/cityCC0.mpg real/cup.mp4 real/tree.avi real/goforward.wav synth/540p25.mp4 ||
    bail "cannot copy footage"
"$REEL_BIN" -q init "$W/pristine" --footage "$W/pristine/footage" >/dev/null 2>&1 || bail "init failed"
small_delivery "$W/pristine"

# tasks DIR: id, state and message of every task, sorted (cpu_s left out).
tasks() {
    "$REEL_BIN" --json status "$1" | python3 -c '
import json, sys
rows = []
for l in sys.stdin:
    o = json.loads(l)
    if o["type"] == "task":
        rows.append("%s %s %s" % (o["id"], o["state"], o["message"]))
print("\n".join(sorted(rows)))'
}
objects() { (cd "$1/.reel/cache" && find . -type f | LC_ALL=C sort); }

# run_at NAME ARGS...: fresh copy at $P, reel run ARGS, then moved to $W/NAME.
run_at() {
    local name=$1
    shift
    rm -rf "$P"
    cp -a "$W/pristine" "$P"
    rr run "$P" "$@"
    if [ $RC -eq 0 ]; then ok "reel run $* exits 0"
    else not_ok "reel run $* exits 0" "$(rr_diag)"; fi
    mv "$P" "$W/$name"
}

run_at t1 --threads 1
run_at t2 --threads 2
run_at t2b --threads 2

n=$(hash_out "$W/t1" | wc -l)
check "the run published outputs ($n files)" test "$n" -ge 15
d=$(diff <(hash_out "$W/t1") <(hash_out "$W/t2"))
if [ -z "$d" ]; then ok "out/ byte-identical with --threads 1 and --threads 2"
else not_ok "out/ byte-identical with --threads 1 and --threads 2" "$d"; fi
d=$(diff <(hash_out "$W/t2") <(hash_out "$W/t2b"))
if [ -z "$d" ]; then ok "out/ byte-identical over two runs with --threads 2"
else not_ok "out/ byte-identical over two runs with --threads 2" "$d"; fi
d=$(diff <(objects "$W/t1") <(objects "$W/t2"))
if [ -z "$d" ]; then ok ".reel/cache holds the same content-addressed objects with 1 and 2 threads"
else not_ok ".reel/cache holds the same content-addressed objects with 1 and 2 threads" "$d"; fi
t1=$(tasks "$W/t1")
t2=$(tasks "$W/t2")
if [ -n "$t1" ] && [ "$t1" = "$t2" ]; then ok "reel status --json task results identical (id, state, message)"
else not_ok "reel status --json task results identical (id, state, message)" "$(diff <(echo "$t1") <(echo "$t2"))"; fi
is "every task done ($(echo "$t1" | wc -l) tasks)" "$(echo "$t1" | grep -vc ' done None$')" 0

# The brief's threads: key is used when --threads is absent.
rm -rf "$P"
cp -a "$W/pristine" "$P"
sed -i 's/^threads: 0$/threads: 1/' "$P/reel.yaml"
rr run "$P"
check "threads: 1 in reel.yaml: run exits 0" test $RC -eq 0
mv "$P" "$W/t1yaml"
d=$(diff <(hash_out "$W/t1") <(hash_out "$W/t1yaml"))
if [ -z "$d" ]; then ok "out/ byte-identical with threads: 1 from reel.yaml"
else not_ok "out/ byte-identical with threads: 1 from reel.yaml" "$d"; fi

# A copy of the project at another path: same content, so the same outputs would be expected.
cp -a "$W/pristine" "$W/elsewhere"
"$REEL_BIN" -q run "$W/elsewhere" --threads 2 >/dev/null 2>&1
d=$(diff <(hash_out "$W/t2") <(hash_out "$W/elsewhere"))
[ -n "$d" ] && diag "$d"
check "a copy of the project at another path gives byte-identical out/" test -z "$d"

# Moving a project keeps its cache: paths inside it are recorded relative to it.
mv "$W/elsewhere" "$W/moved"
ran=$("$REEL_BIN" run "$W/moved" --json 2>/dev/null | grep -c '"type":"task_done"')
check "a moved project reruns nothing (ran $ran tasks)" test "$ran" -eq 0

plan_done
