/* Fuzz target for the brief parser: arbitrary bytes as reel.yaml must give 0 or a clean
 * REEL_ECONFIG with a message, never a crash, a leak or undefined behaviour. Built with
 * libFuzzer by `make fuzz`, and replayed over the seed corpus by the test suite. */
#include "project/brief.h"
#include "util/fsutil.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = 0;
    reel_project p;
    reel_err e = {0};
    int rc = reel_project_load_text(&p, "/tmp", text, size, reel_builtin_agents, &e);
    if (rc && !e.msg[0]) abort(); /* every refusal must say why */
    reel_project_free(&p);
    free(text);
    return 0;
}
