/* A small, strict XML reader for the interchange files reel reads back (FCP7 xmeml, FCPXML):
 * the document becomes a tree of elements, each with its attributes, its character data and its
 * file line. Not validating; no DTD processing.
 *
 * Read: the XML declaration, comments, processing instructions and a DOCTYPE (with or without an
 * internal subset) are skipped; a UTF-8 BOM and CRLF are accepted; CDATA sections are text; the
 * five predefined entities and numeric character references are decoded. Namespace prefixes are
 * kept in names (xml_child and xml_attr match the local name too). Refused with "NAME:LINE: what
 * is wrong": a tag never closed, an end tag that closes another element, a second root, text
 * outside the root, an attribute without quotes or given twice, an unknown entity, a NUL byte,
 * nesting deeper than 256, more than 4 million elements. */
#ifndef REEL_UTIL_XML_H
#define REEL_UTIL_XML_H

#include "reel/reel.h"

#include <stddef.h>

typedef struct xml_node xml_node;
struct xml_node {
    char *name;
    char **attr;        /* name, value, name, value, ... */
    int n_attr;
    char *text;         /* its own character data, entities decoded, white space trimmed; NULL: none */
    xml_node **kid;
    int n_kid;
    int line;
};

/* Parse text[0..len); *root is malloc'd (xml_free). 0, or REEL_EINVAL / REEL_ENOMEM with e set. */
int xml_parse(const char *name, const char *text, size_t len, xml_node **root, reel_err *e);
void xml_free(xml_node *n);
/* The value of attribute `name` (exact, else by local name), or NULL. */
const char *xml_attr(const xml_node *n, const char *name);
/* The first child element named `name` (exact or local name), or NULL. */
xml_node *xml_child(const xml_node *n, const char *name);
/* The text of the child `name` ("" when it has none), or NULL without that child. */
const char *xml_child_text(const xml_node *n, const char *name);
/* Append s to b with &, <, >, " and ' escaped. */
struct reel_strbuf;
void xml_escape(struct reel_strbuf *b, const char *s);

#endif
