/* `reel init`: a new project's reel.yaml, written from the option tables so that it documents
 * every key it holds. Footage is referenced, never copied or touched. */
#include "project/brief.h"
#include "project/yamlout.h"
#include "util/fsutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void reel_yaml_scalar(reel_strbuf *b, const char *s)
{
    int plain = s[0] && !isspace((unsigned char)s[0]) && !isspace((unsigned char)s[strlen(s) - 1]);
    for (const char *c = s; plain && *c; c++)
        if (strchr(":#{}[],&*!|>'\"%@`\\", *c) || (unsigned char)*c < 0x20) plain = 0;
    static const char *const special[] = {"true", "false", "yes", "no", "on", "off", "null", "~", NULL};
    for (int i = 0; plain && special[i]; i++)
        if (!strcasecmp(s, special[i])) plain = 0;
    if (plain && s[0] == '-') plain = 0;
    if (plain) { reel_sb_add(b, s); return; }
    reel_sb_add(b, "\"");
    for (const char *c = s; *c; c++) {
        if (*c == '"' || *c == '\\') reel_sb_printf(b, "\\%c", *c);
        else if ((unsigned char)*c < 0x20) reel_sb_printf(b, "\\x%02x", (unsigned char)*c);
        else reel_sb_addn(b, c, 1);
    }
    reel_sb_add(b, "\"");
}

/* Append text as '#' comment lines of at most ~96 columns, each starting with indent. */
static void comment(reel_strbuf *b, const char *indent, const char *text)
{
    size_t width = 96 - strlen(indent) - 2, col = 0;
    reel_sb_printf(b, "%s#", indent);
    for (const char *w = text; *w;) {
        size_t n = strcspn(w, " ");
        if (col && col + 1 + n > width) {
            reel_sb_printf(b, "\n%s#", indent);
            col = 0;
        }
        reel_sb_add(b, " ");
        reel_sb_addn(b, w, n);
        col += n + 1;
        w += n;
        while (*w == ' ') w++;
    }
    reel_sb_add(b, "\n");
}

/* The value overrides ("name=value", NULL-terminated, may be NULL) give for name, or NULL. */
static const char *override_of(const char *const *over, const char *name)
{
    size_t n = strlen(name);
    for (int i = 0; over && over[i]; i++)
        if (!strncmp(over[i], name, n) && over[i][n] == '=') return over[i] + n + 1;
    return NULL;
}

void reel_yaml_table(reel_strbuf *b, const reel_option *table, const char *indent, int commented)
{
    reel_yaml_table_over(b, table, indent, commented, NULL);
}

void reel_yaml_table_over(reel_strbuf *b, const reel_option *table, const char *indent, int commented,
                          const char *const *over)
{
    for (int i = 0; table[i].name; i++) {
        char type[512], text[1200];
        reel_opt_describe_type(&table[i], type, sizeof type);
        snprintf(text, sizeof text, "%s (%s)", table[i].help, type);
        comment(b, indent, text);
        reel_sb_printf(b, "%s%s%s: ", indent, commented ? "# " : "", table[i].name);
        const char *def = override_of(over, table[i].name);
        if (!def) def = table[i].def ? table[i].def : "";
        if (table[i].type == REEL_OPT_STRING || table[i].type == REEL_OPT_ENUM) reel_yaml_scalar(b, def);
        else reel_sb_add(b, def); /* numbers and booleans stay plain */
        reel_sb_add(b, "\n");
    }
}

/* Footage inside the project is written relative to it, anything else absolute. */
static char *footage_entry(const char *root, const char *path)
{
    char *abs = reel_abspath(path);
    size_t n = strlen(root);
    if (abs && !strncmp(abs, root, n) && abs[n] == '/') {
        char *rel = strdup(abs + n + 1);
        free(abs);
        return rel;
    }
    return abs;
}

/* A YAML block list of paths, each relative to root when inside it. */
static void path_list(reel_strbuf *b, const char *root, const char *const *paths, int n)
{
    for (int i = 0; i < n; i++) {
        char *f = footage_entry(root, paths[i]);
        reel_sb_add(b, "  - ");
        reel_yaml_scalar(b, f ? f : paths[i]);
        reel_sb_add(b, "\n");
        free(f);
    }
}

