/* Shot lists as files: reel's JSON, CMX3600 EDL, OTIO JSON and SRT. */
#ifndef REEL_SHOTS_EXPORT_H
#define REEL_SHOTS_EXPORT_H

#include "media/media.h"
#include "shots/detect.h"
#include <jansson.h>

typedef struct reel_shot_span {
    int start, end; /* [start, end) frames */
} reel_shot_span;

/* Shots between the transitions: a cut starts a shot, a gradual transition splits at its middle;
 * head fade-ins and tail fade-outs stay inside their shot. *spans malloc'd; returns count. */
int reel_shot_spans(const reel_shot_result *r, reel_shot_span **spans);
json_t *reel_shots_to_json(const reel_shot_result *r, const char *clip, reel_rational fps,
                           const char *start_tc);
char *reel_shots_to_edl(const reel_shot_result *r, const char *clip, const char *source_name,
                        reel_rational fps, const char *start_tc);
json_t *reel_shots_to_otio(const reel_shot_result *r, const char *clip, const char *source_url,
                           reel_rational fps);

/* SRT: one cue per shot spanning its frames, naming the shot, its frame range, how it begins and
 * the flashes inside it. malloc'd text ("" for no shots), NULL when out of memory. */
char *reel_shots_to_srt(const reel_shot_result *r, const char *clip, reel_rational fps);

#endif
