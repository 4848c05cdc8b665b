/* `reel run`: the scheduler. The main thread owns the graph and the state database; it computes
 * keys as dependencies finish, answers from the cache when it can, hands the rest to the worker
 * pool, commits results, publishes deliverables and reports events. Stale temp files from a
 * killed run are removed first and interrupted tasks simply run again. */
#include "orch/cache.h"
#include "orch/graph.h"
#include "orch/lock.h"
#include "util/fsutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct runner {
    reel_project *p;
    const reel_run_opts *o;
    reel_graph g;
    reel_state st;
    reel_pool *pool;
    reel_task **active;        /* per node, while running */
    int *to_publish, n_publish; /* nodes committed in this batch, published after COMMIT */
    int threads, running, finished;
    long long run_id;
    char tmp_root[PATH_MAX];
    double cpu0, wall0, spent_before, budget, last_progress;
    reel_run_summary *s;
} runner;

static int terminal(reel_task_state s)
{
    return s >= REEL_TS_DONE;
}

static void emit(runner *r, const char *type, int i, const char *msg, double progress)
{
    reel_node *n = i >= 0 ? &r->g.nodes[i] : NULL;
    reel_event ev = {
        .type = type, .task = n ? n->id : NULL, .agent = n ? n->agent->name : NULL,
        .clip = n && n->clip >= 0 ? r->p->clips[n->clip].name : NULL, .progress = progress,
        .message = msg, .done = r->finished, .total = r->g.n,
    };
    reel_task *t = n ? r->active[i] : NULL;
    if (t) { ev.cpu_seconds = t->cpu; ev.wall_seconds = t->wall; }
    if (r->o->on_event) r->o->on_event(&ev, r->o->opaque);
    if (strcmp(type, "task_progress")) reel_state_event(&r->st, r->run_id, ev.task, type, msg, NULL);
}

static void set_state(runner *r, int i, reel_task_state s, const char *msg, double cpu)
{
    reel_node *n = &r->g.nodes[i];
    n->state = s;
    snprintf(n->msg, sizeof n->msg, "%s", msg ? msg : "");
    if (terminal(s)) r->finished++;
    reel_state_task(&r->st, n->id, n->agent->name, n->clip >= 0 ? r->p->clips[n->clip].name : NULL,
                    reel_task_state_name(s), n->key, r->run_id, msg, cpu, NULL);
}

static void fail_node(runner *r, int i, const char *msg)
{
    set_state(r, i, REEL_TS_FAILED, msg, 0);
    r->s->failed++;
    emit(r, "task_failed", i, msg, 0);
}

static void publish(runner *r, int i)
{
    r->to_publish[r->n_publish++] = i;
}

/* Deliverables are copied under out/ only after the batch that recorded them committed. */
static void publish_batch(runner *r)
{
    if (!r->n_publish) return;
    reel_state_exec(&r->st, "BEGIN", NULL);
    for (int k = 0; k < r->n_publish; k++) {
        reel_err e = {0};
        if (reel_publish_node(&r->g, &r->st, r->to_publish[k], &e))
            emit(r, "task_warning", r->to_publish[k], e.msg, 1);
    }
    reel_state_exec(&r->st, "COMMIT", NULL);
    r->n_publish = 0;
}

static double cpu_now(runner *r)
{
    return reel_process_cpu() - r->cpu0;
}

static void start_task(runner *r, int i)
{
    reel_task *t = calloc(1, sizeof *t);
    reel_err e = {0};
    int slots = r->threads - r->running;
    int per_task = slots > 0 ? r->threads / (r->running + 1) : 1;
    if (!t) { fail_node(r, i, "out of memory"); return; }
    if (reel_task_prepare(t, &r->g, i, r->tmp_root, per_task > 0 ? per_task : 1, r->o->cancel, &e)) {
        reel_task_release(t);
        free(t);
        fail_node(r, i, e.msg);
        return;
    }
    r->active[i] = t;
    r->running++;
    set_state(r, i, REEL_TS_RUNNING, NULL, 0);
    emit(r, "task_started", i, NULL, 0);
    reel_pool_submit(r->pool, t);
}

