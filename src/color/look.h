/* A look: everything reel decides about colour except the per-shot correction, as one function
 * of an sRGB colour that can be baked into a 3D LUT. In order:
 *
 *   1. the transfer toward the reference stills (transfer.h), blended in Oklab by `strength`,
 *      its lightness change scaled down by `preserve_luma`, its chroma change held back on skin
 *      tones (`protect_skin`) and near-neutral colours (`protect_neutrals`);
 *   2. the named look (grade.h);
 *   3. the time-of-day grade (the scene variable time_of_day).
 *
 * A shot's full grade is look(cdl(x)): reel_look_bake with the shot's CDL makes one table of it.
 * Also here: drawing Oklab samples from pictures and loading look references (stills or clips),
 * with the checks a reference needs. */
#ifndef REEL_COLOR_LOOK_H
#define REEL_COLOR_LOOK_H

#include "color/cdl.h"
#include "color/grade.h"
#include "color/lut3d.h"
#include "color/transfer.h"
#include "media/media.h"

typedef struct reel_look {
    const reel_transfer *transfer; /* NULL: no reference transfer */
    float strength;                /* 0..1 of the transfer */
    float preserve_luma;           /* 0: the reference's tones too .. 1: keep the footage's lightness */
    float protect_skin;            /* 0..1: hold back chroma changes on skin tones */
    float protect_neutrals;        /* 0..1: hold back chroma changes on near-greys */
    int mono;                      /* the reference is black and white: drop chroma */
    reel_grade named, tod;
} reel_look;

/* No transfer, identity grades, strength 1. */
void reel_look_init(reel_look *l);
/* One sRGB colour (0..1) through the look; cdl (NULL: none) first. */
void reel_look_eval(const reel_look *l, const reel_cdl *cdl, const float in[3], float out[3]);
/* Bake look(cdl(x)) into an n-point table (n 2..256; replaces *out). 0 or REEL_ENOMEM. */
int reel_look_bake(const reel_look *l, const reel_cdl *cdl, int n, reel_lut3d *out, reel_err *e);
/* How much of a colour's chroma change the protections hold back (0..1). */
float reel_look_protection(const reel_look *l, const float lab[3]);

/* Up to max Oklab samples from a picture (RGB24 or RGBPF32) on an even grid; appended to
 * *lab (realloc'd) and *n. 0 or REEL_ENOMEM. */
int reel_samples_from_frame(const reel_frame *f, size_t max, float **lab, size_t *n);

/* What loading a look reference found. */
typedef struct reel_ref_info {
    int width, height;
    int bits;          /* bits per channel of the source (8, 10, 16 ...) */
    int frames;        /* pictures sampled (1 for a still) */
    int gray;          /* black and white: the look will be monochrome */
    double l_sd, c_mean; /* Oklab lightness spread and mean chroma */
    char note[256];    /* what was assumed or handled, for the report ("" when nothing) */
} reel_ref_info;

/* Load a reference still or clip (several pictures spread through it) as up to max Oklab
 * samples appended to *lab / *n. Refused, naming path: not a picture, HDR (PQ or HLG transfer),
 * a single flat colour. A greyscale or 16-bit picture is handled and said in info->note. */
int reel_look_reference_load(const char *path, size_t max, float **lab, size_t *n,
                             reel_ref_info *info, reel_err *e);

#endif
