/* The agent contract. Every agent declares itself once in a const reel_agent: its name and
 * version, a typed option table, the artifact kinds it reads and writes, the scene variables it
 * reads, a cost estimate and run(). The orchestrator, `reel agents`, the brief validation and the
 * docs all read this one descriptor. An agent sees the world only through reel_task. */
#ifndef REEL_AGENT_H
#define REEL_AGENT_H

#include "project/options.h"
#include "reel/reel.h"

typedef enum reel_scope {
    REEL_SCOPE_CLIP,    /* one task per clip */
    REEL_SCOPE_PROJECT, /* one task for the whole project, fed by every clip's inputs */
} reel_scope;

typedef struct reel_task reel_task;

/* The kind "source" in reads means the clip's camera original itself; "looks" means the brief's
 * look references (reel.yaml `looks:`), whose paths, sizes and times enter the task key. */
#define REEL_KIND_SOURCE "source"
#define REEL_KIND_LOOKS "looks"
/* "deliveries" means the brief's deliveries: list, whose fields enter the task key. */
#define REEL_KIND_DELIVERIES "deliveries"

typedef struct reel_agent {
    const char *name;
    int version;                      /* bump when the output changes: invalidates the cache */
    const char *summary;
    reel_scope scope;
    const reel_option *options;       /* NULL-name terminated */
    const char *const *reads;         /* NULL terminated */
    const char *const *writes;        /* NULL terminated */
    const char *const *variables;     /* scene variables read, NULL terminated (may be NULL) */
    double (*estimate)(const reel_task *t);   /* CPU seconds */
    int (*run)(reel_task *t);                 /* 0, or <0 with the message set via reel_task_fail */
} reel_agent;

/* The builtin agent table, NULL terminated, in pipeline order. */
extern const reel_agent *const reel_builtin_agents[];
const reel_agent *reel_agent_find(const reel_agent *const *table, const char *name);

/* ---- What an agent may ask of its task (implemented by the orchestrator) ---- */

/* Options resolved from the defaults and the brief's agents: section. */
const reel_opts *reel_task_opts(const reel_task *t);
/* The clip this task is for (REEL_SCOPE_CLIP), else NULL. */
const char *reel_task_clip_path(const reel_task *t);
const char *reel_task_clip_name(const reel_task *t);
/* The clip's path relative to the project when it lies inside it (else absolute): what outputs
 * should record, so a project that moves keeps identical outputs and its cache. */
const char *reel_task_clip_label(const reel_task *t);
/* Project-scope inputs: how many clips feed this task, and each one's name. */
int reel_task_n_inputs(const reel_task *t);
const char *reel_task_input_clip(const reel_task *t, int i);
/* Input i's camera original as the project names it (relative to the project when inside). */
const char *reel_task_input_clip_label(const reel_task *t, int i);
/* Path of the artifact of `kind` for input i (clip scope: i = 0), or NULL when absent. */
const char *reel_task_input(const reel_task *t, const char *kind, int i);
/* The nth artifact of `kind` for input i (an agent may write several of one kind), and the file
 * name its agent gave it (may be NULL); NULL past the last. */
const char *reel_task_input_nth(const reel_task *t, const char *kind, int i, int nth, const char **filename);
/* The brief's look references (only for agents that read REEL_KIND_LOOKS; else 0 / NULL). */
int reel_task_n_looks(const reel_task *t);
const char *reel_task_look(const reel_task *t, int i);
/* The same as the project names it (relative to the project when inside): what outputs record. */
const char *reel_task_look_label(const reel_task *t, int i);
/* The brief's deliveries (only for agents that read REEL_KIND_DELIVERIES; else 0 / NULL): each
 * one's fields (reel_delivery_options). */
int reel_task_n_deliveries(const reel_task *t);
const reel_opts *reel_task_delivery(const reel_task *t, int i);
/* Input i's camera original: its path. */
const char *reel_task_input_clip_path(const reel_task *t, int i);
/* Value of a scene variable the agent declared, or NULL. */
const char *reel_task_var(const reel_task *t, const char *name);
/* Threads the agent may use; the project root; whether a cancel was requested. */
int reel_task_threads(const reel_task *t);
const char *reel_task_project_root(const reel_task *t);
int reel_task_cancelled(const reel_task *t);
/* Declare an output of `kind` stored as filename; returns the path to write (in the task's
 * private temp dir; owned by the task). publish_as, when not NULL, is the path under out/ where
 * the artifact is copied once committed (e.g. "posters/clip.jpg"). */
const char *reel_task_output(reel_task *t, const char *kind, const char *filename,
                             const char *publish_as);
/* Withdraw a declared output the agent found it cannot produce (e.g. a poster for audio). */
void reel_task_drop_output(reel_task *t, const char *kind);
/* Report progress in [0,1]; cheap, call often. */
void reel_task_progress(reel_task *t, double frac);
/* A warning recorded as an event (e.g. "12 corrupt packets skipped"). */
void reel_task_warn(reel_task *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Fail the task with a message; returns code. */
int reel_task_fail(reel_task *t, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The task's error slot, for passing to library calls. */
reel_err *reel_task_err(reel_task *t);
/* Duration in seconds of the clip from the plan-time probe (0 when unknown), and its pixel count. */
double reel_task_clip_duration(const reel_task *t);
double reel_task_clip_pixels(const reel_task *t);

#endif