/* Decide what node i does now that its dependencies are finished. */
static void settle(runner *r, int i, int any_bad)
{
    reel_node *n = &r->g.nodes[i];
    reel_err e = {0};
    if (any_bad && n->agent->scope == REEL_SCOPE_CLIP) {
        set_state(r, i, REEL_TS_SKIPPED, "an input failed", 0);
        r->s->skipped++;
        emit(r, "task_skipped", i, "an input failed", 0);
        return;
    }
    int hit = reel_graph_key(&r->g, i, &e) ? -1 : reel_graph_lookup(&r->g, &r->st, i, &e);
    if (hit == 1) {
        set_state(r, i, REEL_TS_CACHED, NULL, 0);
        r->s->cached++;
        emit(r, "task_cached", i, NULL, 1);
        publish(r, i);
    } else if (hit < 0) {
        fail_node(r, i, e.msg);
    } else if (r->budget > 0 && r->spent_before + cpu_now(r) >= r->budget) {
        char msg[200];
        snprintf(msg, sizeof msg, "budget spent: %.1f of %.1f CPU s; raise budget.cpu_seconds",
                 r->spent_before + cpu_now(r), r->budget);
        set_state(r, i, REEL_TS_SKIPPED, msg, 0);
        r->s->skipped++;
        r->s->budget_hit = 1;
        emit(r, "task_skipped", i, msg, 0);
    } else {
        n->state = REEL_TS_READY;
    }
}

static void schedule(runner *r)
{
    int cancelled = r->o->cancel && *r->o->cancel;
    for (int i = 0; i < r->g.n; i++) {
        reel_node *n = &r->g.nodes[i];
        int bad;
        if (n->state == REEL_TS_WAITING && reel_graph_deps_done(&r->g, i, &bad)) settle(r, i, bad);
        if (n->state == REEL_TS_READY && !cancelled && r->running < r->threads) start_task(r, i);
    }
}

static void finish_task(runner *r, reel_task *t)
{
    int i = t->node;
    reel_err e = {0};
    r->running--;
    for (const char *line = t->warnings.s; line && *line;) {
        const char *nl = strchr(line, '\n');
        char buf[1024];
        snprintf(buf, sizeof buf, "%.*s", (int)(nl - line), line);
        emit(r, "task_warning", i, buf, 0);
        line = nl + 1;
    }
    if (t->rc == REEL_ECANCEL || (t->rc && r->o->cancel && *r->o->cancel)) {
        set_state(r, i, REEL_TS_WAITING, "interrupted", 0);
    } else if (t->rc) {
        fail_node(r, i, t->err.msg);
    } else if (reel_commit_task(&r->g, &r->st, t, &e)) {
        fail_node(r, i, e.msg);
    } else { /* warnings stay on the task, so `reel status` can say them again */
        set_state(r, i, REEL_TS_DONE, t->warnings.len ? t->warnings.s : NULL, t->cpu);
        r->s->ran++;
        emit(r, "task_done", i, NULL, 1);
        publish(r, i);
    }
    r->active[i] = NULL;
    reel_task_release(t);
    free(t);
}

static void report_progress(runner *r)
{
    double now = reel_now();
    if (now - r->last_progress < 0.25) return;
    r->last_progress = now;
    reel_state_exec(&r->st, "BEGIN", NULL);
    for (int i = 0; i < r->g.n; i++) {
        if (!r->active[i]) continue;
        double frac = atomic_load(&r->active[i]->progress_permille) / 1000.0;
        emit(r, "task_progress", i, NULL, frac);
        reel_state_task_progress(&r->st, r->g.nodes[i].id, frac);
    }
    reel_state_exec(&r->st, "COMMIT", NULL);
}

