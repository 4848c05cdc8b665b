/* The brief loader: reel.yaml parsed into a tree, each section checked against its option table,
 * paths resolved against the project folder. Every error names file:line and the key. */
#include "project/brief.h"
#include "media/media.h"
#include "project/yamltree.h"
#include "util/fsutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const time_of_day_values[] = {"dawn", "morning", "noon", "golden_hour", "sunset",
                                                 "blue_hour", "night", "day_for_night", NULL};
static const char *const containers[] = {"mp4", "mov", NULL};
static const char *const vcodecs[] = {"h264", "h265", "prores_hq", "prores_4444", "dnxhr_hq", "dnxhr_hqx", NULL};
static const char *const burn_ins[] = {"none", "timecode", "shots", "both", NULL};
static const char *const qc_specs[] = {"auto", "content", "netflix", "ebu", "atsc", "web", "none", NULL};
static const char *const presets[] = {"ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", NULL};
static const char *const acodecs[] = {"aac", "pcm_s16le", "pcm_s24le", "none", NULL};
static const char *const loudness_specs[] = {"ebu_r128", "atsc_a85", "netflix", "streaming_16",
                                             "streaming_14", "none", NULL};

const reel_option reel_brief_options[] = {
    {"title", REEL_OPT_STRING, "Untitled", 0, 0, NULL, "Title of the film, used in reports."},
    {"screenplay", REEL_OPT_STRING, "", 0, 0, NULL,
     "Screenplay in Fountain format, relative to the project folder (optional)."},
    {"threads", REEL_OPT_INT, "0", 0, 256, NULL,
     "Worker threads for `reel run`; 0 uses every core."},
    {NULL},
};

const reel_option reel_budget_options[] = {
    {"cpu_seconds", REEL_OPT_FLOAT, "0", 0, 1e9, NULL,
     "Compute budget in CPU seconds for the project, summed over runs; 0 means unlimited. A run "
     "stops scheduling tasks once the budget is spent."},
    {NULL},
};

const reel_option reel_delivery_options[] = {
    {"name", REEL_OPT_STRING, NULL, 0, 0, NULL, "Name of the deliverable, used for its file name."},
    {"container", REEL_OPT_ENUM, "mp4", 0, 0, containers,
     "File container (ProRes and DNxHR need mov; PCM audio needs mov)."},
    {"video_codec", REEL_OPT_ENUM, "h264", 0, 0, vcodecs,
     "Video codec: h264 and h265 (4:2:0 8-bit, web), prores_hq (422 HQ 10-bit) and prores_4444 "
     "(4:4:4 10-bit) masters, dnxhr_hq (4:2:2 8-bit) and dnxhr_hqx (4:2:2 10-bit)."},
    {"width", REEL_OPT_INT, "1920", 16, 8192, NULL, "Frame width in pixels."},
    {"height", REEL_OPT_INT, "1080", 16, 4320, NULL, "Frame height in pixels."},
    {"fps", REEL_OPT_RATIONAL, "24", 1, 240, NULL, "Frame rate."},
    {"audio_codec", REEL_OPT_ENUM, "aac", 0, 0, acodecs, "Audio codec."},
    {"loudness", REEL_OPT_ENUM, "ebu_r128", 0, 0, loudness_specs, "Loudness specification."},
    {"crf", REEL_OPT_INT, "18", 0, 51, NULL, "Quality of h264 and h265 (lower is better and bigger; 0 is lossless)."},
    {"preset", REEL_OPT_ENUM, "medium", 0, 0, presets, "Speed preset of h264 and h265."},
    {"start_timecode", REEL_OPT_STRING, "01:00:00:00", 0, 0, NULL,
     "Timecode of the first frame (the timecode track); ';' before the frames for drop frame."},
    {"burn_in", REEL_OPT_ENUM, "none", 0, 0, burn_ins,
     "Text burnt into the picture for review copies: the record timecode, the shot names, or both."},
    {"fade", REEL_OPT_FLOAT, "0", 0, 10, NULL, "Fade from and to black at the head and tail, in seconds."},
    {"qc", REEL_OPT_ENUM, "auto", 0, 0, qc_specs,
     "The QC spec the deliverable is checked against: auto checks what this delivery declares "
     "(its container, codec, size, rate and loudness); none skips QC."},
    {NULL},
};

