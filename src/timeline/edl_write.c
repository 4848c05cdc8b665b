/* CMX3600 EDL writer (nle.h): one event per item on fixed columns (event, reel, channels,
 * transition, duration, source in/out, record in/out), the clip's file in a FROM CLIP NAME
 * comment, dissolves as the outgoing clip's zero-length cut followed by the incoming clip's D
 * event. Picture with sound is one AA/V event; the reader (edl.c) takes it back. */
#include "timeline/nle.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void tc(const reel_nle_seq *s, int64_t f, char out[32])
{
    reel_tc_to_string(f, s->fps, s->drop, out);
}

static const char *chan(const reel_nle_seq *s, int i)
{
    int a = s->src && s->src[i].has_audio, v = !s->src || s->src[i].has_video || s->tl.items[i].black;
    return a && v ? "AA/V" : a ? "AA" : "V";
}

/* One event line; dur < 0 for a cut. */
static void event(reel_strbuf *b, const reel_nle_seq *s, int num, int i, int dur, int64_t s0, int64_t s1,
                  int64_t r0, int64_t r1)
{
    char a[32], c[32], d[32], f[32], du[8] = "";
    const reel_tl_item *it = &s->tl.items[i];
    int64_t base = s->src ? s->src[i].tc_frame : 0;
    tc(s, base + s0, a), tc(s, base + s1, c), tc(s, r0, d), tc(s, r1, f);
    if (dur >= 0) snprintf(du, sizeof du, "%03d", dur > 999 ? 999 : dur);
    reel_sb_printf(b, "%03d  %-8s %-6s%-5s%3s %s %s %s %s\n", num, it->black ? "BL" : "AX", chan(s, i),
                   dur >= 0 ? "D" : "C", du, a, c, d, f);
}

char *reel_edl_write(const reel_nle_seq *s, reel_err *e)
{
    reel_nle_event *ev;
    if (reel_nle_layout(s, &ev, e)) return NULL;
    reel_strbuf b;
    reel_sb_init(&b);
    reel_sb_printf(&b, "TITLE: %.70s\nFCM: %s\n\n", s->title[0] ? s->title : "reel cut",
                   s->drop ? "DROP FRAME" : "NON-DROP FRAME");
    int64_t rec = reel_nle_rec_start(s);
    for (int i = 0; i < s->tl.n; i++) {
        const reel_tl_item *it = &s->tl.items[i];
        int64_t next = i + 1 < s->tl.n ? ev[i + 1].dis : 0;
        int64_t in = ev[i].src_in, out = ev[i].src_out - next, len = out - in;
        if (ev[i].dis) {
            int64_t at = ev[i - 1].src_out - ev[i].dis;
            event(&b, s, i + 1, i - 1, -1, at, at, rec, rec);
            event(&b, s, i + 1, i, (int)ev[i].dis, in, out, rec, rec + len);
            reel_sb_printf(&b, "* FROM CLIP NAME: %s\n", reel_basename(s->tl.items[i - 1].path));
            if (!it->black) reel_sb_printf(&b, "* TO CLIP NAME: %s\n", reel_basename(it->path));
        } else {
            event(&b, s, i + 1, i, -1, in, out, rec, rec + len);
            if (!it->black) reel_sb_printf(&b, "* FROM CLIP NAME: %s\n", reel_basename(it->path));
        }
        reel_sb_add(&b, "\n");
        rec += len;
    }
    free(ev);
    if (b.oom) {
        reel_sb_free(&b);
        reel_errf(e, REEL_ENOMEM, "out of memory");
        return NULL;
    }
    return b.s;
}
