/* Fuzz target for the OTIO, FCP7 XML and FCPXML readers (and the XML reader under the two): any
 * bytes must give a cut or a clean REEL_EINVAL / REEL_ENOTFOUND with a "NAME" message, never a
 * crash, a leak, a read past the end or undefined behaviour. Every input goes to all three
 * readers. A cut read must have finite, ordered source ranges and non-negative dissolves. Built
 * with libFuzzer by `make fuzz`, replayed over the seed corpus by the test suite. */
#include "timeline/nle.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef int (*reader)(const char *, const char *, size_t, const char *const *, int, reel_nle_seq *, reel_err *);

static void one(reader r, const char *name, const uint8_t *data, size_t size)
{
    reel_nle_seq s;
    reel_err e = {0};
    memset(&s, 0, sizeof s);
    int rc = r(name, (const char *)data, size, NULL, 0, &s, &e);
    if (rc && ((rc != REEL_EINVAL && rc != REEL_ENOTFOUND) || strncmp(e.msg, name, strlen(name)))) abort();
    for (int i = 0; !rc && i < s.tl.n; i++) {
        const reel_tl_item *it = &s.tl.items[i];
        if (!isfinite(it->src_in) || !isfinite(it->src_out) || it->src_out < it->src_in || !(it->dissolve >= 0) ||
            it->src_in < 0)
            abort();
    }
    if (!rc && (s.fps.num <= 0 || s.fps.den <= 0)) abort();
    reel_nle_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    one(reel_otio_parse, "fuzz.otio", data, size);
    one(reel_fcp7_parse, "fuzz.xml", data, size);
    one(reel_fcpxml_parse, "fuzz.fcpxml", data, size);
    return 0;
}
