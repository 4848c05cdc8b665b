/* Colour conversions and CIEDE2000 (see colorspace.h). */
#include "color/colorspace.h"

#include <math.h>

double reel_srgb_to_linear(double v) { return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4); }

double reel_linear_to_srgb(double v) { return v <= 0.0031308 ? v * 12.92 : 1.055 * pow(v, 1 / 2.4) - 0.055; }

static double lab_f(double t) { return t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116; }

void reel_srgb8_to_lab(const uint8_t rgb[3], double lab[3])
{
    reel_srgb_to_lab((const double[3]){rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0}, lab);
}

void reel_srgb_to_lab(const double rgb[3], double lab[3])
{
    double r = reel_srgb_to_linear(rgb[0]), g = reel_srgb_to_linear(rgb[1]), b = reel_srgb_to_linear(rgb[2]);
    /* BT.709 primaries, D65 (IEC 61966-2-1), normalised to the white point */
    double x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
    double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    double z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
    double fx = lab_f(x), fy = lab_f(y), fz = lab_f(z);
    lab[0] = 116 * fy - 16, lab[1] = 500 * (fx - fy), lab[2] = 200 * (fy - fz);
}

static double deg(double r) { return r * 180 / M_PI; }
static double rad(double d) { return d * M_PI / 180; }

/* The hue angle in degrees, 0..360 (0 for a neutral). */
static double hue(double a, double b) { return a == 0 && b == 0 ? 0 : fmod(deg(atan2(b, a)) + 360, 360); }

double reel_de2000(const double lab1[3], const double lab2[3])
{
    double L1 = lab1[0], a1 = lab1[1], b1 = lab1[2], L2 = lab2[0], a2 = lab2[1], b2 = lab2[2];
    double cbar = (hypot(a1, b1) + hypot(a2, b2)) / 2, c7 = pow(cbar, 7);
    double g = 0.5 * (1 - sqrt(c7 / (c7 + pow(25, 7))));
    double ap1 = (1 + g) * a1, ap2 = (1 + g) * a2, cp1 = hypot(ap1, b1), cp2 = hypot(ap2, b2);
    double hp1 = hue(ap1, b1), hp2 = hue(ap2, b2);
    double dL = L2 - L1, dC = cp2 - cp1, dh = 0;
    if (cp1 * cp2 != 0) {
        dh = hp2 - hp1;
        if (dh > 180) dh -= 360;
        else if (dh < -180) dh += 360;
    }
    double dH = 2 * sqrt(cp1 * cp2) * sin(rad(dh / 2));
    double lbar = (L1 + L2) / 2, cpbar = (cp1 + cp2) / 2, hbar = hp1 + hp2;
    if (cp1 * cp2 != 0) {
        if (fabs(hp1 - hp2) <= 180) hbar /= 2;
        else hbar = hbar < 360 ? (hbar + 360) / 2 : (hbar - 360) / 2;
    }
    double t = 1 - 0.17 * cos(rad(hbar - 30)) + 0.24 * cos(rad(2 * hbar)) + 0.32 * cos(rad(3 * hbar + 6)) -
               0.20 * cos(rad(4 * hbar - 63));
    double dtheta = 30 * exp(-pow((hbar - 275) / 25, 2)), cp7 = pow(cpbar, 7);
    double rc = 2 * sqrt(cp7 / (cp7 + pow(25, 7))), l50 = (lbar - 50) * (lbar - 50);
    double sl = 1 + 0.015 * l50 / sqrt(20 + l50), sc = 1 + 0.045 * cpbar, sh = 1 + 0.015 * cpbar * t;
    double rt = -sin(rad(2 * dtheta)) * rc;
    double x = dL / sl, y = dC / sc, z = dH / sh;
    return sqrt(x * x + y * y + z * z + rt * y * z);
}
