/* YAML tree builder on libyaml's event parser: positions kept, aliases refused, depth bounded. */
#include "project/yamltree.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 32

static reel_ynode *node_new(reel_ynode_type t, const yaml_mark_t *m)
{
    reel_ynode *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    n->type = t;
    n->line = (int)m->line + 1;
    n->col = (int)m->column + 1;
    n->start = m->index;
    return n;
}

void reel_ynode_free(reel_ynode **pn)
{
    reel_ynode *n = pn ? *pn : NULL;
    if (!n) return;
    for (int i = 0; i < n->n; i++) {
        if (n->keys) reel_ynode_free(&n->keys[i]);
        reel_ynode_free(&n->items[i]);
    }
    free(n->keys);
    free(n->items);
    free(n->value);
    free(n);
    *pn = NULL;
}

static int node_push(reel_ynode *parent, reel_ynode *key, reel_ynode *item)
{
    if (parent->n == parent->cap) {
        int cap = parent->cap ? parent->cap * 2 : 8;
        reel_ynode **items = realloc(parent->items, (size_t)cap * sizeof *items);
        if (!items) return REEL_ENOMEM;
        parent->items = items;
        if (parent->type == REEL_Y_MAP) {
            reel_ynode **keys = realloc(parent->keys, (size_t)cap * sizeof *keys);
            if (!keys) return REEL_ENOMEM;
            parent->keys = keys;
        }
        parent->cap = cap;
    }
    if (parent->type == REEL_Y_MAP) parent->keys[parent->n] = key;
    parent->items[parent->n++] = item;
    return 0;
}

typedef struct ctx {
    yaml_parser_t p;
    const char *path;
    reel_err *e;
} ctx;

static int parse_node(ctx *c, yaml_event_t *ev, reel_ynode **out, int depth);

static int next_event(ctx *c, yaml_event_t *ev)
{
    if (yaml_parser_parse(&c->p, ev)) return 0;
    const char *what = c->p.problem ? c->p.problem : "syntax error";
    yaml_mark_t m = c->p.problem_mark;
    if (strstr(what, "cannot start any token"))
        what = "found a character that cannot start any token (a tab used for indentation?)";
    return reel_errf(c->e, REEL_ECONFIG, "%s:%d:%d: %s%s%s", c->path, (int)m.line + 1,
                     (int)m.column + 1, what, c->p.context ? " " : "",
                     c->p.context ? c->p.context : "");
}

static int parse_children(ctx *c, reel_ynode *n, yaml_event_type_t end_type, int depth)
{
    for (;;) {
        yaml_event_t ev;
        int rc = next_event(c, &ev);
        if (rc) return rc;
        if (ev.type == end_type) {
            n->end = ev.end_mark.index;
            yaml_event_delete(&ev);
            return 0;
        }
        reel_ynode *key = NULL, *val = NULL;
        rc = parse_node(c, &ev, n->type == REEL_Y_MAP ? &key : &val, depth + 1);
        if (!rc && n->type == REEL_Y_MAP) {
            if (key->type != REEL_Y_SCALAR)
                rc = reel_errf(c->e, REEL_ECONFIG, "%s:%d: a key must be a plain name", c->path,
                               key->line);
            else if (reel_ymap_get(n, key->value))
                rc = reel_errf(c->e, REEL_ECONFIG, "%s:%d: key '%s' appears twice", c->path,
                               key->line, key->value);
            if (!rc && !(rc = next_event(c, &ev))) rc = parse_node(c, &ev, &val, depth + 1);
        }
        if (!rc) rc = node_push(n, key, val);
        if (rc) {
            reel_ynode_free(&key);
            reel_ynode_free(&val);
            return rc;
        }
    }
}

