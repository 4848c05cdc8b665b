/* The media layer: the only code in reel that talks to libavformat, libavcodec, libswscale and
 * libswresample. It owns safe opening of untrusted files, probing, decoding video to planar
 * buffers at an analysis size and audio to float PCM, and encoding deliverables. */
#ifndef REEL_MEDIA_H
#define REEL_MEDIA_H

#include "reel/reel.h"
#include <stdint.h>

typedef struct reel_rational {
    int num, den;
} reel_rational;

/* What probing a file tells. Strings are "" when unknown. */
typedef struct reel_probe {
    char format[64];        /* demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" */
    double duration;        /* seconds, -1 when unknown */
    int64_t bit_rate;
    int has_video, has_audio;
    /* video (first video stream) */
    char vcodec[32];
    char pix_fmt[32];
    int width, height;
    reel_rational fps;      /* r_frame_rate / avg_frame_rate as a rational, 0/1 when unknown */
    reel_rational sar;      /* sample aspect ratio, 1/1 when unknown */
    int64_t nb_frames;      /* from the container, or estimated from duration*fps; -1 unknown */
    int vfr;                /* 1 when the average and real frame rates disagree */
    char color_space[32], color_range[16], color_primaries[32], color_trc[32];
    char timecode[32];      /* start timecode "HH:MM:SS:FF" or "HH:MM:SS;FF" (drop frame), or "" */
    int tc_drop;            /* 1 when the timecode is drop-frame */
    /* audio (first audio stream) */
    char acodec[32];
    int sample_rate, channels;
    char layout[64];        /* e.g. "stereo", "5.1(side)", "mono" */
    char sample_fmt[16];
    /* added: codec profile of the first video stream ("High", "HQ", ...) or "" */
    char vprofile[32];
} reel_probe;

/* Limits applied when opening any file. Defaults from reel_open_limits_default(). */
typedef struct reel_open_limits {
    double deadline_s;      /* interrupt open/probe/read after this many seconds without progress */
    int max_streams;
    int64_t probesize;
    int64_t analyzeduration_us;
} reel_open_limits;
void reel_open_limits_default(reel_open_limits *l);

/* Probe path safely. 0 on success; REEL_EMEDIA/REEL_EIO/REEL_ENOTFOUND with e naming the file
 * and the reason ("empty file", "not a media file (text?)", "no video or audio stream", ...). */
int reel_media_probe(const char *path, reel_probe *out, reel_err *e);

/* Pixel layouts the reader and encoder exchange. All planar except RGB24. */
typedef enum reel_pixfmt {
    REEL_PIX_GRAY8 = 0,   /* one plane, luma */
    REEL_PIX_YUV420P,     /* 8-bit */
    REEL_PIX_YUV444P,     /* 8-bit, the usual analysis layout */
    REEL_PIX_RGB24,       /* packed, for images/thumbnails */
    REEL_PIX_RGBPF32,     /* planar float R,G,B in [0,1] (three planes) */
} reel_pixfmt;

typedef struct reel_frame {
    int width, height;
    reel_pixfmt fmt;
    uint8_t *data[4];
    int linesize[4];
    int64_t index;        /* 0-based decode order index of this frame in the stream */
    double time;          /* presentation time in seconds from the stream start */
    int full_range;       /* 1 when the source is full range (JPEG) */
    int damaged;          /* reader output: the decoder flagged this frame, or video data was lost
                             (decode or read errors) since the last key frame before it */
} reel_frame;

/* Allocate / free planes for a frame of the given size and format (32-byte aligned lines). */
int reel_frame_alloc(reel_frame *f, int width, int height, reel_pixfmt fmt);
void reel_frame_free(reel_frame *f);

/* A one-pass reader that decodes the first video and first audio stream of a file together, in
 * file order, which is what analysis wants (decode once, analyse once). */
typedef struct reel_reader reel_reader;

