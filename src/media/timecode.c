/* SMPTE timecode: converting frame counts to "HH:MM:SS:FF" strings and back. It owns the
 * drop-frame rule for 29.97 and 59.94 fps (frame numbers 0-1, or 0-3 at 59.94, are skipped at the
 * start of every minute except each tenth minute) and the nominal integer base of a rate. */
#include "media/media.h"

#include <stdio.h>
#include <string.h>

int reel_tc_base(reel_rational fps)
{
    if (fps.num <= 0 || fps.den <= 0) return 0;
    return (int)(((int64_t)fps.num + fps.den / 2) / fps.den);
}

/* Frame numbers dropped per minute for drop-frame timecode at fps, or 0 when it has none. */
static int drop_per_minute(reel_rational fps)
{
    int base = reel_tc_base(fps);
    if (fps.den <= 1 || (base != 30 && base != 60)) return 0;
    if ((int64_t)fps.num * 1001 != (int64_t)base * 1000 * fps.den) return 0; /* not x/1.001 */
    return base / 15;
}

int reel_tc_to_string(int64_t frame, reel_rational fps, int drop, char out[32])
{
    int base = reel_tc_base(fps);
    out[0] = '\0';
    if (base <= 0 || frame < 0) return REEL_EINVAL;
    int d = drop ? drop_per_minute(fps) : 0;
    if (drop && !d) return REEL_EINVAL;
    if (d) { /* renumber: add back the dropped frame numbers */
        int64_t per10 = (int64_t)base * 600 - 9 * d, per1 = (int64_t)base * 60 - d;
        int64_t tens = frame / per10, rem = frame % per10;
        frame += 9 * d * tens + (rem > d ? d * ((rem - d) / per1) : 0);
    }
    int64_t day = (int64_t)base * 86400;
    frame %= day; /* timecode wraps at 24 hours */
    int ff = (int)(frame % base);
    int64_t secs = frame / base;
    snprintf(out, 32, "%02d:%02d:%02d%c%02d", (int)(secs / 3600), (int)(secs / 60 % 60),
             (int)(secs % 60), d ? ';' : ':', ff);
    return 0;
}

/* Parse exactly two decimal digits at p. */
static int two_digits(const char *p)
{
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9') return -1;
    return (p[0] - '0') * 10 + (p[1] - '0');
}

int64_t reel_tc_parse(const char *tc, reel_rational fps, int *drop_out)
{
    int base = reel_tc_base(fps);
    if (!tc || base <= 0 || strlen(tc) != 11 || tc[2] != ':' || tc[5] != ':') return REEL_EINVAL;
    char sep = tc[8];
    if (sep != ':' && sep != ';' && sep != '.') return REEL_EINVAL;
    int hh = two_digits(tc), mm = two_digits(tc + 3), ss = two_digits(tc + 6), ff = two_digits(tc + 9);
    if (hh < 0 || mm < 0 || ss < 0 || ff < 0 || hh > 23 || mm > 59 || ss > 59 || ff >= base)
        return REEL_EINVAL;
    int drop = sep != ':';
    int d = drop ? drop_per_minute(fps) : 0;
    if (drop && !d) return REEL_EINVAL;
    if (d && ss == 0 && ff < d && mm % 10 != 0) return REEL_EINVAL; /* a dropped number */
    int64_t minutes = (int64_t)hh * 60 + mm;
    int64_t frame = (minutes * 60 + ss) * base + ff - d * (minutes - minutes / 10);
    if (drop_out) *drop_out = drop;
    return frame;
}