const reel_option reel_variable_options[] = {
    {"time_of_day", REEL_OPT_ENUM, "noon", 0, 0, time_of_day_values,
     "Time of day the scene plays at; the colour agents grade toward it."},
    {NULL},
};

typedef struct loader {
    reel_project *p;
    const char *file;
    reel_err *e;
} loader;

static int bad(loader *L, const reel_ynode *n, const char *fmt, const char *a, const char *b)
{
    char msg[600];
    snprintf(msg, sizeof msg, fmt, a, b ? b : "");
    return reel_errf(L->e, REEL_ECONFIG, "%s:%d: %s", L->file, n ? n->line : 1, msg);
}

static int unknown_key(loader *L, const reel_ynode *key, const char *section,
                       const char *const *allowed)
{
    char list[400] = "";
    for (int i = 0; allowed[i]; i++) {
        strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, allowed[i], sizeof list - strlen(list) - 1);
    }
    char msg[600];
    snprintf(msg, sizeof msg, "unknown key '%s' in %s (expected one of: %s)", key->value, section, list);
    return reel_errf(L->e, REEL_ECONFIG, "%s:%d: %s", L->file, key->line, msg);
}

static int is_null(const reel_ynode *v)
{
    return v->type == REEL_Y_SCALAR && !v->quoted &&
           (!v->value[0] || !strcmp(v->value, "~") || !strcmp(v->value, "null"));
}

/* Apply a mapping of scalars to opts; section names the place for messages. */
static int load_table(loader *L, const reel_ynode *map, reel_opts *opts, const char *section)
{
    if (map->type != REEL_Y_MAP)
        return bad(L, map, "%s must be a mapping of key: value, not %s", section, reel_ynode_kind(map));
    for (int i = 0; i < map->n; i++) {
        const reel_ynode *k = map->keys[i], *v = map->items[i];
        const reel_option *o = reel_opt_find(opts->table, k->value);
        if (!o) {
            const char *names[64];
            int n = 0;
            for (; opts->table[n].name && n < 63; n++) names[n] = opts->table[n].name;
            names[n] = NULL;
            return unknown_key(L, k, section, names);
        }
        if (v->type != REEL_Y_SCALAR)
            return bad(L, v, "'%s' must be a single value, not %s", k->value, reel_ynode_kind(v));
        if (is_null(v)) continue;
        reel_err sub = {0};
        if (reel_opts_set(opts, k->value, v->value, &sub))
            return reel_errf(L->e, REEL_ECONFIG, "%s:%d: %s", L->file, v->line, sub.msg);
    }
    for (int i = 0; i < opts->n; i++)
        if (!opts->vals[i])
            return bad(L, map, "%s needs '%s'", section, opts->table[i].name);
    return 0;
}

static int add_path(loader *L, char ***list, int *n, const reel_ynode *v, const char *key)
{
    if (v->type != REEL_Y_SCALAR || !v->value[0])
        return bad(L, v, "each entry of '%s' must be a path%s", key, NULL);
    char **nl = realloc(*list, (size_t)(*n + 1) * sizeof *nl);
    if (!nl) return reel_errf(L->e, REEL_ENOMEM, "out of memory");
    *list = nl;
    nl[*n] = reel_path_join(L->p->root, v->value);
    if (!nl[*n]) return reel_errf(L->e, REEL_ENOMEM, "out of memory");
    (*n)++;
    return 0;
}

static int load_paths(loader *L, const reel_ynode *v, char ***list, int *n, const char *key)
{
    if (is_null(v)) return 0;
    if (v->type == REEL_Y_SCALAR) return add_path(L, list, n, v, key);
    if (v->type != REEL_Y_SEQ) return bad(L, v, "'%s' must be a path or a list of paths", key, NULL);
    for (int i = 0; i < v->n; i++) {
        int rc = add_path(L, list, n, v->items[i], key);
        if (rc) return rc;
    }
    return 0;
}

static int valid_var_name(const char *s)
{
    if (!(islower((unsigned char)s[0]) || s[0] == '_')) return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_')) return 0;
    return 1;
}

/* Check one variable value: builtin variables against their table, others are free text. */
int reel_variable_check(const char *name, const char *value, char **canon, char *why, size_t len)
{
    if (!valid_var_name(name)) {
        snprintf(why, len, "'%s' is not a valid variable name (lowercase letters, digits, _)", name);
        return REEL_EINVAL;
    }
    const reel_option *o = reel_opt_find(reel_variable_options, name);
    if (o) return reel_opt_check(o, value, canon, why, len);
    *canon = strdup(value);
    return *canon ? 0 : REEL_ENOMEM;
}

