/* Delivery specs and the checks of a file's streams against one: container, codec, profile,
 * pixel format, size, frame rate, colour tags, audio format. Loudness figures are judged in
 * audio.c; content checks read the spec's durations and severities. */
#include "qc/qcint.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define CONTENT_ONLY NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, 0, 0

static const reel_qc_spec specs[] = {
    {"content", "content checks only (any format; loudness measured, not judged)", CONTENT_ONLY,
     NAN, 0, 0, NAN, REEL_QC_WARNING, 1.0, 1.0, 3.0},
    {"netflix", "Netflix master: ProRes 422 HQ MOV, BT.709, 24-bit PCM, -27 LKFS dialogue-gated",
     "mov", "prores", "HQ", "yuv422p10le", "1920x1080,3840x2160",
     "24000/1001,24,25,30000/1001,30,50,60000/1001,60", 1, 1, "pcm_s24le", 48000, 2,
     -27, 2, 1, -2, REEL_QC_WARNING, 0.5, 0.5, 2.0},
    {"ebu", "EBU broadcast HD: 1080 at 25/50, BT.709, EBU R103 levels, R128 -23 LUFS", "mov,mxf",
     "prores,dnxhd,h264,mpeg2video", NULL, NULL, "1920x1080", "25,50", 1, 1, NULL, 48000, 2,
     -23, 0.5, 0, -1, REEL_QC_ERROR, 0.5, 0.5, 2.0},
    {"atsc", "ATSC A/85 broadcast: 1080 or 720, BT.709, -24 LKFS, -2 dBTP", "mov,mxf,ts,mp4",
     NULL, NULL, NULL, "1920x1080,1280x720", "24000/1001,30000/1001,60000/1001", 1, 1, NULL,
     48000, 2, -24, 2, 0, -2, REEL_QC_ERROR, 0.5, 0.5, 2.0},
    {"web", "web / YouTube: H.264 or H.265 MP4 with AAC, BT.709, -14 LUFS", "mp4,mov",
     "h264,hevc", NULL, "yuv420p", NULL, NULL, 1, 1, "aac", 48000, 2, -14, 1, 0, -1,
     REEL_QC_WARNING, 1.0, 1.0, 3.0},
    {NULL},
};

const reel_qc_spec *reel_qc_specs(void) { return specs; }

const reel_qc_spec *reel_qc_spec_find(const char *name)
{
    for (const reel_qc_spec *s = specs; s->name; s++)
        if (!strcasecmp(s->name, name)) return s;
    return NULL;
}

const char *reel_qc_sev_name(reel_qc_sev s)
{
    return s == REEL_QC_ERROR ? "error" : s == REEL_QC_WARNING ? "warning" : "info";
}

/* Whether value is one of list's comma-separated items (case-insensitive). */
static int in_list(const char *list, const char *value)
{
    size_t n = strlen(value);
    for (const char *p = list; *p;) {
        const char *c = strchr(p, ',');
        size_t m = c ? (size_t)(c - p) : strlen(p);
        if (m == n && !strncasecmp(p, value, n)) return 1;
        p += m + (c != NULL);
    }
    return 0;
}

static const char *extension(const char *path)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    return dot && (!slash || dot > slash) ? dot + 1 : "";
}

static void expect(reel_qc_report *r, const char *list, const char *what, const char *value)
{
    if (list && !in_list(list, value))
        reel_qc_add(r, "container", REEL_QC_ERROR, -1, -1, "%s is %s; %s wants %s", what,
                    value[0] ? value : "unknown", r->spec->name, list);
}

static void check_video(reel_qc_report *r)
{
    const reel_probe *p = &r->probe;
    const reel_qc_spec *s = r->spec;
    char buf[64];
    expect(r, s->vcodecs, "the video codec", p->vcodec);
    if (s->vprofiles) expect(r, s->vprofiles, "the codec profile", p->vprofile);
    expect(r, s->pix_fmts, "the pixel format", p->pix_fmt);
    snprintf(buf, sizeof buf, "%dx%d", p->width, p->height);
    expect(r, s->sizes, "the frame size", buf);
    if (p->fps.den == 1) snprintf(buf, sizeof buf, "%d", p->fps.num);
    else snprintf(buf, sizeof buf, "%d/%d", p->fps.num, p->fps.den);
    expect(r, s->fps, "the frame rate", buf);
    if (p->vfr) reel_qc_add(r, "container", s->fps ? REEL_QC_ERROR : REEL_QC_WARNING, -1, -1,
                            "the frame rate is variable");
    if (p->sar.num != p->sar.den && p->sar.num > 0)
        reel_qc_add(r, "container", REEL_QC_WARNING, -1, -1, "the pixels are not square (SAR %d:%d)",
                    p->sar.num, p->sar.den);
    if (s->bt709) {
        const char *tags[3] = {p->color_primaries, p->color_trc, p->color_space};
        static const char *const names[3] = {"primaries", "transfer", "matrix"};
        for (int i = 0; i < 3; i++)
            if (strcmp(tags[i], "bt709"))
                reel_qc_add(r, "container", REEL_QC_ERROR, -1, -1, "the colour %s tag is %s; %s wants bt709",
                            names[i], tags[i][0] ? tags[i] : "missing", s->name);
    }
    if (s->limited_range && strcmp(p->color_range, "tv"))
        reel_qc_add(r, "container", REEL_QC_ERROR, -1, -1, "the colour range is %s; %s wants limited (tv)",
                    p->color_range[0] ? p->color_range : "untagged", s->name);
}

static void check_audio(reel_qc_report *r)
{
    const reel_probe *p = &r->probe;
    const reel_qc_spec *s = r->spec;
    if (!p->has_audio) {
        if (s->min_channels > 0)
            reel_qc_add(r, "container", REEL_QC_ERROR, -1, -1, "no audio stream; %s wants %d channels or more",
                        s->name, s->min_channels);
        return;
    }
    expect(r, s->acodecs, "the audio codec", p->acodec);
    if (s->sample_rate && p->sample_rate != s->sample_rate)
        reel_qc_add(r, "container", REEL_QC_ERROR, -1, -1, "the audio sample rate is %d Hz; %s wants %d",
                    p->sample_rate, s->name, s->sample_rate);
    if (s->min_channels && p->channels < s->min_channels)
        reel_qc_add(r, "container", REEL_QC_ERROR, -1, -1, "the audio has %d channel%s; %s wants %d or more",
                    p->channels, p->channels == 1 ? "" : "s", s->name, s->min_channels);
}

void reel_qc_check_spec(reel_qc_report *r)
{
    const reel_qc_spec *s = r->spec;
    if (s->containers) expect(r, s->containers, "the container", extension(r->path));
    if (r->probe.has_video) check_video(r);
    else if (s->vcodecs || s->sizes)
        reel_qc_add(r, "container", REEL_QC_ERROR, -1, -1, "no video stream");
    check_audio(r);
}
