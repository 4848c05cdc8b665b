/* A small YAML document tree built from libyaml events, keeping the line, column and byte span of
 * every node so errors can name file:line and `reel set` can edit the file in place without losing
 * the user's comments. Anchors and aliases are refused (no billion-laughs expansion). */
#ifndef REEL_YAMLTREE_H
#define REEL_YAMLTREE_H

#include "reel/reel.h"
#include <stddef.h>

typedef enum { REEL_Y_SCALAR, REEL_Y_MAP, REEL_Y_SEQ } reel_ynode_type;

typedef struct reel_ynode {
    reel_ynode_type type;
    char *value;                 /* SCALAR: the text */
    int quoted;                  /* SCALAR: written with quotes */
    int flow;                    /* MAP/SEQ: flow style ({...} / [...]) */
    int line, col;               /* 1-based start position */
    size_t start, end;           /* byte span in the source */
    /* MAP: keys[i] -> items[i]; SEQ: items[i] */
    struct reel_ynode **keys, **items;
    int n, cap;
} reel_ynode;

/* Parse text (named path, for messages) into *root. A syntax error, a tab, an alias or a
 * document that is not a mapping give REEL_ECONFIG with "path:line:col: what". Empty text
 * yields an empty mapping. */
int reel_yaml_parse(const char *path, const char *text, size_t len, reel_ynode **root, reel_err *e);
void reel_ynode_free(reel_ynode **n);
/* Value of key in a mapping, or NULL. */
reel_ynode *reel_ymap_get(const reel_ynode *map, const char *key);
/* Describe a node type for messages ("a list", "a mapping", "a value"). */
const char *reel_ynode_kind(const reel_ynode *n);

#endif
