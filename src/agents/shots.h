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
/* Write the JSON (always) and the EDL / OTIO (when their paths are not NULL). source names the
 * clip in the EDL, source_url is the OTIO media reference. */
int reel_shots_write(const reel_shot_result *r, const char *clip, const char *source,
                     const char *source_url, reel_rational fps,
                     const char *start_tc, const char *json_path, const char *edl_path,
                     const char *otio_path, reel_err *e);

#endif
