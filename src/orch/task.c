/* The reel_task an agent runs with: its private temp dir, resolved inputs, declared outputs,
 * progress and warnings; and committing a finished task's outputs into the cache. */
#include "orch/cache.h"
#include "orch/graph.h"
#include "util/fsutil.h"
#include "util/hash.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const reel_opts *reel_task_opts(const reel_task *t) { return t->opts; }
int reel_task_threads(const reel_task *t) { return t->threads; }
const char *reel_task_project_root(const reel_task *t) { return t->g->p->root; }
int reel_task_cancelled(const reel_task *t) { return t->cancel && *t->cancel; }
reel_err *reel_task_err(reel_task *t) { return &t->err; }
int reel_task_n_inputs(const reel_task *t) { return t->n_inputs; }

static int task_clip(const reel_task *t)
{
    return t->g->nodes[t->node].clip;
}

const char *reel_task_clip_path(const reel_task *t)
{
    int c = task_clip(t);
    return c >= 0 ? t->g->p->clips[c].path : NULL;
}

const char *reel_task_clip_name(const reel_task *t)
{
    int c = task_clip(t);
    return c >= 0 ? t->g->p->clips[c].name : NULL;
}

const char *reel_task_clip_label(const reel_task *t)
{
    int c = task_clip(t);
    return c >= 0 ? t->g->p->clips[c].label : NULL;
}

double reel_task_clip_duration(const reel_task *t)
{
    int c = task_clip(t);
    return c >= 0 ? t->g->clip_duration[c] : 0;
}

double reel_task_clip_pixels(const reel_task *t)
{
    int c = task_clip(t);
    return c >= 0 ? t->g->clip_pixels[c] : 0;
}

const char *reel_task_input_clip(const reel_task *t, int i)
{
    return i >= 0 && i < t->n_inputs ? t->g->p->clips[t->input_clips[i]].name : NULL;
}

const char *reel_task_input_clip_label(const reel_task *t, int i)
{
    return i >= 0 && i < t->n_inputs ? t->g->p->clips[t->input_clips[i]].label : NULL;
}

const char *reel_task_input(const reel_task *t, const char *kind, int i)
{
    for (int k = 0; k < t->n_input_refs; k++)
        if (t->inputs[k].input == i && !strcmp(t->inputs[k].kind, kind)) return t->inputs[k].path;
    return NULL;
}

const char *reel_task_input_nth(const reel_task *t, const char *kind, int i, int nth, const char **filename)
{
    for (int k = 0; k < t->n_input_refs; k++)
        if (t->inputs[k].input == i && !strcmp(t->inputs[k].kind, kind) && nth-- == 0) {
            if (filename) *filename = t->inputs[k].filename;
            return t->inputs[k].path;
        }
    return NULL;
}

static int reads(const reel_task *t, const char *kind)
{
    for (int k = 0; t->agent->reads && t->agent->reads[k]; k++)
        if (!strcmp(t->agent->reads[k], kind)) return 1;
    return 0;
}

int reel_task_n_deliveries(const reel_task *t)
{
    return reads(t, REEL_KIND_DELIVERIES) ? t->g->p->n_deliveries : 0;
}

const reel_opts *reel_task_delivery(const reel_task *t, int i)
{
    return i >= 0 && i < reel_task_n_deliveries(t) ? &t->g->p->deliveries[i].opts : NULL;
}

const char *reel_task_input_clip_path(const reel_task *t, int i)
{
    return i >= 0 && i < t->n_inputs ? t->g->p->clips[t->input_clips[i]].path : NULL;
}

int reel_task_n_looks(const reel_task *t)
{
    return reads(t, REEL_KIND_LOOKS) ? t->g->p->n_looks : 0;
}

const char *reel_task_look(const reel_task *t, int i)
{
    return i >= 0 && i < reel_task_n_looks(t) ? t->g->p->looks[i] : NULL;
}

const char *reel_task_look_label(const reel_task *t, int i)
{
    const char *path = reel_task_look(t, i);
    return path ? reel_project_label(t->g->p, path) : NULL;
}

const char *reel_task_var(const reel_task *t, const char *name)
{
    for (int v = 0; t->agent->variables && t->agent->variables[v]; v++)
        if (!strcmp(t->agent->variables[v], name)) return reel_project_var(t->g->p, name);
    return NULL; /* undeclared variables are invisible: the cache key would not cover them */
}

const char *reel_task_output(reel_task *t, const char *kind, const char *filename,
                             const char *publish_as)
{
    if (t->n_outs >= REEL_MAX_OUTPUTS || strchr(filename, '/')) return NULL;
    reel_output *o = &t->outs[t->n_outs];
    memset(o, 0, sizeof *o);
    snprintf(o->kind, sizeof o->kind, "%s", kind);
    snprintf(o->filename, sizeof o->filename, "%s", filename);
    snprintf(o->publish, sizeof o->publish, "%s", publish_as ? publish_as : "");
    snprintf(t->out_paths[t->n_outs], PATH_MAX, "%s/%.16s-%s", t->tmpdir, t->g->nodes[t->node].key,
             filename);
    return t->out_paths[t->n_outs++];
}

void reel_task_drop_output(reel_task *t, const char *kind)
{
    for (int o = 0; o < t->n_outs; o++) {
        if (strcmp(t->outs[o].kind, kind)) continue;
        memmove(&t->outs[o], &t->outs[o + 1], (size_t)(t->n_outs - o - 1) * sizeof t->outs[0]);
        memmove(t->out_paths[o], t->out_paths[o + 1], (size_t)(t->n_outs - o - 1) * PATH_MAX);
        t->n_outs--;
        return;
    }
}

