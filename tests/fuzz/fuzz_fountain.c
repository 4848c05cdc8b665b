/* Fuzz target for the Fountain parser: arbitrary bytes must give a screenplay or a clean
 * REEL_EINVAL naming "fuzz.fountain:LINE:", never a crash, a leak, a read past the end or undefined
 * behaviour. A parse must hold elements with text, in line order, with scene indexes that only grow
 * and stay below the scene count, and a speaker on every dialogue element. Built with libFuzzer by
 * `make fuzz`, replayed over the seed corpus by the test suite. */
#include "script/fountain.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reel_fountain f;
    reel_err e = {0};
    int rc = reel_fountain_parse("fuzz.fountain", (const char *)data, size, &f, &e);
    if (rc && (rc != REEL_EINVAL || strncmp(e.msg, "fuzz.fountain:", 14) || f.el || f.n)) abort();
    if (rc) return 0;
    int line = 0, scene = -1;
    for (int i = 0; i < f.n; i++) {
        const reel_ftn_elem *el = &f.el[i];
        if (!el->text || el->line < line || el->scene < scene || el->scene >= f.scenes ||
            (el->type == REEL_FTN_DIALOGUE && !el->name))
            abort();
        line = el->line, scene = el->scene;
    }
    reel_fountain_free(&f);
    return 0;
}
