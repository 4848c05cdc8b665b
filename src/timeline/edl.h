/* CMX3600 EDL reader: the picture events of an edit decision list as a timeline.
 *
 * Read: TITLE and FCM lines, event lines (number, reel, channels, C / D / W / K with a duration,
 * then source in and out, record in and out), `* FROM CLIP NAME:` and `* TO CLIP NAME:` comments.
 * Only events on a picture channel (V, B, AA/V) are taken; sound-only events are left to the
 * pictures' own sound. A dissolve pair (the outgoing clip as a zero-length cut, then the incoming
 * with D and its length in frames) becomes the incoming item's dissolve, the outgoing clip
 * running on through it. BL, BLK and BLACK are black. Each clip is looked for in the given
 * folders: a file named as its FROM CLIP NAME, or whose name without extension is the clip name
 * or the reel name (case-insensitive). Source timecodes count from the clip's start timecode when
 * it has one. Timecodes are read at the caller's frame rate (CMX3600 does not carry one).
 * Refused with "NAME:LINE: what is wrong": a malformed event, a bad timecode, an out point
 * before its in point, a clip not found (named, with the folders searched), a NUL byte, no
 * events, more than 20000 events. */
#ifndef REEL_TIMELINE_EDL_H
#define REEL_TIMELINE_EDL_H

#include "media/media.h"
#include "timeline/timeline.h"

typedef struct reel_edl_info {
    int drop;              /* FCM: DROP FRAME */
    double record_start;   /* the first event's record in, seconds */
    int events;
} reel_edl_info;

int reel_edl_parse(const char *name, const char *text, size_t len, reel_rational fps, const char *const *dirs,
                   int n_dirs, reel_timeline *tl, reel_edl_info *info, reel_err *e);
int reel_edl_load(const char *path, reel_rational fps, const char *const *dirs, int n_dirs, reel_timeline *tl,
                  reel_edl_info *info, reel_err *e);

#endif
