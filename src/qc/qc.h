/* Quality control of a finished file, as a broadcaster's QC would do it: one decode pass measures
 * every frame and every audio block (scan.c), detectors turn the measures into findings with a
 * timecode, a severity and a thumbnail (video.c, flash.c, audio.c), the file's streams are
 * checked against a delivery spec (spec.c), and the result is written as report.json and a
 * self-contained report.html (report.c, html.c).
 *
 * Memory: a few dozen bytes per video frame and per 100 ms of audio, plus at most
 * REEL_QC_MAX_THUMBS small JPEG thumbnails; never whole frames beyond the two being compared. */
#ifndef REEL_QC_H
#define REEL_QC_H

#include "audio/loudness.h"
#include "media/media.h"
#include "reel/reel.h"

#include <jansson.h>
#include <stdint.h>

#define REEL_QC_MAX_THUMBS 160
#define REEL_QC_STRIP 12 /* evenly spaced thumbnails for the report's film strip */

typedef enum reel_qc_sev { REEL_QC_INFO = 0, REEL_QC_WARNING, REEL_QC_ERROR } reel_qc_sev;
const char *reel_qc_sev_name(reel_qc_sev s);

/* A delivery spec: what the file must be, and how each content check is judged. Strings are
 * comma-separated lists of accepted values; NULL accepts anything. */
typedef struct reel_qc_spec {
    const char *name, *title;
    const char *containers;     /* file extensions: "mov,mp4" */
    const char *vcodecs;        /* FFmpeg codec names: "prores,dnxhd" */
    const char *vprofiles;      /* codec profiles as FFmpeg names them: "HQ,4444" */
    const char *pix_fmts;       /* "yuv422p10le" */
    const char *sizes;          /* "1920x1080,3840x2160" */
    const char *fps;            /* "24000/1001,24,25,30000/1001" */
    int bt709;                  /* colour tags must say BT.709 (primaries, transfer, matrix) */
    int limited_range;          /* the file must be tagged limited (TV) range */
    const char *acodecs;        /* "pcm_s24le" */
    int sample_rate;            /* 0 any */
    int min_channels;           /* 0 any (an audio stream is then not required) */
    double loudness;            /* target LUFS; NAN: measured, not judged */
    double loudness_tol;        /* +- LU */
    int dialogue_gated;         /* the target applies to the speech-gated loudness */
    double true_peak;           /* ceiling dBTP; NAN: not judged */
    reel_qc_sev levels_sev;     /* levels outside EBU R103 on more than 1% of the picture */
    double black_min_s;         /* a black segment at least this long is reported */
    double freeze_min_s;        /* a freeze at least this long is reported */
    double silence_min_s;       /* a silence at least this long (mid-programme) is reported */
} reel_qc_spec;

const reel_qc_spec *reel_qc_specs(void);                 /* NULL-name terminated */
const reel_qc_spec *reel_qc_spec_find(const char *name); /* NULL when unknown */

/* One video frame's measures (8-bit luma code values unless said). */
typedef struct reel_qc_vframe {
    double time;
    float ymean, ylo, ymid, yhi;  /* mean, 1st, 50th and 99th percentiles */
    float black;                  /* share of pixels at or under the black threshold */
    float diff;                   /* mean |Y - previous Y| */
    float block_diff;             /* the largest 16x16 block mean |Y - previous Y| */
    float illegal;                /* share of the picture outside EBU R103 (luma or RGB) */
    float broken;                 /* share of 16-pixel block edges that are discontinuities */
    uint8_t damaged;              /* the decoder reported errors for this frame */
    int8_t flash;                 /* a large luminance transition here: +1 up, -1 down, 0 none */
    int8_t red_flash;             /* the same for saturated red */
    float flash_area;             /* the share of the screen in that transition */
} reel_qc_vframe;

/* 100 ms of audio. */
typedef struct reel_qc_ablock {
    float momentary, short_term;  /* LUFS at the block's end */
    float peak;                   /* sample peak, dBFS, over all channels */
    float rms;                    /* dBFS, the loudest channel */
    float corr;                   /* L/R correlation (first two channels), NAN when mono or quiet */
    float true_peak;              /* dBTP of the second this block ends (set on every 10th block) */
    uint32_t clipped;             /* clipped sample runs that start in this block */
} reel_qc_ablock;

typedef struct reel_qc_thumb {
    int64_t frame;
    uint8_t *jpg;
    size_t len;
} reel_qc_thumb;

typedef struct reel_qc_finding {
    char check[16];      /* "container", "black", "freeze", "decode", "glitch", "flash", "levels",
                            "loudness", "true_peak", "clipping", "dropout", "silence", "phase" */
    reel_qc_sev sev;
    double t0, t1;       /* seconds; t0 < 0: the whole file */
    char tc[32];         /* timecode of t0, "" for the whole file */
    char msg[300];
    int thumb;           /* index into the report's thumbnails, -1 none */
} reel_qc_finding;

typedef struct reel_qc_report {
    char path[1024];
    const reel_qc_spec *spec;
    reel_probe probe;
    int64_t start_frame;          /* the start timecode as a frame count (0 when none) */
    reel_rational fps;
    reel_qc_vframe *v;
    int64_t nv;
    reel_qc_ablock *a;
    int64_t na;
    reel_loudness loud;           /* whole programme */
    double corr;                  /* programme L/R correlation, NAN when mono */
    int64_t corrupt_packets;
    int64_t lost_pictures;        /* video packets that gave no picture (codecs that code one a packet) */
    int block_edges;              /* 16-pixel block edges in the analysed picture */
    reel_qc_thumb thumbs[REEL_QC_MAX_THUMBS];
    int n_thumbs;
    int strip[REEL_QC_STRIP];     /* thumbnail indexes of the film strip, -1 unused */
    int n_strip;
    double *drops;                /* audio dropouts: start, length (seconds) pairs */
    int n_drops, cap_drops;
    reel_qc_finding *f;
    int nf, cap_f;
    int errors, warnings;
} reel_qc_report;

typedef struct reel_qc_opts {
    const reel_qc_spec *spec;     /* NULL: "content" */
    int threads;                  /* decoder threads, 0 auto */
    const volatile int *cancel;
    void (*progress)(double frac, void *opaque);
    void *opaque;
} reel_qc_opts;

/* Check path. 0 with *r filled (free with reel_qc_report_free) whatever the findings; <0 when the
 * file cannot be read at all (e names it). A file that fails QC is not an error: see r->errors. */
int reel_qc_run(const char *path, const reel_qc_opts *o, reel_qc_report *r, reel_err *e);
void reel_qc_report_free(reel_qc_report *r);

/* The report as JSON (caller decrefs) and as a self-contained HTML page written atomically. */
json_t *reel_qc_report_json(const reel_qc_report *r);
int reel_qc_write_html(const reel_qc_report *r, const char *path, reel_err *e);
/* Every frame's measures as CSV (one line a frame), written atomically. */
int reel_qc_write_frames_csv(const reel_qc_report *r, const char *path, reel_err *e);

#endif
