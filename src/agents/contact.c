/* The contact-sheet agent: every clip's poster frame in one image, in clip order, with a JSON
 * index of which cell is which clip. A fan-in task: it waits for every clip's ingest. */
#include "agents/agent.h"
#include "media/media.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const reel_option contact_options[] = {
    {"columns", REEL_OPT_INT, "4", 1, 16, NULL, "Posters per row."},
    {"cell_width", REEL_OPT_INT, "320", 64, 1920, NULL, "Width of each cell in pixels (16:9 cells)."},
    {NULL},
};

/* Bilinear resample of an RGB24 image into a w x h box of dst at (x0,y0). */
static void blit_scaled(const reel_frame *src, reel_frame *dst, int x0, int y0, int w, int h)
{
    for (int y = 0; y < h; y++) {
        double sy = (y + 0.5) * src->height / h - 0.5;
        int iy = sy < 0 ? 0 : (int)sy, iy1 = iy + 1 < src->height ? iy + 1 : iy;
        double fy = sy < 0 ? 0 : sy - iy;
        uint8_t *out = dst->data[0] + (size_t)(y0 + y) * dst->linesize[0] + (size_t)x0 * 3;
        for (int x = 0; x < w; x++) {
            double sx = (x + 0.5) * src->width / w - 0.5;
            int ix = sx < 0 ? 0 : (int)sx, ix1 = ix + 1 < src->width ? ix + 1 : ix;
            double fx = sx < 0 ? 0 : sx - ix;
            const uint8_t *r0 = src->data[0] + (size_t)iy * src->linesize[0];
            const uint8_t *r1 = src->data[0] + (size_t)iy1 * src->linesize[0];
            for (int c = 0; c < 3; c++) {
                double top = r0[ix * 3 + c] * (1 - fx) + r0[ix1 * 3 + c] * fx;
                double bot = r1[ix * 3 + c] * (1 - fx) + r1[ix1 * 3 + c] * fx;
                out[x * 3 + c] = (uint8_t)(top * (1 - fy) + bot * fy + 0.5);
            }
        }
    }
}

static void place(const reel_frame *img, reel_frame *sheet, int cx, int cy, int cw, int ch)
{
    int w = cw, h = (int)((double)cw * img->height / img->width + 0.5);
    if (h > ch) { h = ch; w = (int)((double)ch * img->width / img->height + 0.5); }
    if (w < 1) w = 1;
    if (h < 1) h = 1;
    blit_scaled(img, sheet, cx + (cw - w) / 2, cy + (ch - h) / 2, w, h);
}

static int contact_run(reel_task *t)
{
    const reel_opts *o = reel_task_opts(t);
    int n = reel_task_n_inputs(t), cols = (int)reel_opts_int(o, "columns");
    int cw = (int)reel_opts_int(o, "cell_width") & ~1, ch = (cw * 9 / 16) & ~1, gap = 8;
    if (n == 0) return reel_task_fail(t, REEL_EAGENT, "no clip could be read, so there is no poster to show");
    if (cols > n) cols = n;
    int rows = (n + cols - 1) / cols;
    reel_frame sheet;
    if (reel_frame_alloc(&sheet, cols * (cw + gap) + gap, rows * (ch + gap) + gap, REEL_PIX_RGB24))
        return reel_task_fail(t, REEL_ENOMEM, "out of memory");
    for (int y = 0; y < sheet.height; y++) memset(sheet.data[0] + (size_t)y * sheet.linesize[0], 24, (size_t)sheet.width * 3);
    json_t *cells = json_array();
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        const char *poster = reel_task_input(t, "poster", i);
        int cx = gap + (i % cols) * (cw + gap), cy = gap + (i / cols) * (ch + gap);
        json_array_append_new(cells, json_pack("{s:s,s:i,s:i,s:i,s:i,s:b}", "clip", reel_task_input_clip(t, i),
                                               "x", cx, "y", cy, "width", cw, "height", ch, "picture", poster != NULL));
        if (!poster) continue; /* audio-only clip: an empty cell */
        reel_frame img;
        if ((rc = reel_image_read(poster, &img, reel_task_err(t)))) break;
        place(&img, &sheet, cx, cy, cw, ch);
        reel_frame_free(&img);
    }
    const char *jpg = reel_task_output(t, "contact", "contact.jpg", "contact_sheet.jpg");
    const char *idx = reel_task_output(t, "contact_index", "contact.json", "contact_sheet.json");
    if (!rc) rc = reel_image_write(jpg, &sheet, reel_task_err(t));
    json_t *doc = json_pack("{s:o}", "cells", cells); /* takes cells */
    if (!rc && (!doc || json_dump_file(doc, idx, JSON_INDENT(1))))
        rc = reel_task_fail(t, REEL_EIO, "%s: cannot write", idx);
    json_decref(doc);
    reel_frame_free(&sheet);
    return rc;
}

static double contact_estimate(const reel_task *t)
{
    return 0.05;
}

static const char *const contact_reads[] = {"poster", NULL};
static const char *const contact_writes[] = {"contact", "contact_index", NULL};

const reel_agent reel_agent_contact = {
    .name = "contact",
    .version = 1,
    .summary = "a contact sheet of every clip's poster frame, with a JSON index",
    .scope = REEL_SCOPE_PROJECT,
    .options = contact_options,
    .reads = contact_reads,
    .writes = contact_writes,
    .estimate = contact_estimate,
    .run = contact_run,
};