void reel_task_progress(reel_task *t, double frac)
{
    int pm = frac < 0 ? 0 : frac > 1 ? 1000 : (int)(frac * 1000);
    atomic_store(&t->progress_permille, pm);
}

void reel_task_warn(reel_task *t, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (char *c = buf; *c; c++)
        if (*c == '\n') *c = ' ';
    reel_sb_printf(&t->warnings, "%s\n", buf);
}

int reel_task_fail(reel_task *t, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->err.msg, sizeof t->err.msg, fmt, ap);
    va_end(ap);
    t->err.code = code;
    return code;
}

static int add_input(reel_task *t, const char *kind, int input, const char *path, const char *filename)
{
    reel_task_input_ref *r = realloc(t->inputs, (size_t)(t->n_input_refs + 1) * sizeof *r);
    if (!r) return REEL_ENOMEM;
    t->inputs = r;
    r[t->n_input_refs].kind = kind;
    r[t->n_input_refs].input = input;
    r[t->n_input_refs].path = strdup(path);
    r[t->n_input_refs].filename = filename;
    return r[t->n_input_refs++].path ? 0 : REEL_ENOMEM;
}

/* Input index of clip c, appending it when new. */
static int input_index(reel_task *t, int c)
{
    for (int i = 0; i < t->n_inputs; i++)
        if (t->input_clips[i] == c) return i;
    t->input_clips[t->n_inputs] = c;
    return t->n_inputs++;
}

static int resolve_inputs(reel_task *t)
{
    reel_node *n = &t->g->nodes[t->node];
    t->input_clips = calloc((size_t)n->n_deps + 2, sizeof(int));
    if (!t->input_clips) return REEL_ENOMEM;
    if (n->clip >= 0) t->input_clips[t->n_inputs++] = n->clip;
    for (int d = 0; d < n->n_deps; d++) {
        reel_node *dn = &t->g->nodes[n->deps[d].node];
        if (dn->state != REEL_TS_DONE && dn->state != REEL_TS_CACHED) continue;
        int idx = n->clip >= 0 ? 0 : input_index(t, dn->clip >= 0 ? dn->clip : 0);
        for (int o = 0; o < dn->n_outs; o++) {
            if (strcmp(dn->outs[o].kind, n->deps[d].kind)) continue;
            char *path = reel_cache_path(t->g->p->root, dn->outs[o].hash, dn->outs[o].filename);
            int rc = path ? add_input(t, n->deps[d].kind, idx, path, dn->outs[o].filename) : REEL_ENOMEM;
            free(path);
            if (rc) return rc;
        }
    }
    return 0;
}

int reel_task_prepare(reel_task *t, reel_graph *g, int i, const char *tmp_root, int threads,
                      volatile int *cancel, reel_err *e)
{
    memset(t, 0, sizeof *t);
    t->g = g;
    t->node = i;
    t->agent = g->nodes[i].agent;
    t->opts = reel_project_agent_opts(g->p, t->agent);
    t->threads = threads;
    t->cancel = cancel;
    reel_sb_init(&t->warnings);
    snprintf(t->tmpdir, sizeof t->tmpdir, "%s", tmp_root); /* outputs: <key16>-<file> there */
    return resolve_inputs(t) ? reel_errf(e, REEL_ENOMEM, "out of memory") : 0;
}

void reel_task_release(reel_task *t)
{
    for (int k = 0; k < t->n_input_refs; k++) free(t->inputs[k].path);
    free(t->inputs);
    free(t->input_clips);
    reel_sb_free(&t->warnings);
    for (int o = 0; o < t->n_outs; o++) unlink(t->out_paths[o]); /* left only by a failed task */
    t->inputs = NULL;
    t->input_clips = NULL;
}

static void manifest_of(const reel_output *outs, int n, char hex[65])
{
    reel_hasher h;
    reel_hash_init(&h);
    for (int i = 0; i < n; i++) {
        reel_hash_str(&h, outs[i].kind);
        reel_hash_str(&h, outs[i].filename);
        reel_hash_str(&h, outs[i].hash);
    }
    reel_hash_final(&h, hex);
}

int reel_task_store(reel_task *t)
{
    const char *id = t->g->nodes[t->node].id;
    for (int o = 0; o < t->n_outs; o++) {
        if (!reel_file_exists(t->out_paths[o]))
            return reel_errf(&t->err, REEL_EAGENT, "%s: agent %s declared output '%s' but did not write it",
                             id, t->agent->name, t->outs[o].filename);
        int rc = reel_cache_put(t->g->p->root, t->out_paths[o], t->outs[o].filename, t->outs[o].hash,
                                &t->outs[o].size, &t->err);
        if (rc) return reel_err_prefix(&t->err, "%s: storing %s", id, t->outs[o].filename);
    }
    return 0;
}

int reel_commit_task(reel_graph *g, reel_state *st, reel_task *t, reel_err *e)
{
    reel_node *n = &g->nodes[t->node];
    memcpy(n->outs, t->outs, sizeof t->outs);
    n->n_outs = t->n_outs;
    manifest_of(n->outs, n->n_outs, n->manifest);
    const char *clip = n->clip >= 0 ? g->p->clips[n->clip].name : NULL;
    return reel_state_put_result(st, n->key, t->agent->name, clip, n->manifest, n->outs, n->n_outs,
                                 t->cpu, t->wall, e);
}
