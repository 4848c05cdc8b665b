/* Fuzz target for the CMX3600 EDL reader: arbitrary bytes must give a timeline or a clean
 * REEL_EINVAL / REEL_ENOTFOUND with a "NAME:" message, never a crash, a leak, a read past the end
 * or undefined behaviour. With no folders to search, only black events can resolve: a timeline
 * read must hold black items with finite, ordered source ranges and non-negative dissolves. Built
 * with libFuzzer by `make fuzz`, replayed over the seed corpus by the test suite. */
#include "timeline/edl.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reel_timeline tl;
    reel_edl_info info;
    reel_err e = {0};
    int rc = reel_edl_parse("fuzz.edl", (const char *)data, size, (reel_rational){25, 1}, NULL, 0, &tl, &info, &e);
    if (rc && ((rc != REEL_EINVAL && rc != REEL_ENOTFOUND) || strncmp(e.msg, "fuzz.edl", 8) || tl.items || tl.n))
        abort();
    if (rc) return 0;
    for (int i = 0; i < tl.n; i++) {
        const reel_tl_item *it = &tl.items[i];
        if (!it->black || !isfinite(it->src_in) || !isfinite(it->src_out) || it->src_out < it->src_in ||
            !(it->dissolve >= 0))
            abort();
    }
    reel_timeline_free(&tl);
    return 0;
}
