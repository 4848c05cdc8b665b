/* Planning: the task graph from the agent table and the clips, task keys, cache lookups, and
 * `reel plan`'s view of it. */
#include "media/media.h"
#include "orch/cache.h"
#include "orch/graph.h"
#include "util/fsutil.h"
#include "util/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *reel_task_state_name(reel_task_state s)
{
    static const char *const names[] = {"waiting", "ready", "running", "done",
                                        "cached", "failed", "skipped"};
    return s <= REEL_TS_SKIPPED ? names[s] : "?";
}

static int reads_kind(const reel_agent *a, const char *kind)
{
    for (int i = 0; a->reads && a->reads[i]; i++)
        if (!strcmp(a->reads[i], kind)) return 1;
    return 0;
}

static const reel_agent *producer(const reel_agent *const *table, const char *kind)
{
    for (int i = 0; table[i]; i++)
        for (int k = 0; table[i]->writes && table[i]->writes[k]; k++)
            if (!strcmp(table[i]->writes[k], kind)) return table[i];
    return NULL;
}

/* Index of the node of agent a for clip c (-1 = project), or -1. */
static int find_node(const reel_graph *g, const reel_agent *a, int clip)
{
    for (int i = 0; i < g->n; i++)
        if (g->nodes[i].agent == a && (a->scope == REEL_SCOPE_PROJECT || g->nodes[i].clip == clip))
            return i;
    return -1;
}

static int add_dep(reel_node *n, int node, const char *kind)
{
    reel_dep *d = realloc(n->deps, (size_t)(n->n_deps + 1) * sizeof *d);
    if (!d) return REEL_ENOMEM;
    n->deps = d;
    d[n->n_deps].node = node;
    d[n->n_deps++].kind = kind;
    return 0;
}

static int wire(reel_graph *g, reel_node *n, reel_err *e)
{
    const reel_agent *a = n->agent;
    for (int k = 0; a->reads && a->reads[k]; k++) {
        const char *kind = a->reads[k];
        if (!strcmp(kind, REEL_KIND_SOURCE) || !strcmp(kind, REEL_KIND_LOOKS) || !strcmp(kind, REEL_KIND_DELIVERIES))
            continue;
        const reel_agent *pa = producer(g->p->agents, kind);
        if (!pa || pa == a)
            return reel_errf(e, REEL_EINVAL, "agent %s reads '%s' but no earlier agent writes it",
                             a->name, kind);
        int lo = 0, hi = g->p->n_clips; /* project-scope readers take every clip */
        if (a->scope == REEL_SCOPE_CLIP || pa->scope == REEL_SCOPE_PROJECT) lo = n->clip, hi = lo + 1;
        for (int c = lo; c < hi; c++) {
            int dn = find_node(g, pa, c);
            if (dn < 0)
                return reel_errf(e, REEL_EINVAL, "agent %s reads '%s' from %s, which runs later",
                                 a->name, kind, pa->name);
            if (add_dep(n, dn, kind)) return reel_errf(e, REEL_ENOMEM, "out of memory");
        }
    }
    return 0;
}

static void probe_clips(reel_graph *g)
{
    for (int c = 0; c < g->p->n_clips; c++) {
        reel_probe pr;
        if (reel_media_probe(g->p->clips[c].path, &pr, NULL)) continue;
        g->clip_duration[c] = pr.duration > 0 ? pr.duration : 0;
        g->clip_pixels[c] = pr.has_video ? (double)pr.width * pr.height : 0;
    }
}

static double node_estimate(reel_graph *g, int i)
{
    reel_node *n = &g->nodes[i];
    if (!n->agent->estimate) return 0;
    reel_task t;
    memset(&t, 0, sizeof t);
    t.g = g;
    t.node = i;
    t.agent = n->agent;
    t.opts = reel_project_agent_opts(g->p, n->agent);
    return n->agent->estimate(&t);
}

