/* ASC CDL evaluation (see cdl.h). */
#include "color/cdl.h"

#include <math.h>

const reel_cdl reel_cdl_identity = {{1, 1, 1}, {0, 0, 0}, {1, 1, 1}, 1};

static float clamp01(float v)
{
    return v > 0 ? (v < 1 ? v : 1) : 0; /* NaN -> 0 */
}

void reel_cdl_apply(const reel_cdl *c, const float in[3], float out[3])
{
    float t[3];
    for (int k = 0; k < 3; k++) {
        float v = clamp01(in[k] * (float)c->slope[k] + (float)c->offset[k]);
        t[k] = c->power[k] == 1 ? v : powf(v, (float)c->power[k]);
    }
    float y = 0.2126f * t[0] + 0.7152f * t[1] + 0.0722f * t[2];
    for (int k = 0; k < 3; k++) out[k] = clamp01(y + (float)c->sat * (t[k] - y));
}

int reel_cdl_is_identity(const reel_cdl *c)
{
    for (int k = 0; k < 3; k++)
        if (c->slope[k] != 1 || c->offset[k] != 0 || c->power[k] != 1) return 0;
    return c->sat == 1;
}
