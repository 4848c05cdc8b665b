/* Ingest: one decode pass per clip that stores every analysis feature later agents need. */
#ifndef REEL_INGEST_H
#define REEL_INGEST_H

#include "agents/agent.h"
#include "media/media.h"
#include <jansson.h>

extern const reel_agent reel_agent_ingest;

/* The probe as a JSON object (new reference). */
json_t *reel_probe_json(const reel_probe *p);

/* Analyse one file outside a project (the engine of the ingest agent and `reel ingest FILE`):
 * writes features.json to json_path, the frame table to frames_path and, when the file has
 * video, the poster to poster_path (any of the three may be NULL). progress may be NULL. */
typedef struct reel_ingest_cfg {
    int analysis_width;
    int audio;
    int threads;
    int fast_decode;         /* skip the in-loop deblocking filter (analysis-size features only) */
    double duration_hint;
    const char *source_label;  /* how features.json names the source (default: the path) */
    volatile int *cancel;
    void (*progress)(double frac, void *opaque);
    void *opaque;
    void (*warn)(const char *msg, void *opaque);
} reel_ingest_cfg;
int reel_ingest_file(const char *path, const char *name, const reel_ingest_cfg *cfg,
                     const char *json_path, const char *frames_path, const char *poster_path,
                     int *has_video, reel_err *e);

#endif
