/* A cut as the editing applications take it: the timeline (timeline.h) with a sequence frame rate,
 * picture size and sound format, and what each source file is (length, start timecode, picture
 * and sound). Written and read as OTIO JSON (.otio), CMX3600 EDL (.edl), FCP7 XML for Premiere
 * (.xml, xmeml version 5) and FCPXML 1.9 for Final Cut Pro and Resolve (.fcpxml).
 *
 * Every format is written on the sequence's frame grid: source and record positions are whole
 * frames at fps (23.976 = 24000/1001 and 29.97 = 30000/1001 as NTSC rates, 29.97 and 59.94 with
 * drop-frame timecode when `drop` is set). A dissolve of d frames from the previous item is
 * centred on the cut (d/2 before it, the rest after) in OTIO, FCP7 XML and FCPXML; CMX3600 starts
 * it at the edit point as that format does. Picture and sound of an item stay linked: one AA/V
 * event in the EDL, a video and an audio track in OTIO, linked clipitems in FCP7 XML, one
 * asset-clip with its sound in FCPXML. The record starts at 01:00:00:00. */
#ifndef REEL_TIMELINE_NLE_H
#define REEL_TIMELINE_NLE_H

#include "media/media.h"
#include "timeline/timeline.h"

typedef enum { REEL_NLE_OTIO, REEL_NLE_EDL, REEL_NLE_FCP7, REEL_NLE_FCPXML, REEL_NLE_UNKNOWN } reel_nle_format;

typedef struct reel_nle_src {
    double duration;     /* seconds, <= 0 when unknown */
    int64_t tc_frame;    /* the file's start timecode, in frames at the sequence rate (0: none) */
    int has_video, has_audio, channels, sample_rate, width, height;
} reel_nle_src;

typedef struct reel_nle_seq {
    char title[256];
    reel_rational fps;
    int drop;                 /* drop-frame timecode (29.97 and 59.94 only) */
    int width, height, sample_rate, channels;
    reel_timeline tl;
    reel_nle_src *src;        /* tl.n entries (NULL until reel_nle_probe) */
} reel_nle_seq;

/* One item on the sequence's frame grid. */
typedef struct reel_nle_event {
    int64_t src_in, src_out;  /* the item's whole source range, dissolve material included */
    int64_t vis_in, vis_out;  /* the source frames shown between its cuts */
    int64_t rec_in, rec_out;  /* its record frames between the cuts, from the sequence start */
    int64_t dis, dis_a;       /* dissolve from the previous item: frames, and how many before the cut */
} reel_nle_event;


reel_nle_format reel_nle_format_of(const char *path);
const char *reel_nle_format_name(reel_nle_format f);
/* Probe every item's file for src[] (and the sequence rate, size and sound from the first item's
 * when they are unset). 0, or an error naming the file. */
int reel_nle_probe(reel_nle_seq *s, reel_err *e);
void reel_nle_free(reel_nle_seq *s);
/* The items on the frame grid (*ev malloc'd, tl.n entries). 0, or REEL_EINVAL naming an item too
 * short for its dissolves or without a known end. */
int reel_nle_layout(const reel_nle_seq *s, reel_nle_event **ev, reel_err *e);
/* The inverse: append item `it` (name and path set) placed by ev (src_in/out, dissolve from
 * dis); the previous item's out point runs on by the part of the dissolve after the cut. */
int reel_nle_add_event(reel_nle_seq *s, reel_tl_item *it, const reel_nle_event *ev, const reel_nle_src *src);
double reel_nle_seconds(const reel_nle_seq *s, int64_t frames);
/* The record start, 01:00:00:00 (01:00:00;00 drop frame), as a frame count at the sequence rate. */
int64_t reel_nle_rec_start(const reel_nle_seq *s);
int reel_nle_timebase(const reel_nle_seq *s);   /* 24 for 23.976, 30 for 29.97, ... */
int reel_nle_ntsc(const reel_nle_seq *s);

/* Writers: malloc'd text, or NULL with e set. */
char *reel_otio_write(const reel_nle_seq *s, reel_err *e);
char *reel_edl_write(const reel_nle_seq *s, reel_err *e);
char *reel_fcp7_write(const reel_nle_seq *s, reel_err *e);
char *reel_fcpxml_write(const reel_nle_seq *s, reel_err *e);
/* Readers (name: for messages). A source that is not where the file says is looked for by name in
 * dirs; one found nowhere is an error naming it. EDL needs s->fps set before the call. */
int reel_otio_parse(const char *name, const char *text, size_t len, const char *const *dirs, int nd,
                    reel_nle_seq *s, reel_err *e);
int reel_fcp7_parse(const char *name, const char *text, size_t len, const char *const *dirs, int nd,
                    reel_nle_seq *s, reel_err *e);
int reel_fcpxml_parse(const char *name, const char *text, size_t len, const char *const *dirs, int nd,
                      reel_nle_seq *s, reel_err *e);
/* By the path's extension: write atomically / read (EDL at fps). */
int reel_nle_save(const char *path, const reel_nle_seq *s, reel_err *e);
int reel_nle_load(const char *path, reel_rational fps, const char *const *dirs, int nd, reel_nle_seq *s,
                  reel_err *e);

/* Helpers for the format files. */
void reel_nle_url(char *out, size_t cap, const char *path);              /* file:///abs%20path */
int reel_nle_resolve(const char *name, const char *url, const char *const *dirs, int nd, char *out,
                     size_t cap, reel_err *e);                            /* url or name -> file */

#endif
