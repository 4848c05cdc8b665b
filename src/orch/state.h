/* The project's state database (.reel/state.db): task results by key, their output files, the
 * latest state of each planned task, runs, events, and what was published under out/. SQLite in
 * WAL mode; only the orchestrator's main thread touches it. */
#ifndef REEL_STATE_H
#define REEL_STATE_H

#include "reel/reel.h"
#include <sqlite3.h>

typedef struct reel_state {
    sqlite3 *db;
    char *path;
} reel_state;

typedef struct reel_output {
    char kind[32];
    char filename[128];
    char hash[65];
    long long size;
    char publish[512]; /* path under out/, or "" */
} reel_output;

int reel_state_open(reel_state *st, const char *root, reel_err *e);
void reel_state_close(reel_state *st);
int reel_state_exec(reel_state *st, const char *sql, reel_err *e);

/* Outputs of a successful result with this key: count (>=0), or -1 when there is no result. */
int reel_state_result(reel_state *st, const char *key, reel_output *outs, int max, char manifest[65],
                      reel_err *e);
int reel_state_put_result(reel_state *st, const char *key, const char *agent, const char *clip,
                          const char *manifest, const reel_output *outs, int n, double cpu,
                          double wall, reel_err *e);
int reel_state_task(reel_state *st, const char *id, const char *agent, const char *clip,
                    const char *state, const char *key, long long run, const char *msg, double cpu,
                    reel_err *e);
/* Progress in [0,1] of a running task, for readers of the database (the dashboard). */
int reel_state_task_progress(reel_state *st, const char *id, double progress);
int reel_state_event(reel_state *st, long long run, const char *task, const char *type,
                     const char *msg, reel_err *e);
long long reel_state_run_begin(reel_state *st, int threads, int total, reel_err *e);
int reel_state_run_end(reel_state *st, long long run, const char *status, double cpu, double wall,
                       int ran, int cached, int failed, int skipped, reel_err *e);
double reel_state_spent(reel_state *st);
/* Published record for an out/ path: 1 found (hash/size/mtime filled), 0 not found. */
int reel_state_published(reel_state *st, const char *path, char hash[65], long long *size,
                         long long *mtime_ns);
int reel_state_put_published(reel_state *st, const char *path, const char *hash, long long size,
                             long long mtime_ns, reel_err *e);
/* After a crash: tasks left 'running' become 'pending', runs left open become 'interrupted'. */
int reel_state_recover(reel_state *st, reel_err *e);
/* Forget the task rows of the previous plan (they are rewritten as this plan runs). */
int reel_state_reset_tasks(reel_state *st, reel_err *e);

#endif
