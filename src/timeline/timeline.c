/* The timeline model (timeline.h). */
#include "timeline/timeline.h"

#include <stdlib.h>
#include <string.h>

int reel_timeline_add(reel_timeline *t, const reel_tl_item *it)
{
    if (t->n == t->cap) {
        int cap = t->cap ? 2 * t->cap : 16;
        reel_tl_item *n = realloc(t->items, (size_t)cap * sizeof *n);
        if (!n) return REEL_ENOMEM;
        t->items = n, t->cap = cap;
    }
    t->items[t->n++] = *it;
    return 0;
}

void reel_timeline_free(reel_timeline *t)
{
    free(t->items);
    memset(t, 0, sizeof *t);
}

double reel_timeline_rec_in(const reel_timeline *t, int i)
{
    double r = 0;
    for (int k = 0; k < i && k < t->n; k++) r += t->items[k].src_out - t->items[k].src_in - t->items[k + 1].dissolve;
    return r;
}

double reel_timeline_duration(const reel_timeline *t)
{
    return t->n ? reel_timeline_rec_in(t, t->n - 1) + t->items[t->n - 1].src_out - t->items[t->n - 1].src_in : 0;
}