static int push_var(reel_project *p, const char *name, char *value, int line)
{
    reel_variable *nv = realloc(p->vars, (size_t)(p->n_vars + 1) * sizeof *nv);
    if (!nv) return REEL_ENOMEM;
    p->vars = nv;
    nv[p->n_vars].name = strdup(name);
    nv[p->n_vars].value = value;
    nv[p->n_vars].line = line;
    p->n_vars++;
    return nv[p->n_vars - 1].name ? 0 : REEL_ENOMEM;
}

static int load_vars(loader *L, const reel_ynode *v)
{
    if (v && !is_null(v) && v->type != REEL_Y_MAP)
        return bad(L, v, "'variables' must be a mapping of name: value%s", "", NULL);
    for (int i = 0; v && v->type == REEL_Y_MAP && i < v->n; i++) {
        const reel_ynode *k = v->keys[i], *val = v->items[i];
        if (val->type != REEL_Y_SCALAR)
            return bad(L, val, "variable '%s' must be a single value, not %s", k->value,
                       reel_ynode_kind(val));
        char why[600], *canon = NULL;
        if (reel_variable_check(k->value, val->value, &canon, why, sizeof why))
            return reel_errf(L->e, REEL_ECONFIG, "%s:%d: %s", L->file, val->line, why);
        if (push_var(L->p, k->value, canon, val->line)) return reel_errf(L->e, REEL_ENOMEM, "oom");
    }
    for (int i = 0; reel_variable_options[i].name; i++) /* builtins always have a value */
        if (!reel_project_var(L->p, reel_variable_options[i].name)) {
            char *d = strdup(reel_variable_options[i].def);
            if (!d || push_var(L->p, reel_variable_options[i].name, d, 0))
                return reel_errf(L->e, REEL_ENOMEM, "out of memory");
        }
    return 0;
}

/* The fields of a delivery that must agree with each other. */
static int check_delivery(loader *L, const reel_ynode *n, const reel_opts *o)
{
    const char *vc = reel_opts_str(o, "video_codec"), *cont = reel_opts_str(o, "container");
    const char *ac = reel_opts_str(o, "audio_codec");
    long long w = reel_opts_int(o, "width"), h = reel_opts_int(o, "height");
    char msg[300];
    int fn = 0, fd = 1;
    if (reel_vcodec_is_420(vc) == 1 && (w % 2 || h % 2)) {
        snprintf(msg, sizeof msg, "%lldx%lld: %s is 4:2:0 and needs an even width and height", w, h, vc);
        return bad(L, n, "%s%s", msg, NULL);
    }
    if (w % 2) return bad(L, n, "width %s: the 4:2:2 and 4:2:0 codecs need an even width", reel_opts_str(o, "width"), NULL);
    if (strncmp(vc, "h26", 3) && strcmp(cont, "mov"))
        return bad(L, n, "%s goes in a mov container, not %s", vc, cont);
    if (!strncmp(ac, "pcm", 3) && strcmp(cont, "mov"))
        return bad(L, n, "PCM audio (%s) goes in a mov container, not mp4 (use aac for mp4)", ac, NULL);
    reel_parse_rational(reel_opts_str(o, "fps"), &fn, &fd);
    static const int std[][2] = {{24000, 1001}, {24, 1}, {25, 1}, {30000, 1001}, {30, 1}, {50, 1}, {60000, 1001}, {60, 1}};
    int ok = !!strncmp(vc, "h26", 3) ? 0 : fn <= 120 * fd;
    for (size_t k = 0; !ok && k < sizeof std / sizeof std[0]; k++) ok = (long long)fn * std[k][1] == (long long)fd * std[k][0];
    if (!ok)
        return bad(L, n, strncmp(vc, "h26", 3) ? "%s cannot carry %s fps (ProRes and DNxHR take 23.976, 24, 25, "
                   "29.97, 30, 50, 59.94 and 60)" : "%s cannot carry %s fps here (at most 120)", vc, reel_opts_str(o, "fps"));
    const char *tc = reel_opts_str(o, "start_timecode");
    int drop = 0;
    if (reel_tc_parse(tc, (reel_rational){fn, fd}, &drop) < 0)
        return bad(L, n, "start_timecode '%s' is not a timecode at %s fps (HH:MM:SS:FF)", tc, reel_opts_str(o, "fps"));
    return 0;
}

