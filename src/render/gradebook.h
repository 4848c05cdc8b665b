/* The colour agent's decisions read back for the conform (see gradebook.c). */
#ifndef REEL_RENDER_GRADEBOOK_H
#define REEL_RENDER_GRADEBOOK_H

#include "color/cdl.h"
#include "color/lut3d.h"
#include "reel/reel.h"

#include <stdint.h>

typedef struct reel_gradebook reel_gradebook;

/* Load look.cube, grade.json and (may be NULL) deflicker.json; with grade_json NULL, the look alone
 * grades every clip. 0 or <0 with e naming the file. */
int reel_gradebook_load(reel_gradebook **g, const char *cube, const char *grade_json, const char *deflicker_json,
                        reel_err *e);
/* The table for frame `frame` (ingest's numbering) of clip `clip`, its deflicker gain set, and the
 * shot's number from 1: *plan NULL (and *shot 0) when the clip was not graded (g may be NULL).
 * The plan is owned by g and valid until the next call. 0, or <0 out of memory. */
int reel_gradebook_plan(reel_gradebook *g, const char *clip, int64_t frame, reel_lut3d_plan **plan, int *shot,
                        reel_err *e);
/* The same as the shot's table itself (CDL and look, no gain) with the frame's deflicker gain
 * (*gain NULL: none) and a number that changes whenever the table's contents do. */
int reel_gradebook_table(reel_gradebook *g, const char *clip, int64_t frame, const reel_lut3d **table,
                         const float **gain, unsigned *gen, int *shot, reel_err *e);
void reel_gradebook_free(reel_gradebook **g);

#endif
