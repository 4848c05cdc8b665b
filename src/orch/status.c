/* `reel status`: what the state database says about the latest plan, the runs and the spend. */
#include "orch/cache.h"
#include "orch/graph.h"
#include "util/fsutil.h"

#include <stdio.h>
#include <string.h>

static int state_index(const char *name)
{
    for (int s = 0; s <= REEL_TS_SKIPPED; s++)
        if (!strcmp(reel_task_state_name((reel_task_state)s), name)) return s;
    return REEL_TS_WAITING; /* "pending" after a crash counts as waiting */
}

static void last_run(reel_state *st, reel_status *s)
{
    sqlite3_stmt *q = NULL;
    sqlite3_prepare_v2(st->db, "SELECT COUNT(*) FROM runs", -1, &q, NULL);
    if (q && sqlite3_step(q) == SQLITE_ROW) s->runs = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    q = NULL;
    sqlite3_prepare_v2(st->db, "SELECT status, ran, cached, failed, wall_seconds FROM runs "
                               "ORDER BY id DESC LIMIT 1", -1, &q, NULL);
    if (q && sqlite3_step(q) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(q, 0);
        snprintf(s->last_run_status, sizeof s->last_run_status, "%s", t ? (const char *)t : "");
        s->last_run_ran = sqlite3_column_int(q, 1);
        s->last_run_cached = sqlite3_column_int(q, 2);
        s->last_run_failed = sqlite3_column_int(q, 3);
        s->last_run_wall = sqlite3_column_double(q, 4);
    }
    sqlite3_finalize(q);
}

int reel_status_read(reel_project *p, reel_status *s,
                     void (*item_cb)(const char *id, const char *state, const char *msg,
                                     double cpu, void *opaque),
                     void *opaque, reel_err *e)
{
    memset(s, 0, sizeof *s);
    s->budget = reel_opts_float(&p->budget, "cpu_seconds");
    char db[4200];
    snprintf(db, sizeof db, "%s/.reel/state.db", p->root);
    if (!reel_file_exists(db)) return 0; /* never run: nothing to say, and nothing created */
    reel_state st;
    int rc = reel_state_open(&st, p->root, e);
    if (rc) return rc;
    sqlite3_stmt *q = NULL;
    sqlite3_prepare_v2(st.db, "SELECT id, state, message, cpu_seconds FROM tasks ORDER BY rowid",
                       -1, &q, NULL);
    while (q && sqlite3_step(q) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(q, 0);
        const char *state = (const char *)sqlite3_column_text(q, 1);
        const char *msg = (const char *)sqlite3_column_text(q, 2);
        s->n_tasks++;
        s->by_state[state_index(state ? state : "")]++;
        if (item_cb) item_cb(id, state ? state : "", msg, sqlite3_column_double(q, 3), opaque);
    }
    sqlite3_finalize(q);
    last_run(&st, s);
    s->spent_total = reel_state_spent(&st);
    s->budget = reel_opts_float(&p->budget, "cpu_seconds");
    reel_cache_usage(p->root, &s->cache_objects, &s->cache_bytes);
    reel_state_close(&st);
    return 0;
}
