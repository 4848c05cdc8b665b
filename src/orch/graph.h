/* The task graph the orchestrator plans and runs, and the reel_task an agent is handed. Private
 * to src/orch. */
#ifndef REEL_GRAPH_H
#define REEL_GRAPH_H

#include "orch/orch.h"
#include "orch/state.h"
#include "util/strbuf.h"

#include <stdatomic.h>
#include <limits.h>

#define REEL_MAX_OUTPUTS 24

typedef struct reel_dep {
    int node;          /* producer node index */
    const char *kind;  /* the kind read from it */
} reel_dep;

typedef struct reel_node {
    char id[256];
    const reel_agent *agent;
    int clip;                         /* -1 for project scope */
    reel_dep *deps;
    int n_deps;
    reel_task_state state;
    char key[65];
    char manifest[65];
    reel_output outs[REEL_MAX_OUTPUTS];
    int n_outs;
    double estimate;
    char msg[512];
} reel_node;

typedef struct reel_graph {
    reel_project *p;
    reel_node *nodes;
    int n;
    double *clip_duration, *clip_pixels; /* from a plan-time probe, per clip */
} reel_graph;

/* Build the graph for p (scanned) in agent-table order; probes each clip for estimates. */
int reel_graph_build(reel_graph *g, reel_project *p, reel_err *e);
void reel_graph_free(reel_graph *g);
/* Compute node i's key from its agent, options, source identity, deps' manifests (only deps in
 * a success state) and declared variables. Deps must be terminal. */
int reel_graph_key(reel_graph *g, int i, reel_err *e);
/* 1 when every dep of node i is terminal; *any_bad set when one failed or was skipped. */
int reel_graph_deps_done(const reel_graph *g, int i, int *any_bad);
/* Look node i's key up in the state and the cache: 1 and outputs filled when cached. */
int reel_graph_lookup(reel_graph *g, reel_state *st, int i, reel_err *e);

/* An input file handed to an agent. */
typedef struct reel_task_input_ref {
    const char *kind;
    int input;      /* index among the task's inputs (clips for project scope) */
    char *path;
    const char *filename; /* as its agent named it (points into the producing node) */
} reel_task_input_ref;

struct reel_task {
    reel_graph *g;
    int node;
    const reel_agent *agent;
    const reel_opts *opts;
    char tmpdir[PATH_MAX];
    int threads;
    volatile int *cancel;
    int *input_clips;                /* clip index per input */
    int n_inputs;
    reel_task_input_ref *inputs;
    int n_input_refs;
    reel_output outs[REEL_MAX_OUTPUTS];
    char out_paths[REEL_MAX_OUTPUTS][PATH_MAX];
    int n_outs;
    atomic_int progress_permille;
    reel_strbuf warnings;            /* one per line */
    reel_err err;
    double cpu, wall;
    int rc;
    struct reel_task *qnext;         /* the pool's queues */
};

/* Prepare a task for node i (tmp dir created, inputs resolved); free it after. */
int reel_task_prepare(reel_task *t, reel_graph *g, int i, const char *tmp_root, int threads,
                      volatile int *cancel, reel_err *e);
void reel_task_release(reel_task *t);

/* On the worker, after run(): hash, fsync and move each output into the cache. */
int reel_task_store(reel_task *t);
/* On the main thread: record the stored outputs as the result of the task's key. */
int reel_commit_task(reel_graph *g, reel_state *st, reel_task *t, reel_err *e);
/* Copy node i's published outputs to out/ when missing or stale (atomic, via .reel/tmp). */
int reel_publish_node(reel_graph *g, reel_state *st, int i, reel_err *e);

/* The worker pool: runs tasks on N threads; the main thread collects finished ones. */
typedef struct reel_pool reel_pool;
int reel_pool_create(reel_pool **pool, int threads, reel_err *e);
void reel_pool_submit(reel_pool *pool, reel_task *t);
/* A finished task, or NULL when none is waiting (never blocks). */
reel_task *reel_pool_take(reel_pool *pool);
/* Wait up to timeout_s until a finished task is waiting, without taking it. */
void reel_pool_idle(reel_pool *pool, double timeout_s);
void reel_pool_destroy(reel_pool **pool);

#endif
