/* Fuzz target for the ASC CDL reader (.cdl, .ccc): arbitrary bytes must give entries or a clean
 * REEL_EINVAL with a "NAME:LINE:" message, never a crash, a leak, a read past the end or undefined
 * behaviour; entries read must hold finite values in range (slope, power, saturation not
 * negative) and terminated strings, and must survive being written out and read back. Built with
 * libFuzzer by `make fuzz`, replayed over the seed corpus by the test suite. */
#include "timeline/cdl.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sane(const reel_cdl_entry *e)
{
    const reel_cdl *c = &e->cdl;
    if (!memchr(e->id, 0, sizeof e->id) || !memchr(e->description, 0, sizeof e->description))
        return 0;
    for (int k = 0; k < 3; k++)
        if (!(c->slope[k] >= 0 && c->slope[k] <= 1e6 && fabs(c->offset[k]) <= 1e6 &&
              c->power[k] >= 0 && c->power[k] <= 1e6))
            return 0;
    return c->sat >= 0 && c->sat <= 1e6;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reel_cdl_entry *v, *w;
    int n, m;
    reel_err e = {0};
    int rc = reel_cdl_parse("fuzz.ccc", (const char *)data, size, &v, &n, &e);
    if (rc && (rc != REEL_EINVAL || strncmp(e.msg, "fuzz.ccc:", 9) || v || n))
        abort(); /* say why, where */
    if (rc) return 0;
    for (int i = 0; i < n; i++)
        if (!sane(&v[i])) abort();
    char *xml = reel_ccc_to_xml(v, n);
    if (!xml || reel_cdl_parse("again.ccc", xml, strlen(xml), &w, &m, &e) || m != n) abort();
    free(xml), free(w), free(v);
    return 0;
}
