/* Fuzz target for the .cube reader: arbitrary bytes must give a table or a clean REEL_EINVAL
 * with a message, never a crash, a leak or undefined behaviour; a table read must be whole and
 * finite. Built with libFuzzer by `make fuzz`, replayed over the seed corpus by the test suite. */
#include "timeline/cube.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reel_lut3d l;
    reel_err e = {0};
    int rc = reel_cube_parse("fuzz.cube", (const char *)data, size, &l, &e);
    if (rc && !e.msg[0]) abort(); /* every refusal must say why */
    if (!rc) {
        size_t n = (size_t)l.n * (size_t)l.n * (size_t)l.n * 3;
        for (size_t i = 0; i < n; i++)
            if (!isfinite(l.t[i])) abort();
        reel_lut3d_free(&l);
    }
    return 0;
}