static int load_deliveries(loader *L, const reel_ynode *v)
{
    if (!v || is_null(v)) return 0;
    if (v->type != REEL_Y_SEQ) return bad(L, v, "'deliveries' must be a list (- name: ...)%s", "", NULL);
    if (v->n > 16) return bad(L, v, "%s deliveries: at most 16%s", v->n > 99 ? "over 99" : "too many", NULL);
    L->p->deliveries = calloc((size_t)v->n + 1, sizeof *L->p->deliveries);
    if (!L->p->deliveries) return reel_errf(L->e, REEL_ENOMEM, "out of memory");
    for (int i = 0; i < v->n; i++) {
        reel_delivery *d = &L->p->deliveries[i];
        if (reel_opts_init(&d->opts, reel_delivery_options)) return reel_errf(L->e, REEL_ENOMEM, "oom");
        L->p->n_deliveries++;
        d->line = v->items[i]->line;
        int rc = load_table(L, v->items[i], &d->opts, "a delivery");
        if (rc) return rc;
        rc = check_delivery(L, v->items[i], &d->opts);
        if (rc) return rc;
        const char *name = reel_opts_str(&d->opts, "name");
        for (int j = 0; j < i; j++)
            if (!strcmp(name, reel_opts_str(&L->p->deliveries[j].opts, "name")))
                return bad(L, v->items[i], "two deliveries are named '%s'", name, NULL);
    }
    return 0;
}

static int load_agents(loader *L, const reel_ynode *v)
{
    reel_project *p = L->p;
    for (p->n_agents = 0; p->agents[p->n_agents]; p->n_agents++) {}
    p->agent_opts = calloc((size_t)p->n_agents + 1, sizeof *p->agent_opts);
    if (!p->agent_opts) return reel_errf(L->e, REEL_ENOMEM, "out of memory");
    for (int i = 0; i < p->n_agents; i++)
        if (reel_opts_init(&p->agent_opts[i], p->agents[i]->options))
            return reel_errf(L->e, REEL_EINVAL, "agent %s: a default does not pass its own table",
                             p->agents[i]->name);
    if (!v || is_null(v)) return 0;
    if (v->type != REEL_Y_MAP) return bad(L, v, "'agents' must be a mapping of agent: options%s", "", NULL);
    for (int i = 0; i < v->n; i++) {
        const reel_agent *a = reel_agent_find(p->agents, v->keys[i]->value);
        if (!a) {
            const char *names[64];
            int n = 0;
            for (; p->agents[n] && n < 63; n++) names[n] = p->agents[n]->name;
            names[n] = NULL;
            return unknown_key(L, v->keys[i], "agents", names);
        }
        char section[96];
        snprintf(section, sizeof section, "agents.%s", a->name);
        int idx = 0;
        while (p->agents[idx] != a) idx++;
        if (is_null(v->items[i])) continue;
        int rc = load_table(L, v->items[i], &p->agent_opts[idx], section);
        if (rc) return rc;
    }
    return 0;
}

static const char *const top_keys[] = {"title", "screenplay", "threads", "footage", "looks",
                                       "variables", "deliveries", "budget", "agents", NULL};

static int load_tree(loader *L, const reel_ynode *root)
{
    reel_project *p = L->p;
    reel_ynode top = {.type = REEL_Y_MAP, .line = 1};
    reel_ynode *keys[16], *items[16];
    top.keys = keys;
    top.items = items;
    for (int i = 0; i < root->n; i++) { /* split scalar settings from sections */
        const char *k = root->keys[i]->value;
        int known = 0;
        for (int j = 0; top_keys[j]; j++) known |= !strcmp(top_keys[j], k);
        if (!known) return unknown_key(L, root->keys[i], "the brief", top_keys);
        if (reel_opt_find(reel_brief_options, k) && top.n < 16) {
            keys[top.n] = root->keys[i];
            items[top.n++] = root->items[i];
        }
    }
    int rc = load_table(L, &top, &p->top, "the brief");
    const reel_ynode *v;
    if (!rc && (v = reel_ymap_get(root, "footage"))) rc = load_paths(L, v, &p->footage, &p->n_footage, "footage");
    if (!rc && (v = reel_ymap_get(root, "looks"))) rc = load_paths(L, v, &p->looks, &p->n_looks, "looks");
    if (!rc) rc = load_vars(L, reel_ymap_get(root, "variables"));
    if (!rc) rc = load_deliveries(L, reel_ymap_get(root, "deliveries"));
    if (!rc && (v = reel_ymap_get(root, "budget")) && !is_null(v)) rc = load_table(L, v, &p->budget, "budget");
    if (!rc) rc = load_agents(L, reel_ymap_get(root, "agents"));
    if (!rc && p->n_footage == 0)
        rc = reel_errf(L->e, REEL_ECONFIG, "%s: 'footage' is missing: name the folder(s) of camera "
                       "originals, e.g. footage: [footage]", L->file);
    return rc;
}