/* Consumes ev (always deleted). */
static int parse_node(ctx *c, yaml_event_t *ev, reel_ynode **out, int depth)
{
    int rc = 0;
    reel_ynode *n = NULL;
    if (depth > MAX_DEPTH) {
        rc = reel_errf(c->e, REEL_ECONFIG, "%s:%d: nested too deeply", c->path,
                       (int)ev->start_mark.line + 1);
        goto done;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        if (!(n = node_new(REEL_Y_SCALAR, &ev->start_mark))) { rc = REEL_ENOMEM; break; }
        n->value = strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
        n->quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                    ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        n->end = ev->end_mark.index;
        if (!n->value) rc = REEL_ENOMEM;
        break;
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT: {
        int map = ev->type == YAML_MAPPING_START_EVENT;
        if (!(n = node_new(map ? REEL_Y_MAP : REEL_Y_SEQ, &ev->start_mark))) { rc = REEL_ENOMEM; break; }
        n->flow = map ? ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                      : ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
        yaml_event_delete(ev);
        rc = parse_children(c, n, map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT, depth);
        if (rc) reel_ynode_free(&n);
        *out = n;
        return rc;
    }
    case YAML_ALIAS_EVENT:
        rc = reel_errf(c->e, REEL_ECONFIG, "%s:%d: aliases (*name) are not supported in a brief",
                       c->path, (int)ev->start_mark.line + 1);
        break;
    default:
        rc = reel_errf(c->e, REEL_ECONFIG, "%s:%d: unexpected YAML structure", c->path,
                       (int)ev->start_mark.line + 1);
    }
    if (!rc && ev->type == YAML_SCALAR_EVENT && ev->data.scalar.anchor)
        rc = reel_errf(c->e, REEL_ECONFIG, "%s:%d: anchors (&name) are not supported in a brief",
                       c->path, n->line);
done:
    yaml_event_delete(ev);
    if (rc) reel_ynode_free(&n);
    *out = n;
    return rc;
}

static int expect(ctx *c, yaml_event_type_t t, yaml_event_t *ev)
{
    int rc = next_event(c, ev);
    if (rc) return rc;
    if (ev->type == t) return 0;
    yaml_event_delete(ev);
    return reel_errf(c->e, REEL_ECONFIG, "%s: unexpected YAML structure", c->path);
}

int reel_yaml_parse(const char *path, const char *text, size_t len, reel_ynode **root, reel_err *e)
{
    ctx c = {.path = path, .e = e};
    *root = NULL;
    if (!yaml_parser_initialize(&c.p)) return reel_errf(e, REEL_ENOMEM, "out of memory");
    yaml_parser_set_input_string(&c.p, (const unsigned char *)text, len);
    yaml_event_t ev;
    reel_ynode *doc = NULL;
    int rc = expect(&c, YAML_STREAM_START_EVENT, &ev);
    if (rc) goto out;
    yaml_event_delete(&ev);
    if ((rc = next_event(&c, &ev))) goto out;
    if (ev.type == YAML_STREAM_END_EVENT) { /* empty file */
        yaml_event_delete(&ev);
        yaml_mark_t m = {0};
        doc = node_new(REEL_Y_MAP, &m);
        rc = doc ? 0 : REEL_ENOMEM;
        goto out;
    }
    yaml_event_delete(&ev);
    if ((rc = next_event(&c, &ev))) goto out;
    if ((rc = parse_node(&c, &ev, &doc, 0))) goto out;
    if (doc->type != REEL_Y_MAP) {
        rc = reel_errf(e, REEL_ECONFIG, "%s:%d: the brief must be a mapping of keys (title:, footage:, ...)",
                       path, doc->line);
        goto out;
    }
    if ((rc = expect(&c, YAML_DOCUMENT_END_EVENT, &ev))) goto out;
    yaml_event_delete(&ev);
    if ((rc = next_event(&c, &ev))) goto out;
    if (ev.type != YAML_STREAM_END_EVENT)
        rc = reel_errf(e, REEL_ECONFIG, "%s:%d: only one YAML document is allowed", path,
                       (int)ev.start_mark.line + 1);
    yaml_event_delete(&ev);
out:
    yaml_parser_delete(&c.p);
    if (rc) reel_ynode_free(&doc);
    *root = doc;
    return rc;
}

reel_ynode *reel_ymap_get(const reel_ynode *map, const char *key)
{
    if (!map || map->type != REEL_Y_MAP) return NULL;
    for (int i = 0; i < map->n; i++)
        if (map->keys[i] && !strcmp(map->keys[i]->value, key)) return map->items[i];
    return NULL;
}

const char *reel_ynode_kind(const reel_ynode *n)
{
    return n->type == REEL_Y_SCALAR ? "a single value" : n->type == REEL_Y_MAP ? "a mapping" : "a list";
}
