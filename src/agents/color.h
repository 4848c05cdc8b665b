/* The colour agent's option table and its translation to the grader's options, shared with
 * `reel grade FILE` so the command and the agent take the same settings. */
#ifndef REEL_AGENT_COLOR_H
#define REEL_AGENT_COLOR_H

#include "agents/agent.h"
#include "color/grader.h"

extern const reel_agent reel_agent_color;
const reel_option *reel_color_option_table(void);
/* Fill o from resolved options (strings in o point into opts: keep opts alive). */
void reel_color_opts_from(const reel_opts *opts, reel_grade_opts *o);

#endif
