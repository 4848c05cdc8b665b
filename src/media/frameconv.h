/* Internal to the media layer: how a reel_frame is described to FFmpeg (pixel format, plane
 * order) and a cached swscale conversion shared by the reader, the encoder and image I/O.
 * Implemented in image.c. */
#ifndef REEL_MEDIA_FRAMECONV_H
#define REEL_MEDIA_FRAMECONV_H

#include "media/media.h"

#include <libavutil/pixfmt.h>

/* FFmpeg's pixel format for a reel layout (RGBPF32 is GBRPF32 with planes reordered). */
enum AVPixelFormat reel_pix_to_av(reel_pixfmt f);
/* Plane pointers and strides of f in FFmpeg's plane order for reel_pix_to_av(f->fmt). */
void reel_frame_av_planes(const reel_frame *f, uint8_t *data[4], int linesize[4]);

/* One side of a conversion: planes, size, format, range (1 = full) and matrix (AVColorSpace). */
typedef struct reel_image_desc {
    uint8_t *data[4];
    int linesize[4];
    int width, height;
    enum AVPixelFormat fmt;
    int full_range;
    int colorspace;
} reel_image_desc;

/* A swscale context kept while source and destination keep their shape. */
typedef struct reel_sws {
    struct SwsContext *ctx;
    int key[10];
} reel_sws;

/* Convert/scale src into dst with SWS_AREA (cached in c). 0 or REEL_ENOMEM/REEL_EMEDIA. */
int reel_sws_convert(reel_sws *c, const reel_image_desc *src, const reel_image_desc *dst,
                     reel_err *e);
void reel_sws_free(reel_sws *c);

#endif
