/* The .cube 3D LUT format (Adobe/Iridas "Cube LUT Specification 1.0", as Resolve, Premiere and
 * ffmpeg's lut3d read and write it).
 *
 * Read: TITLE "...", LUT_3D_SIZE N (2..256), DOMAIN_MIN r g b / DOMAIN_MAX r g b (Adobe) or
 * LUT_3D_INPUT_RANGE lo hi (Resolve), # comments and blank lines anywhere, keywords before the
 * data, then exactly N^3 lines of three numbers, red fastest. Refused with the file and line
 * named: no LUT_3D_SIZE, a size out of range, a 1D table (LUT_1D_SIZE: not supported), an
 * unknown keyword, a line that is not three numbers, NaN, infinity or a number over 10^6 in
 * size, a domain whose minimum is not under its maximum, too few or too many data lines.
 * Write: TITLE, LUT_3D_SIZE, DOMAIN_MIN/MAX, six decimals, atomically (temp file, fsync,
 * rename). */
#ifndef REEL_TIMELINE_CUBE_H
#define REEL_TIMELINE_CUBE_H

#include "color/lut3d.h"
#include "reel/reel.h"

/* Parse text[0..len) (name: for messages). 0, or REEL_EINVAL / REEL_ENOMEM with e saying why. */
int reel_cube_parse(const char *name, const char *text, size_t len, reel_lut3d *l, reel_err *e);
int reel_cube_load(const char *path, reel_lut3d *l, reel_err *e);
int reel_cube_save(const char *path, const reel_lut3d *l, reel_err *e);

#endif
