/* Oklab (Björn Ottosson, 2020): a perceptual colour space where lightness, chroma and hue are
 * nearly independent and straight lines in (a, b) keep their hue, so statistics and blends made
 * in it look as intended. Here on sRGB code values (IEC 61966-2-1 transfer, BT.709 primaries,
 * D65), the space reel's grades work in.
 *
 * reel_oklab_to_srgb maps colours that fall outside the sRGB gamut back inside by reducing chroma
 * at constant lightness and hue (never by clipping channels one by one, which turns hues). */
#ifndef REEL_COLOR_OKLAB_H
#define REEL_COLOR_OKLAB_H

#include <stddef.h>
#include <stdint.h>

/* sRGB code value (0..1) to linear light and back (float; the encode clamps to 0..1). */
float reel_srgb_decode(float v);
float reel_srgb_encode(float v);

/* Linear-light RGB to Oklab and back (no gamut mapping). */
void reel_linear_to_oklab(const float rgb[3], float lab[3]);
void reel_oklab_to_linear(const float lab[3], float rgb[3]);

/* sRGB code values (0..1) to Oklab; Oklab to sRGB code values, gamut mapped into 0..1. */
void reel_srgb_to_oklab(const float rgb[3], float lab[3]);
void reel_oklab_to_srgb(const float lab[3], float rgb[3]);

/* Packed 8-bit sRGB pixels to Oklab triples (a 256-entry decode table, built once). */
void reel_srgb8_to_oklab_n(const uint8_t *rgb, float *lab, size_t n);

#endif
