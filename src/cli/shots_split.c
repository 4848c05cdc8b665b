/* `reel shots FILE --split DIR`: one file per shot. Stream copy when every shot can be cut
 * frame-exactly that way (intra-only codecs, or long-GOP files whose shots start on closed-GOP key
 * frames), else one decode pass re-encoding every shot to H.264/AAC MP4, so that all the pieces of
 * one source share a codec. Each piece carries its source timecode. */
#include "cli/shots_split.h"
#include "shots/export.h"
#include "util/fsutil.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct split_set {
    reel_split_piece *p;
    char (*paths)[4200];
    char (*tcs)[32];
    int n;
} split_set;

static void set_free(split_set *s)
{
    free(s->p);
    free(s->paths);
    free(s->tcs);
}

/* File name stem of path without its extension, and the extension ("" when none). */
static void stem_ext(const char *path, char *stem, size_t n, const char **ext)
{
    const char *b = reel_basename(path), *dot = strrchr(b, '.');
    *ext = dot && dot != b ? dot + 1 : "";
    snprintf(stem, n, "%.*s", (int)(dot && dot != b ? dot - b : (long)strlen(b)), b);
}

static int make_set(const split_args *a, const char *ext, split_set *s, reel_err *e)
{
    reel_shot_span *sp = NULL;
    s->n = reel_shot_spans(a->r, &sp);
    int ti = reel_frames_field(a->fr, "time");
    s->p = calloc((size_t)s->n + 1, sizeof *s->p);
    s->paths = calloc((size_t)s->n + 1, sizeof *s->paths);
    s->tcs = calloc((size_t)s->n + 1, sizeof *s->tcs);
    if (s->n < 0 || !s->p || !s->paths || !s->tcs || ti < 0) {
        free(sp);
        return reel_errf(e, REEL_ENOMEM, "%s: cannot list the shots to split", a->path);
    }
    char stem[1024];
    const char *src_ext;
    stem_ext(a->path, stem, sizeof stem, &src_ext);
    int drop, nf = a->fr->n_fields;
    int64_t base = a->tc && *a->tc ? reel_tc_parse(a->tc, a->fps, &drop) : 0;
    drop = a->fps.den == 1001 && (reel_tc_base(a->fps) == 30 || reel_tc_base(a->fps) == 60);
    for (int k = 0; k < s->n; k++) {
        snprintf(s->paths[k], sizeof s->paths[k], "%s/%s-Shot-%03d.%s", a->dir, stem, k + 1, ext);
        reel_tc_to_string(sp[k].start + (base > 0 ? base : 0), a->fps, drop, s->tcs[k]);
        s->p[k] = (reel_split_piece){a->fr->data[(size_t)sp[k].start * nf + ti],
                                     k == s->n - 1 ? -1.0 : a->fr->data[(size_t)sp[k].end * nf + ti],
                                     s->paths[k], s->tcs[k]};
    }
    free(sp);
    return 0;
}

/* Pieces in progress when an earlier run was killed outright: DIR/<stem>-Shot-*.part. */
static void drop_stale_parts(const split_args *a)
{
    char stem[1024], pat[4096];
    const char *ext;
    stem_ext(a->path, stem, sizeof stem, &ext);
    snprintf(pat, sizeof pat, "%s/%s-Shot-[0-9][0-9][0-9]*.part", a->dir, stem);
    glob_t g;
    if (glob(pat, GLOB_NOSORT, NULL, &g) == 0)
        for (size_t i = 0; i < g.gl_pathc; i++)
            if (!unlink(g.gl_pathv[i])) reel_log(REEL_LOG_INFO, "removed %s, left by an interrupted split", g.gl_pathv[i]);
    globfree(&g);
}

static const char *copy_ext(const char *path)
{
    char stem[8];
    const char *ext;
    stem_ext(path, stem, sizeof stem, &ext);
    return *ext ? ext : "mkv";
}

int shots_split(const split_args *a, split_report *rep, reel_err *e)
{
    split_set s = {0};
    memset(rep, 0, sizeof *rep);
    int rc = reel_mkdirs(a->dir, e), ok = 0;
    if (!rc) drop_stale_parts(a);
    if (!rc && a->mode != SPLIT_ENCODE) rc = make_set(a, copy_ext(a->path), &s, e);
    if (!rc && a->mode != SPLIT_ENCODE) {
        ok = reel_split_copyable(a->path, s.p, s.n, rep->why, e);
        rc = ok < 0 ? ok : 0;
        if (!rc && !ok && a->mode == SPLIT_COPY)
            rc = reel_errf(e, REEL_EINVAL, "%s: cannot split by stream copy: %s (try --split-mode encode)",
                           a->path, rep->why);
    }
    if (!rc && ok) {
        rep->copied = 1;
        rc = reel_split_copy(a->path, s.p, s.n, a->cancel, e);
    } else if (!rc) {
        set_free(&s);
        memset(&s, 0, sizeof s);
        reel_enc_opts o = {.container = "mp4", .vcodec = "h264", .crf = 18, .preset = "veryfast",
                           .acodec = "aac", .bitrate_audio = 192000, .threads = a->threads};
        rc = make_set(a, "mp4", &s, e);
        if (!rc) rc = reel_split_encode(a->path, s.p, s.n, &o, a->cancel, e);
    }
    rep->pieces = rc ? 0 : s.n;
    set_free(&s);
    return rc;
}
