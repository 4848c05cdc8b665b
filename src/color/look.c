/* Looks: composition, baking, samples and references (see look.h). */
#include "color/look.h"
#include "color/oklab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void reel_look_init(reel_look *l)
{
    memset(l, 0, sizeof *l);
    l->strength = 1;
    l->named = reel_grade_identity;
    l->tod = reel_grade_identity;
}

static float smoothstep(float e0, float e1, float x)
{
    float t = (x - e0) / (e1 - e0);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return t * t * (3 - 2 * t);
}

/* Skin tones sit in a narrow hue band in Oklab (fully from 34 to 70 degrees, none past 14 or 90) with
 * moderate chroma and mid lightness, whatever the skin's depth. */
static float skin_weight(const float lab[3])
{
    float c = hypotf(lab[1], lab[2]);
    if (c < 0.003f) return 0;
    float h = atan2f(lab[2], lab[1]) * (float)(180 / M_PI), d = fabsf(h - 52);
    float wh = d <= 18 ? 1 : d >= 38 ? 0 : 0.5f * (1 + cosf((d - 18) / 20 * (float)M_PI));
    float wc = smoothstep(0.004f, 0.02f, c) * (1 - smoothstep(0.15f, 0.22f, c));
    float wl = smoothstep(0.2f, 0.35f, lab[0]) * (1 - smoothstep(0.9f, 0.98f, lab[0]));
    return wh * wc * wl;
}

float reel_look_protection(const reel_look *l, const float lab[3])
{
    float c = hypotf(lab[1], lab[2]);
    float ws = l->protect_skin * skin_weight(lab), wn = l->protect_neutrals * expf(-(c * c) / (0.02f * 0.02f));
    return ws > wn ? ws : wn;
}

void reel_look_eval(const reel_look *l, const reel_cdl *cdl, const float in[3], float out[3])
{
    float x[3] = {in[0], in[1], in[2]}, lab[3];
    if (cdl) reel_cdl_apply(cdl, x, x);
    reel_srgb_to_oklab(x, lab);
    if (l->transfer && l->strength > 0) {
        float t[3];
        reel_transfer_eval(l->transfer, lab, t);
        if (l->mono) t[1] = t[2] = 0;
        float w = reel_look_protection(l, lab);
        float d[3] = {(t[0] - lab[0]) * (1 - l->preserve_luma), (t[1] - lab[1]) * (1 - w),
                      (t[2] - lab[2]) * (1 - w)};
        for (int k = 0; k < 3; k++) lab[k] += l->strength * d[k];
    }
    reel_grade_apply_oklab(&l->named, lab);
    reel_grade_apply_oklab(&l->tod, lab);
    reel_oklab_to_srgb(lab, out);
}

int reel_look_bake(const reel_look *l, const reel_cdl *cdl, int n, reel_lut3d *out, reel_err *e)
{
    reel_lut3d t;
    if (reel_lut3d_alloc(&t, n)) return reel_errf(e, REEL_ENOMEM, "cannot make a %d-point table", n);
    for (int b = 0; b < n; b++)
        for (int g = 0; g < n; g++)
            for (int r = 0; r < n; r++) {
                float *p = reel_lut3d_at(&t, r, g, b), in[3] = {p[0], p[1], p[2]};
                reel_look_eval(l, cdl, in, p);
            }
    reel_lut3d_free(out);
    *out = t;
    return 0;
}

int reel_samples_from_frame(const reel_frame *f, size_t max, float **lab, size_t *n)
{
    size_t px = (size_t)f->width * (size_t)f->height;
    int step = 1;
    while (px / ((size_t)step * step) > max) step++;
    size_t cap = *n + ((size_t)f->width / step + 1) * ((size_t)f->height / step + 1);
    float *p = realloc(*lab, cap * 3 * sizeof *p);
    if (!p) return REEL_ENOMEM;
    *lab = p;
    for (int y = step / 2; y < f->height; y += step)
        for (int x = step / 2; x < f->width; x += step) {
            float *o = p + 3 * (*n)++;
            if (f->fmt == REEL_PIX_RGB24) {
                reel_srgb8_to_oklab_n(f->data[0] + (size_t)y * f->linesize[0] + (size_t)x * 3, o, 1);
            } else {
                float c[3];
                for (int k = 0; k < 3; k++) c[k] = ((const float *)(f->data[k] + (size_t)y * f->linesize[k]))[x];
                reel_srgb_to_oklab(c, o);
            }
        }
    return 0;
}

static int hdr_trc(const char *trc)
{
    return !strcmp(trc, "smpte2084") || !strcmp(trc, "arib-std-b67");
}