int reel_graph_build(reel_graph *g, reel_project *p, reel_err *e)
{
    memset(g, 0, sizeof *g);
    g->p = p;
    int n_agents = 0, cap = 0;
    for (; p->agents[n_agents]; n_agents++)
        cap += p->agents[n_agents]->scope == REEL_SCOPE_CLIP ? p->n_clips : 1;
    g->nodes = calloc((size_t)cap + 1, sizeof *g->nodes);
    g->clip_duration = calloc((size_t)p->n_clips + 1, sizeof(double));
    g->clip_pixels = calloc((size_t)p->n_clips + 1, sizeof(double));
    if (!g->nodes || !g->clip_duration || !g->clip_pixels) {
        reel_graph_free(g);
        return reel_errf(e, REEL_ENOMEM, "out of memory");
    }
    for (int a = 0; a < n_agents; a++) {
        const reel_agent *ag = p->agents[a];
        int lo = ag->scope == REEL_SCOPE_CLIP ? 0 : -1, hi = ag->scope == REEL_SCOPE_CLIP ? p->n_clips : 0;
        for (int c = lo; c < hi; c++) {
            reel_node *n = &g->nodes[g->n++];
            n->agent = ag;
            n->clip = c;
            if (c >= 0) snprintf(n->id, sizeof n->id, "%s:%s", ag->name, p->clips[c].name);
            else snprintf(n->id, sizeof n->id, "%s", ag->name);
            int rc = wire(g, n, e);
            if (rc) { reel_graph_free(g); return rc; }
        }
    }
    probe_clips(g);
    for (int i = 0; i < g->n; i++) g->nodes[i].estimate = node_estimate(g, i);
    return 0;
}

void reel_graph_free(reel_graph *g)
{
    for (int i = 0; g->nodes && i < g->n; i++) free(g->nodes[i].deps);
    free(g->nodes);
    free(g->clip_duration);
    free(g->clip_pixels);
    memset(g, 0, sizeof *g);
}

static int ok_state(reel_task_state s)
{
    return s == REEL_TS_DONE || s == REEL_TS_CACHED;
}

int reel_graph_deps_done(const reel_graph *g, int i, int *any_bad)
{
    *any_bad = 0;
    const reel_node *n = &g->nodes[i];
    for (int d = 0; d < n->n_deps; d++) {
        reel_task_state s = g->nodes[n->deps[d].node].state;
        if (s < REEL_TS_DONE) return 0;
        if (!ok_state(s)) *any_bad = 1;
    }
    return 1;
}

/* A file's identity for a task key: its name (relative to the project when inside it, so a
 * moved project keeps its cache), size and modification time. */
static void hash_file(reel_hasher *h, const reel_project *p, const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) memset(&st, 0, sizeof st);
    const char *label = reel_project_label(p, path);
    char id[128];
    snprintf(id, sizeof id, "%lld:%lld.%09ld", (long long)st.st_size, (long long)st.st_mtim.tv_sec,
             st.st_mtim.tv_nsec);
    reel_hash_str(h, label);
    reel_hash_str(h, id);
}

static void hash_looks(reel_hasher *h, const reel_project *p)
{
    char n[32];
    snprintf(n, sizeof n, "looks:%d", p->n_looks);
    reel_hash_str(h, n);
    for (int i = 0; i < p->n_looks; i++) hash_file(h, p, p->looks[i]);
}

/* Every delivery's resolved fields, in the brief's order. */
static void hash_deliveries(reel_hasher *h, const reel_project *p)
{
    char n[32];
    snprintf(n, sizeof n, "deliveries:%d", p->n_deliveries);
    reel_hash_str(h, n);
    for (int i = 0; i < p->n_deliveries; i++) {
        char *canon = reel_opts_canonical(&p->deliveries[i].opts);
        reel_hash_str(h, canon ? canon : "");
        free(canon);
    }
}

