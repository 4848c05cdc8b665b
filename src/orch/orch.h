/* The orchestrator's public face: plan the task graph of a project, run it with a worker pool
 * and a content-addressed cache, and report events. State lives in .reel/state.db (SQLite, WAL),
 * artifacts under .reel/cache, and deliverables are published under out/ only once committed. */
#ifndef REEL_ORCH_H
#define REEL_ORCH_H

#include "project/brief.h"
#include "reel/reel.h"

typedef enum reel_task_state {
    REEL_TS_WAITING = 0, /* dependencies not finished */
    REEL_TS_READY,       /* queued for a worker */
    REEL_TS_RUNNING,
    REEL_TS_DONE,        /* ran in this run */
    REEL_TS_CACHED,      /* result found in the cache */
    REEL_TS_FAILED,
    REEL_TS_SKIPPED,     /* an input failed, or the budget was spent */
} reel_task_state;

const char *reel_task_state_name(reel_task_state s);

typedef struct reel_event {
    const char *type;     /* run_started, task_started, task_progress, task_done, task_cached,
                             task_failed, task_skipped, task_warning, run_finished */
    const char *task;     /* "ingest:clip" or "contact"; NULL for run events */
    const char *agent, *clip;
    double progress;      /* [0,1] */
    double cpu_seconds, wall_seconds;
    const char *message;
    int done, total;      /* tasks finished (any terminal state) of total */
} reel_event;

typedef void (*reel_event_cb)(const reel_event *ev, void *opaque);

typedef struct reel_run_opts {
    int threads;             /* 0: the brief's threads, or every core */
    int wait_lock;           /* wait for another run instead of refusing */
    reel_event_cb on_event;  /* called on the calling thread */
    void *opaque;
    volatile int *cancel;    /* set non-zero (e.g. from SIGINT) to stop scheduling */
} reel_run_opts;

typedef struct reel_run_summary {
    int total, ran, cached, failed, skipped;
    double cpu_seconds, wall_seconds; /* this run (process CPU, all threads) */
    double spent_total, budget;       /* CPU seconds over all runs; budget 0 = unlimited */
    int cancelled, budget_hit;
} reel_run_summary;

/* Run every task of p (p must be scanned). Returns 0 when the run finished (see s for failures),
 * REEL_EBUSY when the project is locked, REEL_ECANCEL when interrupted, other <0 on fatal errors. */
int reel_run(reel_project *p, const reel_run_opts *o, reel_run_summary *s, reel_err *e);

/* One planned task as `reel plan` shows it. */
typedef struct reel_plan_item {
    char id[256];
    const reel_agent *agent;
    int clip;               /* index into p->clips, -1 for project tasks */
    int deps[64], n_deps;   /* indices of items this one waits for (first 64) */
    double estimate;        /* CPU seconds */
    int cached;             /* 1 when the result is already in the cache */
} reel_plan_item;

/* Plan without running: *items (malloc'd, caller frees) and their count. */
int reel_plan(reel_project *p, reel_plan_item **items, int *n, reel_err *e);

/* Status as `reel status` shows it: the last plan's task states and the spend. */
typedef struct reel_status {
    int n_tasks, by_state[REEL_TS_SKIPPED + 1];
    int runs;
    double spent_total, budget;
    int last_run_cached, last_run_ran, last_run_failed;
    char last_run_status[32];
    double last_run_wall;
    int cache_objects;
    long long cache_bytes;
} reel_status;
/* Fills s; calls item_cb for each task (id, state, message) when non-NULL. */
int reel_status_read(reel_project *p, reel_status *s,
                     void (*item_cb)(const char *id, const char *state, const char *msg,
                                     double cpu, void *opaque),
                     void *opaque, reel_err *e);

#endif