int reel_project_load_text(reel_project *p, const char *dir, const char *text, size_t len,
                           const reel_agent *const *agents, reel_err *e)
{
    memset(p, 0, sizeof *p);
    p->agents = agents;
    p->root = reel_abspath(dir);
    if (!p->root || !reel_is_dir(p->root))
        return reel_errf(e, REEL_ENOTFOUND, "%s: no such project folder", dir);
    p->brief_path = reel_path_join(p->root, "reel.yaml");
    if (!p->brief_path) return reel_errf(e, REEL_ENOMEM, "out of memory");
    reel_ynode *root = NULL;
    loader L = {p, p->brief_path, e};
    int rc = reel_yaml_parse(p->brief_path, text, len, &root, e);
    if (!rc && (reel_opts_init(&p->top, reel_brief_options) ||
                reel_opts_init(&p->budget, reel_budget_options)))
        rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    if (!rc) rc = load_tree(&L, root);
    reel_ynode_free(&root);
    return rc;
}

int reel_project_load(reel_project *p, const char *dir, const reel_agent *const *agents, reel_err *e)
{
    memset(p, 0, sizeof *p);
    char *path = reel_path_join(dir, "reel.yaml"), *text = NULL;
    size_t len = 0;
    if (!path) return reel_errf(e, REEL_ENOMEM, "out of memory");
    int rc = reel_is_dir(dir) ? reel_read_file(path, &text, &len, e)
                              : reel_errf(e, REEL_ENOTFOUND, "%s: no such project folder", dir);
    if (rc == REEL_ENOTFOUND && reel_is_dir(dir))
        reel_errf(e, rc, "%s: no reel.yaml here (create one with `reel init %s --footage PATH`)",
                  dir, dir);
    free(path);
    if (!rc) rc = reel_project_load_text(p, dir, text, len, agents, e);
    free(text);
    return rc;
}

void reel_project_free(reel_project *p)
{
    if (!p) return;
    free(p->root);
    free(p->brief_path);
    reel_opts_free(&p->top);
    reel_opts_free(&p->budget);
    for (int i = 0; i < p->n_footage; i++) free(p->footage[i]);
    free(p->footage);
    for (int i = 0; i < p->n_looks; i++) free(p->looks[i]);
    free(p->looks);
    for (int i = 0; i < p->n_vars; i++) { free(p->vars[i].name); free(p->vars[i].value); }
    free(p->vars);
    for (int i = 0; i < p->n_deliveries; i++) reel_opts_free(&p->deliveries[i].opts);
    free(p->deliveries);
    for (int i = 0; p->agent_opts && i < p->n_agents; i++) reel_opts_free(&p->agent_opts[i]);
    free(p->agent_opts);
    for (int i = 0; i < p->n_clips; i++) { free(p->clips[i].path); free(p->clips[i].name); }
    free(p->clips);
    memset(p, 0, sizeof *p);
}

const char *reel_project_label(const reel_project *p, const char *path)
{
    size_t rl = strlen(p->root);
    return !strncmp(path, p->root, rl) && path[rl] == '/' ? path + rl + 1 : path;
}

const char *reel_project_var(const reel_project *p, const char *name)
{
    for (int i = 0; i < p->n_vars; i++)
        if (!strcmp(p->vars[i].name, name)) return p->vars[i].value;
    return NULL;
}

const reel_opts *reel_project_agent_opts(const reel_project *p, const reel_agent *a)
{
    for (int i = 0; i < p->n_agents; i++)
        if (p->agents[i] == a) return &p->agent_opts[i];
    return NULL;
}
