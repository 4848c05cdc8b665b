/* Reading and writing the per-frame feature table (see features.h for the layout). */
#include "agents/features.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAGIC "REELFRM1"

const char *const reel_frame_fields[] = {
    "time", "y_mean", "y_std", "u_mean", "v_mean", "y_low", "y_high", "sharpness", "motion",
    "hist_diff",
    "hy0", "hy1", "hy2", "hy3", "hy4", "hy5", "hy6", "hy7", "hy8", "hy9", "hy10", "hy11", "hy12",
    "hy13", "hy14", "hy15", "hy16", "hy17", "hy18", "hy19", "hy20", "hy21", "hy22", "hy23", "hy24",
    "hy25", "hy26", "hy27", "hy28", "hy29", "hy30", "hy31",
    "hu0", "hu1", "hu2", "hu3", "hu4", "hu5", "hu6", "hu7", "hu8", "hu9", "hu10", "hu11", "hu12",
    "hu13", "hu14", "hu15",
    "hv0", "hv1", "hv2", "hv3", "hv4", "hv5", "hv6", "hv7", "hv8", "hv9", "hv10", "hv11", "hv12",
    "hv13", "hv14", "hv15", "damaged", "u_std", "v_std", NULL};

struct reel_frames_writer {
    FILE *f;
    char *path;
    int n_fields;
    uint32_t n_frames;
};

int reel_frames_create(reel_frames_writer **out, const char *path, const char *const *fields, int n,
                       reel_err *e)
{
    reel_frames_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->path = strdup(path))) {
        free(w);
        return reel_errf(e, REEL_ENOMEM, "out of memory");
    }
    w->n_fields = n;
    if (!(w->f = fopen(path, "wb"))) {
        int rc = reel_errf(e, REEL_EIO, "%s: %s", path, strerror(errno));
        free(w->path);
        free(w);
        return rc;
    }
    uint32_t hdr[2] = {(uint32_t)n, 0};
    fwrite(MAGIC, 1, 8, w->f);
    fwrite(hdr, sizeof hdr, 1, w->f);
    for (int i = 0; i < n; i++) {
        char name[16] = {0};
        strncpy(name, fields[i], sizeof name - 1);
        fwrite(name, 1, sizeof name, w->f);
    }
    *out = w;
    return 0;
}

int reel_frames_append(reel_frames_writer *w, const float *row, reel_err *e)
{
    if (fwrite(row, sizeof *row, (size_t)w->n_fields, w->f) != (size_t)w->n_fields)
        return reel_errf(e, REEL_EIO, "%s: write failed (disk full?)", w->path);
    w->n_frames++;
    return 0;
}

int reel_frames_close(reel_frames_writer **pw, reel_err *e)
{
    reel_frames_writer *w = *pw;
    if (!w) return 0;
    int rc = 0;
    if (fseek(w->f, 12, SEEK_SET) || fwrite(&w->n_frames, 4, 1, w->f) != 1 || fflush(w->f) ||
        fsync(fileno(w->f)))
        rc = reel_errf(e, REEL_EIO, "%s: write failed: %s", w->path, strerror(errno));
    if (fclose(w->f) && !rc) rc = reel_errf(e, REEL_EIO, "%s: close failed", w->path);
    free(w->path);
    free(w);
    *pw = NULL;
    return rc;
}

int reel_frames_load(const char *path, reel_frames *fr, reel_err *e)
{
    memset(fr, 0, sizeof *fr);
    FILE *f = fopen(path, "rb");
    if (!f) return reel_errf(e, REEL_EIO, "%s: %s", path, strerror(errno));
    char magic[8];
    uint32_t hdr[2];
    int rc = 0;
    if (fread(magic, 1, 8, f) != 8 || memcmp(magic, MAGIC, 8) || fread(hdr, sizeof hdr, 1, f) != 1 ||
        hdr[0] == 0 || hdr[0] > 4096 || hdr[1] > 100000000u)
        rc = reel_errf(e, REEL_EINVAL, "%s: not a reel frame-feature file", path);
    if (!rc) {
        fr->n_fields = (int)hdr[0];
        fr->n_frames = (int)hdr[1];
        fr->names = calloc(hdr[0], 16);
        fr->data = malloc((size_t)hdr[0] * hdr[1] * sizeof(float) + 1);
        if (!fr->names || !fr->data) rc = reel_errf(e, REEL_ENOMEM, "%s: out of memory", path);
    }
    if (!rc && (fread(fr->names, 16, hdr[0], f) != hdr[0] ||
                fread(fr->data, sizeof(float) * hdr[0], hdr[1], f) != hdr[1]))
        rc = reel_errf(e, REEL_EINVAL, "%s: truncated frame-feature file", path);
    fclose(f);
    if (rc) reel_frames_free(fr);
    return rc;
}

int reel_frames_field(const reel_frames *f, const char *name)
{
    for (int i = 0; i < f->n_fields; i++)
        if (!strncmp(f->names[i], name, 16)) return i;
    return -1;
}

void reel_frames_free(reel_frames *f)
{
    free(f->names);
    free(f->data);
    memset(f, 0, sizeof *f);
}
