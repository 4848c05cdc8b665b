/* A take's picture as recorded (takepicture.h): luma at analysis size, one
 * decode. Focus is the mean absolute Laplacian of luma (edges a soft lens or a missed focus pull
 * flattens); exposure the mean level and the share of pixels crushed or blown. */
#include "color/takepicture.h"

#include "media/media.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { ANALYSIS_W = 480 };

typedef struct pic_sums {
    double focus, luma, clipped;
    long long frames;
} pic_sums;

static void measure_frame(const reel_frame *f, pic_sums *s)
{
    double lap = 0, sum = 0;
    long long clip = 0, n = 0;
    for (int y = 1; y + 1 < f->height; y++) {
        const uint8_t *r = f->data[0] + (size_t)y * f->linesize[0], *up = r - f->linesize[0], *dn = r + f->linesize[0];
        for (int x = 1; x + 1 < f->width; x++, n++) {
            int v = r[x];
            lap += abs(4 * v - r[x - 1] - r[x + 1] - up[x] - dn[x]);
            sum += v;
            clip += v <= 18 || v >= 233; /* within 2 codes of video black or white */
        }
    }
    if (!n) return;
    s->focus += lap / (double)n, s->luma += sum / (double)n, s->clipped += (double)clip / (double)n;
    s->frames++;
}

int reel_take_picture_measure(const char *path, reel_take_picture *out, volatile int *cancel, reel_err *e)
{
    memset(out, 0, sizeof *out);
    reel_reader_opts ro;
    reel_reader_opts_default(&ro);
    ro.want_video = 1, ro.want_audio = 0, ro.out_width = ANALYSIS_W, ro.out_height = 0, ro.out_fmt = REEL_PIX_GRAY8;
    ro.skip_loop_filter = 2;
    reel_reader *r = NULL;
    int rc = reel_reader_open(&r, path, &ro, NULL, e);
    if (rc) return rc;
    pic_sums s = {0};
    reel_media_event ev;
    while ((rc = reel_reader_next(r, &ev, e)) > 0) {
        if (cancel && *cancel) {
            rc = reel_errf(e, REEL_ECANCEL, "%s: interrupted", path);
            break;
        }
        if (ev.kind == REEL_EV_VIDEO) measure_frame(ev.frame, &s);
    }
    reel_reader_free(&r);
    if (rc < 0) return rc;
    if (!s.frames) return reel_errf(e, REEL_EMEDIA, "%s: no picture to measure", path);
    out->frames = (int)s.frames;
    out->focus = s.focus / (double)s.frames;
    out->luma = s.luma / (double)s.frames;
    out->clipped = s.clipped / (double)s.frames;
    return 0;
}
