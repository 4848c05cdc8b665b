/* Writing YAML text by hand: quoting scalars and emitting option tables as commented keys. */
#ifndef REEL_YAMLOUT_H
#define REEL_YAMLOUT_H

#include "project/options.h"
#include "util/strbuf.h"

/* Append s as a YAML scalar: plain when safe, double-quoted and escaped otherwise. */
void reel_yaml_scalar(reel_strbuf *b, const char *s);
/* Append every option of table as "<indent># help (type)\n<indent>name: default\n";
 * commented = 1 writes the key lines commented out too. */
void reel_yaml_table(reel_strbuf *b, const reel_option *table, const char *indent, int commented);
/* The same with some values given ("name=value" strings, NULL-terminated; may be NULL). */
void reel_yaml_table_over(reel_strbuf *b, const reel_option *table, const char *indent, int commented,
                          const char *const *over);

#endif
