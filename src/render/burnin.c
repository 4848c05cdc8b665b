/* Burnt-in text for review copies: a built-in 5x7 font (digits, capitals, a little punctuation;
 * lower case is drawn as capitals, anything else as '?'), white on a dark box, scaled with the
 * picture height, drawn into packed RGB24. No font files, so review copies look the same on
 * every machine. */
#include "render/burnin.h"

#include <ctype.h>
#include <string.h>

typedef struct glyph {
    char c;
    unsigned char rows[7]; /* 5 bits each, the leftmost pixel in bit 4 */
} glyph;

static const glyph font[] = {
    {' ', {0, 0, 0, 0, 0, 0, 0}},
    {'0', {14, 17, 19, 21, 25, 17, 14}}, {'1', {4, 12, 4, 4, 4, 4, 14}}, {'2', {14, 17, 1, 2, 4, 8, 31}},
    {'3', {31, 2, 4, 2, 1, 17, 14}}, {'4', {2, 6, 10, 18, 31, 2, 2}}, {'5', {31, 16, 30, 1, 1, 17, 14}},
    {'6', {6, 8, 16, 30, 17, 17, 14}}, {'7', {31, 1, 2, 4, 8, 8, 8}}, {'8', {14, 17, 17, 14, 17, 17, 14}},
    {'9', {14, 17, 17, 15, 1, 2, 12}},
    {'A', {14, 17, 17, 31, 17, 17, 17}}, {'B', {30, 17, 17, 30, 17, 17, 30}}, {'C', {14, 17, 16, 16, 16, 17, 14}},
    {'D', {28, 18, 17, 17, 17, 18, 28}}, {'E', {31, 16, 16, 30, 16, 16, 31}}, {'F', {31, 16, 16, 30, 16, 16, 16}},
    {'G', {14, 17, 16, 23, 17, 17, 15}}, {'H', {17, 17, 17, 31, 17, 17, 17}}, {'I', {14, 4, 4, 4, 4, 4, 14}},
    {'J', {7, 2, 2, 2, 2, 18, 12}}, {'K', {17, 18, 20, 24, 20, 18, 17}}, {'L', {16, 16, 16, 16, 16, 16, 31}},
    {'M', {17, 27, 21, 21, 17, 17, 17}}, {'N', {17, 17, 25, 21, 19, 17, 17}}, {'O', {14, 17, 17, 17, 17, 17, 14}},
    {'P', {30, 17, 17, 30, 16, 16, 16}}, {'Q', {14, 17, 17, 17, 21, 18, 13}}, {'R', {30, 17, 17, 30, 20, 18, 17}},
    {'S', {15, 16, 16, 14, 1, 1, 30}}, {'T', {31, 4, 4, 4, 4, 4, 4}}, {'U', {17, 17, 17, 17, 17, 17, 14}},
    {'V', {17, 17, 17, 17, 17, 10, 4}}, {'W', {17, 17, 17, 21, 21, 21, 10}}, {'X', {17, 17, 10, 4, 10, 17, 17}},
    {'Y', {17, 17, 17, 10, 4, 4, 4}}, {'Z', {31, 1, 2, 4, 8, 16, 31}},
    {':', {0, 12, 12, 0, 12, 12, 0}}, {';', {0, 12, 12, 0, 12, 4, 8}}, {'-', {0, 0, 0, 31, 0, 0, 0}},
    {'_', {0, 0, 0, 0, 0, 0, 31}}, {'.', {0, 0, 0, 0, 0, 12, 12}}, {'#', {10, 10, 31, 10, 31, 10, 10}},
    {'/', {0, 1, 2, 4, 8, 16, 0}}, {'(', {2, 4, 8, 8, 8, 4, 2}}, {')', {8, 4, 2, 2, 2, 4, 8}},
    {'+', {0, 4, 4, 31, 4, 4, 0}}, {'?', {14, 17, 1, 2, 4, 0, 4}},
};

static const unsigned char *glyph_rows(char c)
{
    c = (char)toupper((unsigned char)c);
    for (size_t i = 0; i < sizeof font / sizeof font[0]; i++)
        if (font[i].c == c) return font[i].rows;
    return glyph_rows('?');
}

/* Fill a rectangle (clipped to the frame) with grey level v (RGB; on 4:2:0 its limited-range luma,
 * with neutral chroma). */
static void fill_rect(reel_frame *f, int x0, int y0, int w, int h, uint8_t v)
{
    int x1 = x0 + w < f->width ? x0 + w : f->width, y1 = y0 + h < f->height ? y0 + h : f->height;
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 <= x0 || y1 <= y0) return;
    if (f->fmt != REEL_PIX_YUV420P) {
        for (int y = y0; y < y1; y++) memset(f->data[0] + (size_t)y * f->linesize[0] + (size_t)x0 * 3, v, (size_t)(x1 - x0) * 3);
        return;
    }
    uint8_t luma = (uint8_t)(16 + (v * 219 + 127) / 255);
    for (int y = y0; y < y1; y++) memset(f->data[0] + (size_t)y * f->linesize[0] + x0, luma, (size_t)(x1 - x0));
    for (int p = 1; p < 3; p++)
        for (int y = y0 / 2; y < (y1 + 1) / 2; y++)
            memset(f->data[p] + (size_t)y * f->linesize[p] + x0 / 2, 128, (size_t)((x1 + 1) / 2 - x0 / 2));
}

int reel_burnin_scale(int height)
{
    int s = height / 180;
    return s < 1 ? 1 : s;
}

int reel_burnin_width(const char *text, int scale)
{
    return (int)strlen(text) * 6 * scale + 2 * scale;
}

void reel_burnin_text(reel_frame *f, int x, int y, int scale, const char *text)
{
    int n = (int)strlen(text);
    fill_rect(f, x, y, reel_burnin_width(text, scale), 9 * scale, 16);
    for (int i = 0; i < n; i++) {
        const unsigned char *rows = glyph_rows(text[i]);
        int gx = x + scale + i * 6 * scale;
        for (int r = 0; r < 7; r++)
            for (int c = 0; c < 5; c++)
                if (rows[r] & (16 >> c)) fill_rect(f, gx + c * scale, y + scale + r * scale, scale, scale, 235);
    }
}
