#!/usr/bin/env bash
# The project lock: a second run of a busy project is refused at once (exit 4, naming "busy" and
# the holder's pid); --wait waits for the holder and then succeeds; the lock of a run killed with
# kill -9 is released by the kernel. vtest.avi (79 s) keeps a run busy for several seconds.
. "$(dirname "$0")/lib.sh"
need_media real/vtest.avi

P=$W/proj
make_project "$P" real/vtest.avi || bail "cannot make the project: $(cat "$W/init.out")"

lock_has() { [ "$(tr -d '\n' 2>/dev/null <"$P/.reel/lock")" = "$1" ]; }
running() { "$REEL_BIN" --json status "$P" 2>/dev/null | grep -q '"state":"running"'; }
now_ms() { date +%s%3N; }

# --- a second run while the first works -----------------------------------------------------
"$REEL_BIN" --json run "$P" >"$W/holder.json" 2>"$W/holder.err" &
HOLDER=$!
BG_PIDS+=("$HOLDER")
if wait_for 20 lock_has "$HOLDER"; then ok ".reel/lock holds the running holder's pid ($HOLDER)"
else not_ok ".reel/lock holds the running holder's pid ($HOLDER)" "lock: $(cat "$P/.reel/lock" 2>&1)"; fi
if wait_for 20 running; then ok "reel status --json shows a running task while the holder works"
else not_ok "reel status --json shows a running task while the holder works" "$("$REEL_BIN" --json status "$P" 2>&1 | head -5)"; fi

t0=$(now_ms)
rr run "$P"
dt=$(($(now_ms) - t0))
holder_alive=no
kill -0 "$HOLDER" 2>/dev/null && holder_alive=yes
is "holder still running when the second run was refused (else this test proves nothing)" "$holder_alive" yes
is "second run of a busy project: exit 4" "$RC" 4
if grep -q busy "$W/rr.err" && grep -q "pid $HOLDER" "$W/rr.err"; then ok "the refusal says 'busy' and names pid $HOLDER"
else not_ok "the refusal says 'busy' and names pid $HOLDER" "$(rr_diag)"; fi
if [ $dt -lt 3000 ]; then ok "the refusal is quick (${dt} ms)"
else not_ok "the refusal is quick" "${dt} ms"; fi
check "the refused run left the holder's pid in the lock" lock_has "$HOLDER"
rr --json run "$P"
is "run --json of a busy project: exit 4 too" "$RC" 4

# --- --wait waits for the holder ---------------------------------------------------------------
alive_before=no
kill -0 "$HOLDER" 2>/dev/null && alive_before=yes
is "the holder is still running when run --wait starts" "$alive_before" yes
t0=$(now_ms)
"$REEL_BIN" --json run --wait "$P" >"$W/wait.json" 2>"$W/wait.err"
rcw=$?
holder_done=$(json_events "$W/holder.json" run_finished)
wait "$HOLDER"
rch=$?
is "the holder finishes with exit 0" "$rch" 0
is "run --wait exits 0" "$rcw" 0
# (the holder emits run_finished before it releases the lock, and may still be exiting)
is "run --wait returned only after the holder's run had finished (its run_finished event)" "$holder_done" 1
is "run --wait found every task cached (the holder did the work): zero task_done" \
    "$(json_events "$W/wait.json" task_done)" 0
is "run --wait: every task cached" "$(json_events "$W/wait.json" task_cached)" "$(n_tasks 1)"
diag "run --wait took $(($(now_ms) - t0)) ms"
is "the lock file is emptied when a run ends" "$(cat "$P/.reel/lock" 2>&1)" ""

# --- kill -9 of the holder releases the lock ---------------------------------------------------
sleep 0.01
touch "$P/footage/vtest.avi" # new mtime: ingest and proxy run again
"$REEL_BIN" run "$P" >"$W/holder2.out" 2>"$W/holder2.err" &
HOLDER=$!
BG_PIDS+=("$HOLDER")
wait_for 20 lock_has "$HOLDER" && wait_for 20 running
check "a new holder is running" test $? -eq 0
kill -9 "$HOLDER"
wait "$HOLDER" 2>/dev/null
check "the lock file still names the dead holder (kill -9 runs no cleanup)" lock_has "$HOLDER"
t0=$(now_ms)
rr --json run "$P"
if [ $RC -eq 0 ]; then ok "after kill -9 of the holder, the next run takes the lock and exits 0"
else not_ok "after kill -9 of the holder, the next run takes the lock and exits 0" "$(rr_diag)"; fi
diag "the run after the kill took $(($(now_ms) - t0)) ms"
is "it finished the interrupted work: no failed tasks" "$(json_events "$W/rr.out" task_failed)" 0
is "reel status: nothing failed or pending" "$(status_field "$P" failed) $(status_field "$P" pending)" "0 0"

plan_done