static int prepare(runner *r, reel_err *e)
{
    snprintf(r->tmp_root, sizeof r->tmp_root, "%s/.reel/tmp", r->p->root);
    int rc = reel_rmtree(r->tmp_root, e); /* partial files of a killed run */
    if (!rc) rc = reel_mkdirs(r->tmp_root, e);
    if (!rc) rc = reel_state_open(&r->st, r->p->root, e);
    if (!rc) rc = reel_state_recover(&r->st, e);
    if (!rc) rc = reel_graph_build(&r->g, r->p, e);
    if (rc) return rc;
    r->active = calloc((size_t)r->g.n + 1, sizeof *r->active);
    r->to_publish = calloc((size_t)r->g.n + 1, sizeof *r->to_publish);
    if (!r->active || !r->to_publish) return reel_errf(e, REEL_ENOMEM, "out of memory");
    long t = r->o->threads ? r->o->threads : reel_opts_int(&r->p->top, "threads");
    if (t <= 0) t = sysconf(_SC_NPROCESSORS_ONLN);
    r->threads = t > 0 ? (int)t : 1;
    r->spent_before = reel_state_spent(&r->st);
    r->budget = reel_opts_float(&r->p->budget, "cpu_seconds");
    reel_state_exec(&r->st, "BEGIN", NULL);
    rc = reel_state_reset_tasks(&r->st, e);
    r->run_id = reel_state_run_begin(&r->st, r->threads, r->g.n, e);
    for (int i = 0; !rc && i < r->g.n; i++) set_state(r, i, REEL_TS_WAITING, NULL, 0);
    if (!rc) rc = reel_state_exec(&r->st, "COMMIT", e);
    if (!rc && r->run_id < 0) rc = (int)r->run_id;
    if (!rc) rc = reel_pool_create(&r->pool, r->threads, e);
    return rc;
}

/* Each turn is one database transaction: finished tasks are recorded, newly ready tasks are
 * settled (cache hits answered) and started; then what was committed is published. */
static void loop(runner *r)
{
    for (;;) {
        reel_state_exec(&r->st, "BEGIN", NULL);
        for (reel_task *t; (t = reel_pool_take(r->pool));) finish_task(r, t);
        schedule(r);
        reel_state_exec(&r->st, "COMMIT", NULL);
        publish_batch(r);
        if (r->running == 0) break;
        reel_pool_idle(r->pool, 0.1);
        report_progress(r);
    }
}

int reel_run(reel_project *p, const reel_run_opts *o, reel_run_summary *s, reel_err *e)
{
    runner r;
    memset(&r, 0, sizeof r);
    memset(s, 0, sizeof *s);
    r.p = p;
    r.o = o;
    r.s = s;
    r.cpu0 = reel_process_cpu();
    r.wall0 = reel_now();
    int lock = reel_lock_acquire(p->root, o->wait_lock, e);
    if (lock < 0) return lock;
    int rc = prepare(&r, e);
    if (!rc) {
        s->total = r.g.n;
        emit(&r, "run_started", -1, NULL, 0);
        loop(&r);
        s->cancelled = o->cancel && *o->cancel;
        s->cpu_seconds = cpu_now(&r);
        s->wall_seconds = reel_now() - r.wall0;
        s->spent_total = r.spent_before + s->cpu_seconds;
        s->budget = r.budget;
        reel_state_run_end(&r.st, r.run_id, s->cancelled ? "cancelled" : s->failed ? "failed" : "done",
                           s->cpu_seconds, s->wall_seconds, s->ran, s->cached, s->failed, s->skipped, NULL);
        emit(&r, "run_finished", -1, NULL, 1);
        if (s->cancelled) rc = reel_errf(e, REEL_ECANCEL, "interrupted; `reel run` resumes where it stopped");
    }
    reel_pool_destroy(&r.pool);
    free(r.active);
    free(r.to_publish);
    reel_graph_free(&r.g);
    reel_state_close(&r.st);
    reel_rmtree(r.tmp_root, NULL);
    reel_lock_release(lock);
    return rc;
}
