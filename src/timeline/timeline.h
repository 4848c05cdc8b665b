/* The in-memory timeline the conform renders: one video track of items in record order, each a
 * range of a source file, joined by cuts or dissolves, with the sound that goes with each item.
 * A dissolve of d seconds overlaps the last d seconds of the previous item with the first d of
 * this one (no handles are needed: the record length shrinks by d). */
#ifndef REEL_TIMELINE_TIMELINE_H
#define REEL_TIMELINE_TIMELINE_H

#include "reel/reel.h"

typedef struct reel_tl_item {
    char name[256];       /* how the cut names the clip (grades and burn-in use it) */
    char path[4096];      /* the source file */
    char audio[4096];     /* sound to use instead of the source's (the dialogue agent's), "" none */
    double src_in, src_out; /* seconds on the source's clock (src_out < 0: to the end) */
    double dissolve;      /* seconds of dissolve from the previous item, 0 for a cut */
    int black;            /* a black filler (no source) lasting src_out - src_in */
} reel_tl_item;

typedef struct reel_timeline {
    reel_tl_item *items;
    int n, cap;
} reel_timeline;

/* Append a copy of it; 0 or REEL_ENOMEM. */
int reel_timeline_add(reel_timeline *t, const reel_tl_item *it);
void reel_timeline_free(reel_timeline *t);
/* Record start of item i, in seconds (items' lengths must be known: src_out >= 0). */
double reel_timeline_rec_in(const reel_timeline *t, int i);
double reel_timeline_duration(const reel_timeline *t);

#endif
