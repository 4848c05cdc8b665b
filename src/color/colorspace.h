/* Colour conversions and differences: sRGB (IEC 61966-2-1 transfer, BT.709 primaries, D65) to
 * CIE XYZ and CIELAB, and the CIEDE2000 colour difference (Sharma, Wu and Dalal 2005), the
 * measure the colour work is judged by (a mean dE2000 under 1 is a difference a viewer does not
 * see side by side). */
#ifndef REEL_COLOR_COLORSPACE_H
#define REEL_COLOR_COLORSPACE_H

#include <stdint.h>

/* sRGB code value 0..1 to linear light, and back. */
double reel_srgb_to_linear(double v);
double reel_linear_to_srgb(double v);
/* An 8-bit sRGB pixel to CIELAB (D65 white). */
void reel_srgb8_to_lab(const uint8_t rgb[3], double lab[3]);
/* The same for sRGB code values 0..1. */
void reel_srgb_to_lab(const double rgb[3], double lab[3]);
/* CIEDE2000 between two CIELAB colours (kL = kC = kH = 1). */
double reel_de2000(const double lab1[3], const double lab2[3]);

#endif