int reel_graph_key(reel_graph *g, int i, reel_err *e)
{
    reel_node *n = &g->nodes[i];
    const reel_opts *opts = reel_project_agent_opts(g->p, n->agent);
    reel_hasher h;
    reel_hash_init(&h);
    reel_hash_str(&h, "reel-task/1");
    reel_hash_str(&h, n->agent->name);
    char ver[32];
    snprintf(ver, sizeof ver, "%d", n->agent->version);
    reel_hash_str(&h, ver);
    char *canon = opts ? reel_opts_canonical(opts) : NULL;
    reel_hash_str(&h, canon ? canon : "");
    free(canon);
    if (n->clip >= 0 && reads_kind(n->agent, REEL_KIND_SOURCE)) hash_file(&h, g->p, g->p->clips[n->clip].path);
    if (reads_kind(n->agent, REEL_KIND_LOOKS)) hash_looks(&h, g->p);
    if (reads_kind(n->agent, REEL_KIND_DELIVERIES)) hash_deliveries(&h, g->p);
    for (int d = 0; d < n->n_deps; d++) {
        const reel_node *dn = &g->nodes[n->deps[d].node];
        if (!ok_state(dn->state)) continue; /* project tasks go on without failed inputs */
        reel_hash_str(&h, n->deps[d].kind);
        reel_hash_str(&h, dn->clip >= 0 ? g->p->clips[dn->clip].name : "");
        reel_hash_str(&h, dn->manifest);
    }
    for (int v = 0; n->agent->variables && n->agent->variables[v]; v++) {
        reel_hash_str(&h, n->agent->variables[v]);
        reel_hash_str(&h, reel_project_var(g->p, n->agent->variables[v]));
    }
    reel_hash_final(&h, n->key);
    (void)e;
    return 0;
}

int reel_graph_lookup(reel_graph *g, reel_state *st, int i, reel_err *e)
{
    reel_node *n = &g->nodes[i];
    int k = reel_state_result(st, n->key, n->outs, REEL_MAX_OUTPUTS, n->manifest, e);
    if (k < 0) return k == -1 ? 0 : k;
    for (int o = 0; o < k; o++)
        if (!reel_cache_has(g->p->root, n->outs[o].hash, n->outs[o].filename, n->outs[o].size))
            return 0; /* an object went missing: run again */
    n->n_outs = k;
    return 1;
}

/* Plan without running: walk the graph in order and mark what the cache already holds. */
int reel_plan(reel_project *p, reel_plan_item **items, int *n, reel_err *e)
{
    reel_graph g;
    reel_state st = {0};
    *items = NULL;
    *n = 0;
    int rc = reel_graph_build(&g, p, e);
    if (rc) return rc;
    char db[4200];
    snprintf(db, sizeof db, "%s/.reel/state.db", p->root);
    int have_db = reel_file_exists(db); /* planning a project never run creates nothing */
    if (have_db && (rc = reel_state_open(&st, p->root, e))) { reel_graph_free(&g); return rc; }
    reel_plan_item *it = calloc((size_t)g.n + 1, sizeof *it);
    if (!it) rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    for (int i = 0; !rc && i < g.n; i++) {
        reel_node *nd = &g.nodes[i];
        int bad = 0, hit = 0;
        if (have_db && reel_graph_deps_done(&g, i, &bad) && !bad && !(rc = reel_graph_key(&g, i, e)))
            hit = reel_graph_lookup(&g, &st, i, e) == 1;
        nd->state = hit ? REEL_TS_CACHED : REEL_TS_READY; /* READY: will run (not terminal) */
        snprintf(it[i].id, sizeof it[i].id, "%s", nd->id);
        it[i].agent = nd->agent;
        it[i].clip = nd->clip;
        it[i].estimate = nd->estimate;
        it[i].cached = hit;
        for (int d = 0; d < nd->n_deps && it[i].n_deps < 64; d++) { /* one entry per producer */
            int dup = 0;
            for (int k = 0; k < it[i].n_deps; k++) dup |= it[i].deps[k] == nd->deps[d].node;
            if (!dup) it[i].deps[it[i].n_deps++] = nd->deps[d].node;
        }
    }
    int count = g.n;
    if (have_db) reel_state_close(&st);
    reel_graph_free(&g);
    if (rc) { free(it); return rc; }
    *items = it;
    *n = count;
    return 0;
}
