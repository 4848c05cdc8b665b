/* Oklab conversions (see oklab.h). Matrices from Ottosson's reference implementation. */
#include "color/oklab.h"

#include <math.h>
#include <pthread.h>

float reel_srgb_decode(float v)
{
    return v <= 0.04045f ? v / 12.92f : powf((v + 0.055f) / 1.055f, 2.4f);
}

float reel_srgb_encode(float v)
{
    if (!(v > 0)) return 0; /* NaN too */
    if (v >= 1) return 1;
    return v <= 0.0031308f ? v * 12.92f : 1.055f * powf(v, 1 / 2.4f) - 0.055f;
}

void reel_linear_to_oklab(const float c[3], float lab[3])
{
    float l = 0.4122214708f * c[0] + 0.5363325363f * c[1] + 0.0514459929f * c[2];
    float m = 0.2119034982f * c[0] + 0.6806995451f * c[1] + 0.1073969566f * c[2];
    float s = 0.0883024619f * c[0] + 0.2817188376f * c[1] + 0.6299787005f * c[2];
    l = cbrtf(l), m = cbrtf(m), s = cbrtf(s);
    lab[0] = 0.2104542553f * l + 0.7936177850f * m - 0.0040720468f * s;
    lab[1] = 1.9779984951f * l - 2.4285922050f * m + 0.4505937099f * s;
    lab[2] = 0.0259040371f * l + 0.7827717662f * m - 0.8086757660f * s;
}

void reel_oklab_to_linear(const float lab[3], float c[3])
{
    float l = lab[0] + 0.3963377774f * lab[1] + 0.2158037573f * lab[2];
    float m = lab[0] - 0.1055613458f * lab[1] - 0.0638541728f * lab[2];
    float s = lab[0] - 0.0894841775f * lab[1] - 1.2914855480f * lab[2];
    l = l * l * l, m = m * m * m, s = s * s * s;
    c[0] = 4.0767416621f * l - 3.3077115913f * m + 0.2309699292f * s;
    c[1] = -1.2684380046f * l + 2.6097574011f * m - 0.3413193965f * s;
    c[2] = -0.0041960863f * l - 0.7034186147f * m + 1.7076147010f * s;
}

void reel_srgb_to_oklab(const float rgb[3], float lab[3])
{
    float lin[3] = {reel_srgb_decode(rgb[0]), reel_srgb_decode(rgb[1]), reel_srgb_decode(rgb[2])};
    reel_linear_to_oklab(lin, lab);
}

static int in_gamut(const float c[3])
{
    const float tol = 1e-5f;
    return c[0] >= -tol && c[1] >= -tol && c[2] >= -tol && c[0] <= 1 + tol && c[1] <= 1 + tol &&
           c[2] <= 1 + tol;
}

void reel_oklab_to_srgb(const float lab[3], float rgb[3])
{
    float c[3], t[3] = {lab[0], lab[1], lab[2]};
    if (!(t[0] > 0)) t[0] = 0, t[1] = t[2] = 0; /* NaN and below black: black */
    if (t[0] >= 1) t[0] = 1, t[1] = t[2] = 0;
    reel_oklab_to_linear(t, c);
    if (!in_gamut(c)) { /* bisect the chroma scale at constant L and hue */
        float lo = 0, hi = 1;
        for (int i = 0; i < 14; i++) {
            float k = 0.5f * (lo + hi), u[3] = {t[0], t[1] * k, t[2] * k};
            reel_oklab_to_linear(u, c);
            if (in_gamut(c)) lo = k;
            else hi = k;
        }
        float u[3] = {t[0], t[1] * lo, t[2] * lo};
        reel_oklab_to_linear(u, c);
    }
    for (int k = 0; k < 3; k++) rgb[k] = reel_srgb_encode(c[k]);
}

static float decode8[256];
static pthread_once_t decode8_once = PTHREAD_ONCE_INIT;

static void decode8_init(void)
{
    for (int i = 0; i < 256; i++) decode8[i] = reel_srgb_decode((float)i / 255.0f);
}

void reel_srgb8_to_oklab_n(const uint8_t *rgb, float *lab, size_t n)
{
    pthread_once(&decode8_once, decode8_init);
    for (size_t i = 0; i < n; i++, rgb += 3, lab += 3) {
        float lin[3] = {decode8[rgb[0]], decode8[rgb[1]], decode8[rgb[2]]};
        reel_linear_to_oklab(lin, lab);
    }
}
