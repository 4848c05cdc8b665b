/* Internal to the media layer: the one way reel opens an input file (safe open with a protocol and
 * format whitelist, probe limits and a deadline), the shared filler of reel_probe, and the
 * routing of FFmpeg's log into reel_log. Nothing outside src/media includes this header. */
#ifndef REEL_MEDIA_SAFEOPEN_H
#define REEL_MEDIA_SAFEOPEN_H

#include "media/media.h"

#include <libavformat/avformat.h>

/* Route FFmpeg's own log lines into reel_log (once per process). */
void reel_media_init(void);

/* Open path under limits l (NULL: defaults), read stream info. On success *fmt is an opened
 * context that must be closed with reel_media_close_input(). On failure *fmt is NULL and e names
 * the file and the reason. */
int reel_media_open_input(AVFormatContext **fmt, const char *path, const reel_open_limits *l,
                          reel_err *e);
/* Close a context opened by reel_media_open_input(); *fmt becomes NULL; safe on NULL. */
void reel_media_close_input(AVFormatContext **fmt);
/* Push the deadline of an opened context forward (call on progress). */
void reel_media_touch(AVFormatContext *fmt);
/* 1 when the deadline of an opened context has passed. */
int reel_media_timed_out(const AVFormatContext *fmt);

/* Index of the first video (not cover art) / audio stream, or -1. */
int reel_media_first_stream(const AVFormatContext *fmt, enum AVMediaType type);
/* Fill *out from an opened context. REEL_EMEDIA when there is no video and no audio stream. */
int reel_media_fill_probe(const AVFormatContext *fmt, const char *path, reel_probe *out,
                          reel_err *e);

#endif