typedef struct reel_reader_opts {
    int want_video;          /* decode video */
    int out_width, out_height; /* size of delivered frames; 0,0 = native size; one 0 keeps aspect */
    reel_pixfmt out_fmt;
    int want_audio;          /* decode audio */
    int out_sample_rate;     /* 0 = native rate */
    int out_channels;        /* 0 = native channel count; 1 = downmix to mono */
    int threads;             /* decoder threads; 0 = auto (all cores) */
    int skip_loop_filter;    /* analysis only: skip in-loop deblocking (H.264/HEVC...), ~15% faster;
                                1 always, 2 only when the output is <= 1/3 of the source width */
    reel_open_limits limits;
} reel_reader_opts;
void reel_reader_opts_default(reel_reader_opts *o);

typedef enum { REEL_EV_VIDEO = 1, REEL_EV_AUDIO = 2 } reel_event_kind;

typedef struct reel_media_event {
    reel_event_kind kind;
    const reel_frame *frame;   /* REEL_EV_VIDEO: valid until the next call; owned by the reader */
    const float *samples;      /* REEL_EV_AUDIO: interleaved float, valid until the next call */
    int nb_samples;            /* per channel */
    int channels, sample_rate;
    double time;               /* seconds */
} reel_media_event;

typedef struct reel_reader_stats {
    int64_t video_frames, audio_samples;
    int64_t corrupt_packets;   /* packets the decoder rejected or flagged corrupt; not fatal */
    int64_t read_errors;       /* demuxer read errors skipped */
    int64_t video_packets;     /* video packets given to the decoder */
} reel_reader_stats;

/* Open path for reading with opts. The probe is filled in *probe if non-NULL. */
int reel_reader_open(reel_reader **r, const char *path, const reel_reader_opts *opts,
                     reel_probe *probe, reel_err *e);
/* Next decoded event: 1 and *ev filled, 0 at end of stream, <0 on a fatal error. */
int reel_reader_next(reel_reader *r, reel_media_event *ev, reel_err *e);
void reel_reader_stats_get(const reel_reader *r, reel_reader_stats *s);
/* Free the reader; *r becomes NULL; safe on NULL. */
void reel_reader_free(reel_reader **r);

/* Downscale an 8-bit plane by area averaging (box filter) from (sw,sh) to (dw,dh): the exact
 * area-weighted mean, rounded. Sizes may also grow (slow path). */
void reel_downscale_plane(const uint8_t *src, int sstride, int sw, int sh, uint8_t *dst, int dstride,
                          int dw, int dh);
/* The same as a plan made once per size pair (dw <= sw, dh <= sh; NULL otherwise or out of
 * memory) and run on every frame. A plan holds scratch rows: one thread at a time. */
typedef struct reel_downscaler reel_downscaler;
reel_downscaler *reel_downscaler_new(int sw, int sh, int dw, int dh);
void reel_downscaler_run(const reel_downscaler *d, const uint8_t *src, int sstride, uint8_t *dst,
                         int dstride);
void reel_downscaler_free(reel_downscaler *d);

/* Encoding deliverables. */
#define REEL_VIDEO_CODECS "h264, h265, prores_hq, prores_4444, dnxhr_hq or dnxhr_hqx"
/* Whether codec (a REEL_VIDEO_CODECS name) is 4:2:0, so needs an even height too; -1 unknown. */
int reel_vcodec_is_420(const char *codec);
typedef struct reel_encoder reel_encoder;
typedef struct reel_enc_opts {
    const char *container;   /* "mp4" or "mov" (or any muxer name libavformat knows) */
    const char *vcodec;      /* one of REEL_VIDEO_CODECS ("prores" = prores_hq), NULL = no video */
    int width, height;
    reel_rational fps;
    int crf;                 /* h264/h265 quality 0 (lossless) to 51; outside that range, 20 */
    const char *preset;      /* h264 preset, default "medium" */
    const char *acodec;      /* "aac", "pcm_s16le", "pcm_s24le", NULL = no audio */
    int sample_rate, channels;
    int bitrate_audio;       /* aac bitrate, default 192000 when 0 */
    int threads;             /* encoder threads, 0 = auto */
    const char *timecode;    /* start timecode to tag, or NULL */
} reel_enc_opts;

