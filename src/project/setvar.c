/* `reel set NAME=VALUE`: edits the variables: section of reel.yaml in place (the user's comments
 * and layout survive), validates the result with the same loader as every run, then replaces
 * the file atomically. */
#include "project/brief.h"
#include "project/yamlout.h"
#include "project/yamltree.h"
#include "util/fsutil.h"

#include <stdlib.h>
#include <string.h>

static int splice(reel_strbuf *out, const char *text, size_t len, size_t a, size_t b,
                  const char *with)
{
    reel_sb_addn(out, text, a);
    reel_sb_add(out, with);
    reel_sb_addn(out, text + b, len - b);
    return out->oom ? REEL_ENOMEM : 0;
}

static size_t line_end(const char *text, size_t len, size_t i)
{
    while (i < len && text[i] != '\n') i++;
    return i;
}

/* Rebuild a mapping as flow style with name set to value. */
static void flow_map(reel_strbuf *b, const reel_ynode *map, const char *name, const char *value)
{
    int found = 0;
    reel_sb_add(b, "{");
    for (int i = 0; map && map->type == REEL_Y_MAP && i < map->n; i++) {
        int mine = !strcmp(map->keys[i]->value, name);
        found |= mine;
        reel_sb_add(b, i ? ", " : "");
        reel_yaml_scalar(b, map->keys[i]->value);
        reel_sb_add(b, ": ");
        reel_yaml_scalar(b, mine ? value : map->items[i]->value);
    }
    if (!found) {
        reel_sb_add(b, map && map->type == REEL_Y_MAP && map->n ? ", " : "");
        reel_yaml_scalar(b, name);
        reel_sb_add(b, ": ");
        reel_yaml_scalar(b, value);
    }
    reel_sb_add(b, "}");
}

static int edit(const char *text, size_t len, const reel_ynode *root, const char *name,
                const char *value, reel_strbuf *out)
{
    const reel_ynode *vars = reel_ymap_get(root, "variables"), *key = NULL;
    for (int i = 0; vars && i < root->n; i++)
        if (root->items[i] == vars) key = root->keys[i];
    reel_strbuf v;
    reel_sb_init(&v);
    int rc;
    if (!vars) { /* no section yet: append one */
        reel_sb_add(&v, len && text[len - 1] != '\n' ? "\n" : "");
        reel_sb_add(&v, "\nvariables:\n  ");
        reel_yaml_scalar(&v, name);
        reel_sb_add(&v, ": ");
        reel_yaml_scalar(&v, value);
        reel_sb_add(&v, "\n");
        rc = splice(out, text, len, len, len, v.s ? v.s : "");
    } else if (vars->type == REEL_Y_MAP && !vars->flow) {
        const reel_ynode *cur = reel_ymap_get(vars, name);
        if (cur && cur->type == REEL_Y_SCALAR) {
            reel_yaml_scalar(&v, value);
            rc = splice(out, text, len, cur->start, cur->end, v.s);
        } else {
            const reel_ynode *last = vars->items[vars->n - 1];
            size_t at = line_end(text, len, last->end);
            reel_sb_printf(&v, "\n%*s", vars->keys[0]->col - 1, "");
            reel_yaml_scalar(&v, name);
            reel_sb_add(&v, ": ");
            reel_yaml_scalar(&v, value);
            rc = splice(out, text, len, at, at, v.s);
        }
    } else if (vars->type == REEL_Y_MAP) { /* flow mapping: rewrite it whole */
        flow_map(&v, vars, name, value);
        rc = splice(out, text, len, vars->start, vars->end, v.s);
    } else { /* `variables:` left empty: replace the rest of its line */
        reel_sb_add(&v, ": ");
        flow_map(&v, NULL, name, value);
        rc = splice(out, text, len, key->end, line_end(text, len, key->end), v.s);
    }
    if (v.oom) rc = REEL_ENOMEM;
    reel_sb_free(&v);
    return rc;
}

int reel_project_set_var(const char *dir, const char *name, const char *value,
                         const reel_agent *const *agents, reel_err *e)
{
    char why[600], *canon = NULL, *text = NULL, *path = reel_path_join(dir, "reel.yaml");
    size_t len = 0;
    reel_ynode *root = NULL;
    reel_strbuf out;
    reel_sb_init(&out);
    int rc = path ? reel_read_file(path, &text, &len, e) : REEL_ENOMEM;
    if (!rc && reel_variable_check(name, value, &canon, why, sizeof why))
        rc = reel_errf(e, REEL_EINVAL, "%s", why);
    if (!rc) rc = reel_yaml_parse(path, text, len, &root, e);
    if (!rc && (rc = edit(text, len, root, name, canon, &out)))
        reel_errf(e, rc, "out of memory");
    if (!rc) { /* validate the edited brief exactly as a run would */
        reel_project check;
        rc = reel_project_load_text(&check, dir, out.s, out.len, agents, e);
        const char *now = rc ? NULL : reel_project_var(&check, name);
        if (!rc && (!now || strcmp(now, canon)))
            rc = reel_errf(e, REEL_EINVAL, "%s: could not set %s in place; edit the file by hand",
                           path, name);
        reel_project_free(&check);
    }
    if (!rc) rc = reel_write_atomic(path, out.s, out.len, e);
    reel_ynode_free(&root);
    reel_sb_free(&out);
    free(canon);
    free(text);
    free(path);
    return rc;
}