static void write_brief(reel_strbuf *b, const char *root, const char *const *footage, int n,
                        const char *screenplay, const char *const *looks, int n_looks, const char *const *delivery)
{
    reel_sb_add(b, "# reel brief: what the pipeline works from. Paths are relative to this folder.\n"
                   "# Camera originals named under footage are only ever read, never written.\n"
                   "# `reel agents` lists every agent and its options; `reel plan` shows the work.\n\n");
    reel_sb_add(b, "# Title of the film, used in reports.\ntitle: ");
    reel_yaml_scalar(b, reel_basename(root));
    reel_sb_add(b, "\n\n# Folders or files of camera originals (searched recursively for media).\nfootage:\n");
    path_list(b, root, footage, n);
    reel_sb_add(b, "\n# Screenplay in Fountain format (optional).\nscreenplay: ");
    reel_yaml_scalar(b, screenplay ? screenplay : "");
    reel_sb_add(b, "\n\n# Look references: stills or clips the grade should move toward.\nlooks:");
    reel_sb_add(b, n_looks ? "\n" : " []\n");
    path_list(b, root, looks, n_looks);
    reel_sb_add(b, "\n# Scene variables. Change one with `reel set . name=value`: the next run redoes\n"
                   "# only the tasks that read it. Add your own as name: value.\nvariables:\n");
    reel_yaml_table(b, reel_variable_options, "  ", 0);
    reel_sb_add(b, "\n# Deliverables: rendered by the render agent into out/, checked by the qc agent.\ndeliveries:\n  - name: web\n");
    reel_yaml_table_over(b, reel_delivery_options + 1, "    ", 0, delivery);
    reel_sb_add(b, "\nbudget:\n");
    reel_yaml_table(b, reel_budget_options, "  ", 0);
    reel_sb_add(b, "\n# Worker threads for `reel run` (0 = every core).\nthreads: 0\n\n"
                   "# Per-agent options; defaults shown commented out (see `reel agents NAME`).\nagents:\n");
    for (int i = 0; reel_builtin_agents[i]; i++) {
        const reel_agent *a = reel_builtin_agents[i];
        char text[600];
        snprintf(text, sizeof text, "%s: %s", a->name, a->summary);
        comment(b, "  ", text);
        reel_sb_printf(b, "  # %s:\n", a->name);
        reel_yaml_table(b, a->options, "  #   ", 0);
    }
}

/* Each "name=value" names a delivery field and passes its table. */
static int check_overrides(const char *const *over, reel_err *e)
{
    for (int i = 0; over && over[i]; i++) {
        const char *eq = strchr(over[i], '=');
        const reel_option *o = NULL;
        for (int k = 1; eq && reel_delivery_options[k].name; k++)
            if (strlen(reel_delivery_options[k].name) == (size_t)(eq - over[i]) &&
                !strncmp(reel_delivery_options[k].name, over[i], (size_t)(eq - over[i])))
                o = &reel_delivery_options[k];
        if (!o) return reel_errf(e, REEL_EINVAL, "--delivery %s: not a delivery field (see `reel agents`'s "
                                 "reference: container, video_codec, width, height, fps, ...)", over[i]);
        char why[300], *canon = NULL;
        if (reel_opt_check(o, eq + 1, &canon, why, sizeof why))
            return reel_errf(e, REEL_EINVAL, "--delivery %s: %s", over[i], why);
        free(canon);
    }
    return 0;
}

int reel_project_init(const char *dir, const char *const *footage, int n_footage,
                      const char *screenplay, const char *const *looks, int n_looks,
                      const char *const *delivery, reel_err *e)
{
    if (check_overrides(delivery, e)) return e->code;
    if (n_footage < 1)
        return reel_errf(e, REEL_EINVAL, "reel init needs --footage PATH (the camera originals)");
    for (int i = 0; i < n_footage; i++)
        if (!reel_file_exists(footage[i]))
            return reel_errf(e, REEL_ENOTFOUND, "%s: footage does not exist", footage[i]);
    for (int i = 0; i < n_looks; i++)
        if (!reel_file_exists(looks[i]))
            return reel_errf(e, REEL_ENOTFOUND, "%s: look reference does not exist", looks[i]);
    int rc = reel_mkdirs(dir, e);
    if (rc) return rc;
    char *root = reel_abspath(dir), *path = root ? reel_path_join(root, "reel.yaml") : NULL;
    if (!path) { free(root); return reel_errf(e, REEL_ENOMEM, "out of memory"); }
    if (reel_file_exists(path)) {
        rc = reel_errf(e, REEL_EINVAL, "%s already exists; edit it, or remove it to start over", path);
    } else {
        reel_strbuf b;
        reel_sb_init(&b);
        write_brief(&b, root, footage, n_footage, screenplay, looks, n_looks, delivery);
        rc = b.oom ? reel_errf(e, REEL_ENOMEM, "out of memory") : reel_write_atomic(path, b.s, b.len, e);
        reel_sb_free(&b);
    }
    free(root);
    free(path);
    return rc;
}
