/* ASC CDL interchange (ASC CDL v1.2, xmlns="urn:ASC:CDL:v1.2"): the .cdl file (a
 * ColorDecisionList holding one ColorDecision), the .ccc file (a ColorCorrectionCollection of many
 * ColorCorrections) and the *ASC_SOP / *ASC_SAT comment lines of a CMX3600 EDL. The values
 * themselves and their maths are color/cdl.h.
 *
 * Read: every ColorCorrection element, whichever wrapper holds it (ColorDecisionList,
 * ColorCorrectionCollection, or none), becomes an entry: its id attribute ("" when absent), the
 * first <Description> of the ColorCorrection or of its SOPNode, the SOPNode's <Slope>, <Offset>
 * and <Power> (three numbers each) and the SatNode's (or the older SATNode's) <Saturation> (one
 * number); a node that is missing keeps the identity values. A UTF-8 BOM, <?xml ?>, comments,
 * DOCTYPE, CRLF and namespace prefixes are skipped. Refused with "NAME:LINE: what is wrong": no
 * ColorCorrection at all, a number list of the wrong length, a non-number, NaN, infinity or a
 * number over 10^6 in size, a negative slope, power or saturation, an element, tag or comment
 * never closed, an end tag that closes the wrong element, a NUL byte, nesting deeper than 64 or
 * more than 100000 entries. Ids over 127 bytes and descriptions over 255 are cut (at a UTF-8
 * character boundary).
 * Write: six decimals (%.6f, C locale), ids and descriptions XML-escaped, atomically (temp
 * file, fsync, rename). */
#ifndef REEL_TIMELINE_CDL_H
#define REEL_TIMELINE_CDL_H

#include "color/cdl.h"
#include "reel/reel.h"

#include <stddef.h>

#define REEL_CDL_MAX_ENTRIES 100000

typedef struct reel_cdl_entry {
    char id[128];
    char description[256];
    reel_cdl cdl;
} reel_cdl_entry;

/* XML text of a .cdl (one entry) or of a .ccc (n entries); malloc'd, NULL when out of memory. */
char *reel_cdl_to_xml(const reel_cdl_entry *e);
char *reel_ccc_to_xml(const reel_cdl_entry *e, int n);
/* Write atomically; 0, or a negative REEL_E* with err naming the path (a .ccc needs n >= 1). */
int reel_cdl_save(const char *path, const reel_cdl_entry *e, reel_err *err);
int reel_ccc_save(const char *path, const reel_cdl_entry *e, int n, reel_err *err);
/* Parse text[0..len) (name: for messages): *out (malloc'd, caller frees) and *n entries; 0, or
 * REEL_EINVAL / REEL_ENOMEM with err saying why (then *out is NULL and *n 0). */
int reel_cdl_parse(const char *name, const char *text, size_t len, reel_cdl_entry **out, int *n,
                   reel_err *err);
int reel_cdl_load(const char *path, reel_cdl_entry **out, int *n, reel_err *err);
/* Append the two EDL comment lines to the NUL-terminated string in buf (whole size cap):
 * "*ASC_SOP (s s s)(o o o)(p p p)\n*ASC_SAT s\n", numbers %.6f. Returns how many chars the two
 * lines take (snprintf semantics: the text is cut, still NUL-terminated, when it does not fit;
 * buf may be NULL when cap is 0). */
int reel_cdl_edl_comments(const reel_cdl *c, char *buf, size_t cap);

#endif
