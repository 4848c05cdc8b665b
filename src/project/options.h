/* Typed option tables: the one source of truth for every setting reel accepts. An agent's
 * options, a delivery's fields, the brief's top-level keys and the scene variables are each one
 * const table; the brief loader, `reel agents`, the reference in the README and the task keys all
 * read these tables, so nothing is declared twice and a typo is an error, never a silent 0. */
#ifndef REEL_OPTIONS_H
#define REEL_OPTIONS_H

#include "reel/reel.h"

typedef enum reel_opt_type {
    REEL_OPT_BOOL,
    REEL_OPT_INT,
    REEL_OPT_FLOAT,
    REEL_OPT_STRING,
    REEL_OPT_ENUM,
    REEL_OPT_RATIONAL, /* "25", "24000/1001", "29.97" */
} reel_opt_type;

typedef struct reel_option {
    const char *name;
    reel_opt_type type;
    const char *def;              /* default as text; NULL = required (no default) */
    double min, max;              /* INT / FLOAT / RATIONAL range, inclusive */
    const char *const *choices;   /* ENUM: NULL-terminated list */
    const char *help;
} reel_option;

/* A resolved set of values for one table: vals[i] is the canonical text of table[i]. */
typedef struct reel_opts {
    const reel_option *table;
    int n;
    char **vals;
} reel_opts;

/* Number of entries in a table terminated by an entry with name NULL. */
int reel_opt_count(const reel_option *table);
const reel_option *reel_opt_find(const reel_option *table, const char *name);
/* Check text against o; on success write the canonical text (malloc'd) to *canon. On failure
 * write a reason such as "must be an integer from 1 to 64" into why. */
int reel_opt_check(const reel_option *o, const char *text, char **canon, char *why, size_t whylen);
/* Initialise opts with every default. Required options (def NULL) stay NULL. */
int reel_opts_init(reel_opts *opts, const reel_option *table);
/* Set one value by name (checked); REEL_EINVAL with a message naming the key otherwise. */
int reel_opts_set(reel_opts *opts, const char *name, const char *text, reel_err *e);
void reel_opts_free(reel_opts *opts);
int reel_opts_copy(reel_opts *dst, const reel_opts *src);
const char *reel_opts_str(const reel_opts *opts, const char *name);
long long reel_opts_int(const reel_opts *opts, const char *name);
double reel_opts_float(const reel_opts *opts, const char *name);
int reel_opts_bool(const reel_opts *opts, const char *name);
/* Canonical "name=value\n" text of every option, in table order (for hashing). malloc'd. */
char *reel_opts_canonical(const reel_opts *opts);
/* One-line description of an option's type and range, e.g. "int 16..8192" or "one of: a, b". */
void reel_opt_describe_type(const reel_option *o, char *buf, size_t len);
/* Parse a rational text ("25", "30000/1001", "29.97") into num/den; 0 or REEL_EINVAL. */
int reel_parse_rational(const char *text, int *num, int *den);

#endif
