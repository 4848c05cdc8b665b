/* The shots agent's engine, shared with `reel shots FILE`. */
#ifndef REEL_AGENT_SHOTS_H
#define REEL_AGENT_SHOTS_H

#include "agents/agent.h"
#include "media/media.h"
#include "project/options.h"
#include "shots/detect.h"

extern const reel_agent reel_agent_shots;
const reel_option *reel_shots_option_table(void);
void reel_shots_params_from(const reel_opts *o, reel_shot_params *p);
/* Where reel_shots_write puts each form; NULL skips it (json is required). */
typedef struct reel_shots_paths {
    const char *json, *edl, *otio, *srt;
} reel_shots_paths;

/* Write the shot list in every form named in paths, each atomically. source names the clip in
 * the EDL, source_url is the OTIO media reference. */
int reel_shots_write(const reel_shot_result *r, const char *clip, const char *source,
                     const char *source_url, reel_rational fps, const char *start_tc,
                     const reel_shots_paths *paths, reel_err *e);

#endif
