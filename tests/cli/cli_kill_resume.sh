#!/usr/bin/env bash
# kill -9 at random moments, then resume. After every kill each file under out/ is either absent
# or byte-identical to the uninterrupted reference run (never partial), and the final run
# completes to exactly the reference bytes. Set REEL_KILL_SEED to replay a sequence of delays.
. "$(dirname "$0")/lib.sh"
need_media real/cityCC0.mpg real/cup.mp4 synth/540p25.mp4

# The reference and the test copy live at the same path, one after the other: the features JSON
# records the clip's absolute source path, so two copies at different paths differ there.
P=$W/proj
copy_footage "$W/pristine" real/cityCC0.mpg real/cup.mp4 synth/540p25.mp4 || bail "cannot copy footage"
"$REEL_BIN" -q init "$W/pristine" --footage "$W/pristine/footage" >/dev/null 2>&1 || bail "init failed"
small_delivery "$W/pristine"
cp -a "$W/pristine" "$P"
rr run "$P"
if [ $RC -eq 0 ]; then ok "reference run (uninterrupted) exits 0"
else not_ok "reference run (uninterrupted) exits 0" "$(rr_diag)"; plan_done; fi
(cd "$P/out" && find . -type f | LC_ALL=C sort) >"$W/ref.list"
hash_out "$P" >"$W/ref.sha"
NREF=$(wc -l <"$W/ref.sha")
check "reference run produced outputs ($NREF files)" test "$NREF" -ge 11
mv "$P" "$W/reference"
cp -a "$W/pristine" "$P"

SEED=${REEL_KILL_SEED:-$(( $(date +%s) % 32768 ))}
RANDOM=$SEED
diag "seed $SEED (replay with REEL_KILL_SEED=$SEED)"

# out_consistent: every file under out/ is whole: byte-identical to the reference file of the same
# path, or else (a non-deterministic encode would differ in bytes) a copy of an artifact committed
# to .reel/cache (named by its BLAKE2b-256) that ffmpeg decodes cleanly. Prints offenders; notes
# files that differ from the reference on fd 3.
out_consistent() {
    local f bad=0
    while IFS= read -r -d '' f; do
        local rel=${f#"$P/out/"}
        local want got b2
        want=$(awk -v r="./$rel" 'substr($0, 67) == r {print $1}' "$W/ref.sha")
        got=$(sha256sum "$f" | cut -c1-64)
        if [ -z "$want" ]; then echo "not in the reference: $rel"; bad=1
        elif [ "$want" != "$got" ]; then
            b2=$(b2sum -l 256 "$f" | cut -c1-64)
            if ls "$P/.reel/cache/${b2:0:2}/$b2".* >/dev/null 2>&1 && { [ "${f%.mp4}" = "$f" ] || decodes_clean "$f"; }; then
                echo "$rel differs from the reference but is a whole, committed artifact" >&3
            else
                echo "partial or unknown: $rel ($(stat -c %s "$f") bytes)"; bad=1
            fi
        fi
    done < <(find "$P/out" -type f -print0 2>/dev/null)
    return $bad
}

kills=0
for i in $(seq 1 10); do
    ms=$((50 + RANDOM % 2451)) # 0.05 .. 2.5 s
    "$REEL_BIN" run "$P" >"$W/kill$i.out" 2>"$W/kill$i.err" &
    pid=$!
    BG_PIDS+=("$pid")
    sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); st=killed; else st="had finished"; fi
    wait "$pid" 2>/dev/null
    bad=$(out_consistent 3>"$W/notes$i")
    [ -s "$W/notes$i" ] && diag "$(cat "$W/notes$i")"
    if [ -z "$bad" ]; then ok "kill $i after ${ms} ms ($st): every file under out/ is absent or complete"
    else not_ok "kill $i after ${ms} ms ($st): every file under out/ is absent or complete" "$bad"; fi
    if no_partials "$P"; then ok "kill $i: no *.partial under out/"
    else not_ok "kill $i: no *.partial under out/" "$(find "$P/out" -name '*.partial')"; fi
    rr status "$P"
    if [ $RC -eq 0 ]; then ok "kill $i: reel status still reads the state"
    else not_ok "kill $i: reel status still reads the state" "$(rr_diag)"; fi
done
diag "$kills of 10 runs were killed while running"

rr run "$P"
if [ $RC -eq 0 ]; then ok "final run after the kills exits 0"
else not_ok "final run after the kills exits 0" "$(rr_diag)"; fi
got=$(hash_out "$P")
if [ "$got" = "$(cat "$W/ref.sha")" ]; then ok "out/ is byte-identical to the reference run"
else not_ok "out/ is byte-identical to the reference run" "$(diff "$W/ref.sha" <(echo "$got"))"; fi
is ".reel/tmp is empty after the final run" "$(find "$P/.reel/tmp" -mindepth 1 2>/dev/null | head -5)" ""
is "reel status: no failed, skipped or pending task; last run done" \
    "$(status_field "$P" failed) $(status_field "$P" skipped) $(status_field "$P" pending) $(status_field "$P" last_run)" \
    "0 0 0 done"
rr --json run "$P"
is "one more run: zero task_done" "$(json_events "$W/rr.out" task_done)" 0
check "no stray files beside the cache objects (.reel/cache holds only xx/HASH.ext)" \
    test -z "$(find "$P/.reel/cache" -type f -regextype posix-extended ! -regex '.*/[0-9a-f]{2}/[0-9a-f]{64}\.[a-z0-9]+' | head -3)"

plan_done