/* Open an encoder writing to path (the caller passes a temp path and renames when done). */
int reel_encoder_open(reel_encoder **enc, const char *path, const reel_enc_opts *o, reel_err *e);
/* Encode one video frame in any reel_pixfmt and size (converted/scaled as needed). */
int reel_encoder_video(reel_encoder *enc, const reel_frame *f, reel_err *e);
/* Encode interleaved float audio with o->channels channels at o->sample_rate. */
int reel_encoder_audio(reel_encoder *enc, const float *samples, int nb_samples, reel_err *e);
/* Flush, write the trailer and close. Returns the first error. *enc becomes NULL. */
int reel_encoder_finish(reel_encoder **enc, reel_err *e);
/* Abort: close and free without finishing (file left for the caller to delete). */
void reel_encoder_free(reel_encoder **enc);

/* Splitting a file into pieces at given times (`reel shots --split`). Each piece is written to a
 * temporary name beside its path and renamed only when complete. */
typedef struct reel_split_piece {
    double t0, t1;      /* [t0, t1) seconds on the reader's clock (reel_frame.time); t1 < 0: to the end */
    const char *path;   /* output file */
    const char *timecode; /* start timecode to tag, or NULL */
} reel_split_piece;

/* Whether every piece (sorted, non-overlapping) can be stream-copied frame-exactly: each starts
 * on a key frame and its frames are contiguous in decode order (closed GOPs, or an intra-only
 * codec), and the output container (named by the first piece's extension) takes the codecs.
 * 1 yes, 0 no with the reason in why, <0 when the file cannot be read. */
int reel_split_copyable(const char *path, const reel_split_piece *p, int n, char why[200], reel_err *e);
/* Stream copy (first video + first audio stream) into each piece. Callers check copyable first.
 * Stops with REEL_ECANCEL when *cancel (may be NULL) becomes non-zero; pieces not finished are
 * removed, whatever the error. */
int reel_split_copy(const char *path, const reel_split_piece *p, int n, const volatile int *cancel,
                    reel_err *e);
/* Decode once and re-encode each piece with o (container, codecs, quality; size, fps and audio
 * format are taken from the source). Cancel and clean-up as reel_split_copy. */
int reel_split_encode(const char *path, const reel_split_piece *p, int n, const reel_enc_opts *o,
                      const volatile int *cancel, reel_err *e);

/* Write a single RGB24 or YUV frame as a PNG (or JPEG when path ends with .jpg) image. */
int reel_image_write(const char *path, const reel_frame *f, reel_err *e);
/* Encode a frame as a JPEG (jpeg = 1) or PNG in memory: *out is malloc'd (caller frees). */
int reel_image_encode(const reel_frame *f, int jpeg, uint8_t **out, size_t *len, reel_err *e);
/* Scaling an RGB24 or YUV420P frame into a rectangle of another of the same format (letterboxing,
 * pillarboxing, resizing); for YUV420P the rectangle's corner and size are even. */
typedef struct reel_scaler reel_scaler;
reel_scaler *reel_scaler_new(void);
int reel_scaler_run(reel_scaler *s, const reel_frame *src, reel_frame *dst, int x, int y, int w, int h, reel_err *e);
void reel_scaler_free(reel_scaler **s);
/* Read an image file into an RGB24 frame at native size (caller frees with reel_frame_free). */
int reel_image_read(const char *path, reel_frame *f, reel_err *e);

/* SMPTE timecode: frame count <-> "HH:MM:SS:FF" (";" before frames for drop frame).
 * fps_num/fps_den is the exact rate (30000/1001 for 29.97). Drop frame only for 29.97/59.94. */
int reel_tc_to_string(int64_t frame, reel_rational fps, int drop, char out[32]);
int64_t reel_tc_parse(const char *tc, reel_rational fps, int *drop_out); /* <0 on bad input */
/* Nominal integer frames per second used by timecode (24, 25, 30, 60 ...). */
int reel_tc_base(reel_rational fps);

#endif
