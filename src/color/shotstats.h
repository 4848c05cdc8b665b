/* Colour statistics of frames and shots from ingest's feature table (no decoding): each frame's
 * mean R, G, B (video code values, 0..1) from its mean Y, U, V through the clip's matrix and
 * range, and each shot's pooled means and spreads (luma contrast, chroma spread). The shot
 * matcher and the deflicker work on these. */
#ifndef REEL_COLOR_SHOTSTATS_H
#define REEL_COLOR_SHOTSTATS_H

#include "agents/features.h"

/* How the analysed frames' Y'CbCr maps to R'G'B'. */
typedef struct reel_yuv_desc {
    double kr, kb;   /* luma weights: BT.709 0.2126/0.0722, BT.601 0.299/0.114 */
    int full_range;  /* 1: 0..255 codes; 0: 16..235 / 16..240 */
} reel_yuv_desc;

/* The matrix FFmpeg's conversions use for a clip: its colour-space tag ("bt709", "bt470bg",
 * "smpte170m", ...), else BT.709 from 720 lines up and BT.601 below. *assumed is set to 1 when
 * the tag was missing or unknown. */
void reel_yuv_desc_for(const char *color_space, int height, int full_range, reel_yuv_desc *d,
                       int *assumed);
/* One Y'CbCr triple (code values 0..1 as stored by ingest) to R'G'B' 0..1 (not clamped). */
void reel_yuv_to_rgb(const reel_yuv_desc *d, const double yuv[3], double rgb[3]);

typedef struct reel_frame_color {
    float rgb[3];    /* mean R', G', B' */
    float luma_sd;   /* spread of luma (R'G'B' units) */
    float chroma_sd; /* spread of chroma */
    float y;         /* ingest's mean Y (code value 0..1) */
    float motion;    /* ingest's mean |dY| between this frame and the previous */
    int damaged;
    float hist[REEL_HIST_Y]; /* ingest's luma histogram (32 bins of 8 code values) */
} reel_frame_color;

/* Per-frame colour for every row of f (needs u_std/v_std: ingest v4). *out malloc'd, n rows.
 * 0, REEL_EINVAL (columns missing: re-ingest), REEL_ENOMEM. */
int reel_frame_colors(const reel_frames *f, const reel_yuv_desc *d, reel_frame_color **out);

typedef struct reel_shot_color {
    int start, end;     /* frames [start, end) */
    int frames;         /* frames pooled (the middle 80%, damaged ones left out) */
    double rgb[3];      /* mean R'G'B' */
    double luma;        /* Rec. 709 luma of the mean */
    double luma_sd, chroma_sd;
    double lo, mid, hi; /* luma levels (Y' 0..1): black point (1%), median, white point (99%) */
    double exposure_ok; /* fraction of pooled frames neither crushed nor clipped on average */
} reel_shot_color;

/* Pool frames [start, end) of fc into one shot's statistics; d gives the luma levels' range. */
void reel_shot_color_pool(const reel_frame_color *fc, int start, int end, const reel_yuv_desc *d,
                          reel_shot_color *s);

#endif
