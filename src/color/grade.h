/* Parametric grades: a handful of controls a colourist would name (exposure, white balance,
 * contrast, saturation, split toning, black and white levels) applied in a fixed order, and the
 * two tables built from them: the named looks (neutral, warm, cool, teal_orange, bleach_bypass,
 * day_for_night, noir) and the time-of-day grades (dawn ... night, day_for_night). A look is its
 * parameters, not an image, so it is reproducible from this file alone.
 *
 * Order, on sRGB code values: decode to linear light; exposure (stops) and white balance
 * (temperature and tint as luminance-neutral channel gains); to Oklab; contrast as an S-curve on
 * L through `pivot` that keeps black and white; black and white output levels; saturation
 * (chroma scale); split toning (an (a, b) shift weighted toward the shadows or the highlights);
 * back to sRGB, gamut mapped. Identity when every control is at its neutral value. */
#ifndef REEL_COLOR_GRADE_H
#define REEL_COLOR_GRADE_H

typedef struct reel_grade {
    float exposure;       /* stops, 0 = none */
    float temperature;    /* -1 (cooler) .. 1 (warmer), 0 = none */
    float tint;           /* -1 (greener) .. 1 (more magenta), 0 = none */
    float contrast;       /* slope at the pivot, 1 = none */
    float pivot;          /* Oklab L of the contrast pivot (0.5 when 0) */
    float black, white;   /* output levels: L 0 -> black, 1 -> white (0 and 1 = none) */
    float saturation;     /* chroma scale, 1 = none */
    float shadows[2];     /* Oklab (a, b) added in the shadows (split toning) */
    float highlights[2];  /* Oklab (a, b) added in the highlights */
} reel_grade;

/* The identity grade. */
extern const reel_grade reel_grade_identity;

typedef struct reel_grade_entry {
    const char *name;
    const char *help;
    reel_grade g;
} reel_grade_entry;

/* NULL-name terminated tables. */
extern const reel_grade_entry reel_named_looks[];
extern const reel_grade_entry reel_times_of_day[];
/* The entry called name in table, or NULL. */
const reel_grade_entry *reel_grade_find(const reel_grade_entry *table, const char *name);
/* "a, b, c" list of a table's names (static storage, for messages and help). */
const char *reel_grade_names(const reel_grade_entry *table);

/* 1 when g changes nothing. */
int reel_grade_is_identity(const reel_grade *g);
/* Apply g to one sRGB pixel (0..1). */
void reel_grade_apply(const reel_grade *g, const float in[3], float out[3]);

/* The same in the middle of a longer chain: on an Oklab colour (the grade's Oklab stage; the
 * exposure and white balance stages go through linear light and back). */
void reel_grade_apply_oklab(const reel_grade *g, float lab[3]);

#endif
