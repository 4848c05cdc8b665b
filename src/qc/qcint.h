/* Declarations shared by the QC files (not part of the QC interface). */
#ifndef REEL_QCINT_H
#define REEL_QCINT_H

#include "qc/qc.h"

int reel_qc_scan(const char *path, const reel_qc_opts *o, reel_qc_report *r, reel_err *e);
/* Add a finding; returns it (NULL when out of memory). t0 < 0 for the whole file. */
reel_qc_finding *reel_qc_add(reel_qc_report *r, const char *check, reel_qc_sev sev, double t0,
                             double t1, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The thumbnail nearest frame f (by frame number), or -1. */
int reel_qc_thumb_near(const reel_qc_report *r, int64_t frame);
void reel_qc_check_spec(reel_qc_report *r);
void reel_qc_check_video(reel_qc_report *r);
void reel_qc_check_flash(reel_qc_report *r);
void reel_qc_check_audio(reel_qc_report *r);
/* Frame index of time t in the video (nearest), 0 when there is no video. */
int64_t reel_qc_frame_at(const reel_qc_report *r, double t);


/* What counts as black, frozen and broken (shared by the scan's thumbnails and the detectors). */
#define REEL_QC_BLACK_SHARE 0.98f /* of the pixels at or under 10% of the luma range */
#define REEL_QC_FROZEN_DIFF 0.1f /* mean |dY| in code values */
#define REEL_QC_FROZEN_BLOCK 2.0f /* and no 16x16 block moving more than this */
#define REEL_QC_BROKEN 0.02f      /* share of block edges that are discontinuities */
static inline int reel_qc_frozen(const reel_qc_vframe *v)
{
    return v->diff <= REEL_QC_FROZEN_DIFF && v->block_diff <= REEL_QC_FROZEN_BLOCK;
}
/* Note an audio dropout at t seconds lasting len seconds (audio.c groups them into findings). */
int reel_qc_add_dropout(reel_qc_report *r, double t, double len);

/* Picture measures of one decoded YUV420P frame (vmeasure.c); prev is the previous frame's luma
 * (NULL for the first frame). bt709 picks the matrix for the RGB gamut test. */
void reel_qc_measure(const reel_frame *f, const uint8_t *prev, int pstride, int bt709, reel_qc_vframe *o);
/* How many 16-pixel block edges a w x h picture has (what reel_qc_vframe.broken is a share of). */
int reel_qc_block_edges(int w, int h);
/* Garbage takes at least this many broken edges (a few macroblocks' worth): on small pictures a
 * share of a few hundred edges is too easily reached by real detail on the grid. */
#define REEL_QC_BROKEN_MIN_EDGES 24

/* The flash analyser (flash.c): per-frame luminance and saturated-red transitions over a grid. */
typedef struct reel_qc_flash reel_qc_flash;
reel_qc_flash *reel_qc_flash_new(void);
void reel_qc_flash_feed(reel_qc_flash *fl, const reel_frame *f, int bt709, reel_qc_vframe *o);
void reel_qc_flash_free(reel_qc_flash **fl);

#endif