/* Bits per channel from a pixel format name ("rgb48be" -> 16, "yuv420p10le" -> 10, "gray" -> 8). */
static int pix_bits(const char *pf)
{
    if (strstr(pf, "48") || strstr(pf, "64") || strstr(pf, "16")) return 16;
    if (strstr(pf, "p10") || strstr(pf, "10le") || strstr(pf, "10be")) return 10;
    if (strstr(pf, "p12") || strstr(pf, "12le") || strstr(pf, "12be")) return 12;
    return 8;
}

/* Pictures of a clip: about one a second, up to 24, at 480 pixels wide. */
static int clip_samples(const char *path, const reel_probe *pr, size_t max, float **lab, size_t *n,
                        reel_ref_info *info, reel_err *e)
{
    reel_reader_opts o;
    reel_reader_opts_default(&o);
    o.want_audio = 0, o.out_width = pr->width > 480 ? 480 : pr->width, o.out_fmt = REEL_PIX_RGB24;
    o.threads = 2;
    reel_reader *r = NULL;
    int rc = reel_reader_open(&r, path, &o, NULL, e);
    if (rc < 0) return rc;
    double every = pr->duration > 24 ? pr->duration / 24 : 1, next = 0;
    reel_media_event ev;
    while ((rc = reel_reader_next(r, &ev, e)) > 0) {
        if (ev.kind != REEL_EV_VIDEO || ev.time < next) continue;
        next = ev.time + every;
        if ((rc = reel_samples_from_frame(ev.frame, max / 24 + 1, lab, n)) < 0) {
            reel_errf(e, rc, "out of memory");
            break;
        }
        info->frames++;
    }
    reel_reader_free(&r);
    return rc < 0 ? rc : 0;
}

/* Fill info's spreads; 1 when the samples are one flat colour (no spread in L, a or b). */
static int describe(const float *lab, size_t n, reel_ref_info *info)
{
    double m[3], c[3][3], cm = 0;
    reel_oklab_stats(lab, n, m, c);
    for (size_t i = 0; i < n; i++) cm += hypot(lab[3 * i + 1], lab[3 * i + 2]);
    info->l_sd = sqrt(fmax(c[0][0], 0));
    info->c_mean = n ? cm / (double)n : 0;
    info->gray = info->c_mean < 0.004;
    return info->l_sd < 0.01 && sqrt(fmax(c[1][1], 0)) < 0.005 && sqrt(fmax(c[2][2], 0)) < 0.005;
}

int reel_look_reference_load(const char *path, size_t max, float **lab, size_t *n,
                             reel_ref_info *info, reel_err *e)
{
    memset(info, 0, sizeof *info);
    reel_probe pr;
    int rc = reel_media_probe(path, &pr, e);
    if (rc < 0) return rc;
    if (!pr.has_video) return reel_errf(e, REEL_EMEDIA, "%s: no picture in this file, so no look to learn from it", path);
    if (hdr_trc(pr.color_trc))
        return reel_errf(e, REEL_EMEDIA, "%s: an HDR picture (%s transfer): reel grades SDR (Rec. 709 / "
                         "sRGB); give a look reference tone-mapped to SDR", path, pr.color_trc);
    info->width = pr.width, info->height = pr.height, info->bits = pix_bits(pr.pix_fmt);
    size_t n0 = *n;
    int still = pr.nb_frames <= 1 && (pr.duration < 0 || pr.duration <= 0.5 || strstr(pr.format, "pipe") ||
                                      strstr(pr.format, "image2"));
    if (still) {
        reel_frame f;
        if ((rc = reel_image_read(path, &f, e)) < 0) return rc;
        rc = reel_samples_from_frame(&f, max, lab, n);
        reel_frame_free(&f);
        if (rc < 0) return reel_errf(e, rc, "out of memory");
        info->frames = 1;
    } else if ((rc = clip_samples(path, &pr, max, lab, n, info, e)) < 0) {
        return rc;
    }
    if (*n - n0 < 64) return reel_errf(e, REEL_EMEDIA, "%s: too small a picture to learn a look from", path);
    if (describe(*lab + 3 * n0, *n - n0, info))
        return reel_errf(e, REEL_EINVAL, "%s: a single flat colour (lightness spread %.3f): there is no "
                         "look to learn from it; give a graded still or name a look instead", path, info->l_sd);
    size_t len = 0;
    if (info->bits > 8)
        len += (size_t)snprintf(info->note + len, sizeof info->note - len, "%d-bit picture read at 8 bits per "
                                "channel (ample for its colour statistics). ", info->bits);
    if (info->gray)
        snprintf(info->note + len, sizeof info->note - len, "black-and-white reference: the look is monochrome "
                 "(its tones are matched, colour removed).");
    return 0;
}
