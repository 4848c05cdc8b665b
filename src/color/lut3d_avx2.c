/* The AVX2 path of reel_lut3d_apply_420: eight pixels at a time, the same fixed-point arithmetic as
 * the scalar interp() in lut3d_plan.h, so both give the same bytes (tests/unit/test_yuvgrade.c).
 * Per eight pixels: gathers find each pixel's cell and fractions (the chroma's once per pair), the
 * tetrahedron comes from comparisons (its corner offsets by a lane permute from an eight-entry
 * table), and one 64-bit load per corner and pixel fetches its three 16-bit channels. Built only for
 * x86-64 with GCC or Clang and chosen at run time; elsewhere the scalar path runs alone. */
#include "color/lut3d_plan.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

int reel_lut3d_avx2_usable(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}

/* The low and high 16-bit halves of each 32-bit lane, sign-extended. */
AVX2 static inline __m256i lo16(__m256i g) { return _mm256_srai_epi32(_mm256_slli_epi32(g, 16), 16); }
AVX2 static inline __m256i hi16(__m256i g) { return _mm256_srai_epi32(g, 16); }

AVX2 static inline __m256i round8(__m256i s)
{
    s = _mm256_srai_epi32(_mm256_add_epi32(s, _mm256_set1_epi32(1 << (Q_SHIFT + 5))), Q_SHIFT + 6);
    return _mm256_min_epi32(_mm256_max_epi32(s, _mm256_setzero_si256()), _mm256_set1_epi32(255));
}

/* The three 16-bit channels at element offsets at[0..7] of the table, one 64-bit load per pixel:
 * each channel sign-extended into its own eight 32-bit lanes. */
AVX2 static inline void corner8(const int16_t *q, __m256i at, __m256i ch[3])
{
    const __m256i split = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    __m256i g0 = _mm256_i32gather_epi64((const long long *)q, _mm256_castsi256_si128(at), 2),
            g1 = _mm256_i32gather_epi64((const long long *)q, _mm256_extracti128_si256(at, 1), 2);
    __m256i a = _mm256_permutevar8x32_epi32(g0, split), b = _mm256_permutevar8x32_epi32(g1, split);
    __m256i c01 = _mm256_permute2x128_si256(a, b, 0x20), c2 = _mm256_permute2x128_si256(a, b, 0x31);
    ch[0] = lo16(c01), ch[1] = hi16(c01), ch[2] = lo16(c2);
}

/* Eight pixels: packed cell entries (off << PK_SHIFT | f) of Y, Cb, Cr per lane to 8-bit Y', Cb',
 * Cr' lanes. */
AVX2 static inline void interp8(const reel_lut3d_plan *p, __m256i py, __m256i pu, __m256i pv, __m256i out[3])
{
    const __m256i fmask = _mm256_set1_epi32((1 << PK_SHIFT) - 1);
    __m256i fr = _mm256_and_si256(py, fmask), fg = _mm256_and_si256(pu, fmask), fb = _mm256_and_si256(pv, fmask);
    __m256i base = _mm256_add_epi32(_mm256_add_epi32(_mm256_srli_epi32(py, PK_SHIFT), _mm256_srli_epi32(pu, PK_SHIFT)),
                                    _mm256_srli_epi32(pv, PK_SHIFT));
    __m256i k = _mm256_or_si256(
        _mm256_or_si256(_mm256_and_si256(_mm256_cmpgt_epi32(fr, fg), _mm256_set1_epi32(4)),
                        _mm256_and_si256(_mm256_cmpgt_epi32(fg, fb), _mm256_set1_epi32(2))),
        _mm256_and_si256(_mm256_cmpgt_epi32(fr, fb), _mm256_set1_epi32(1)));
    __m256i hi = _mm256_max_epi32(_mm256_max_epi32(fr, fg), fb), lo = _mm256_min_epi32(_mm256_min_epi32(fr, fg), fb);
    __m256i mid = _mm256_sub_epi32(_mm256_sub_epi32(_mm256_add_epi32(_mm256_add_epi32(fr, fg), fb), hi), lo);
    __m256i w[4] = {_mm256_sub_epi32(_mm256_set1_epi32(Q_ONE), hi), _mm256_sub_epi32(hi, mid), _mm256_sub_epi32(mid, lo), lo};
    __m256i at[4] = {base, _mm256_add_epi32(base, _mm256_permutevar8x32_epi32(_mm256_loadu_si256((const __m256i *)p->ca), k)),
                     _mm256_add_epi32(base, _mm256_permutevar8x32_epi32(_mm256_loadu_si256((const __m256i *)p->cb), k)),
                     _mm256_add_epi32(base, _mm256_set1_epi32(p->sr + p->sg + p->sb))};
    __m256i s0 = _mm256_setzero_si256(), s1 = s0, s2 = s0;
    for (int c = 0; c < 4; c++) {
        __m256i ch[3];
        corner8(p->q, at[c], ch);
        s0 = _mm256_add_epi32(s0, _mm256_mullo_epi32(w[c], ch[0]));
        s1 = _mm256_add_epi32(s1, _mm256_mullo_epi32(w[c], ch[1]));
        s2 = _mm256_add_epi32(s2, _mm256_mullo_epi32(w[c], ch[2]));
    }
    out[0] = round8(s0), out[1] = round8(s1), out[2] = round8(s2);
}

/* Eight 8-bit lanes (values 0..255) stored as bytes. */
AVX2 static inline void store8(uint8_t *d, __m256i v)
{
    __m256i b = _mm256_packus_epi16(_mm256_packus_epi32(v, v), _mm256_setzero_si256());
    uint32_t lo = (uint32_t)_mm_cvtsi128_si32(_mm256_castsi256_si128(b)),
             hi = (uint32_t)_mm_cvtsi128_si32(_mm256_extracti128_si256(b, 1));
    memcpy(d, &lo, 4), memcpy(d + 4, &hi, 4);
}

/* The packed cell entries of four chroma bytes from table t, each twice, in eight lanes. */
AVX2 static inline __m256i chroma8(const int32_t *t, const uint8_t *c)
{
    uint32_t w;
    memcpy(&w, c, 4);
    __m128i four = _mm_i32gather_epi32(t, _mm_cvtepu8_epi32(_mm_cvtsi32_si128((int)w)), 4);
    return _mm256_permutevar8x32_epi32(_mm256_castsi128_si256(four), _mm256_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3));
}

AVX2 int reel_lut3d_420_avx2(const reel_lut3d_plan *p, const uint8_t *const in[2], const uint8_t *u, const uint8_t *v,
                             uint8_t *const out[2], uint8_t *ou, uint8_t *ov, int w, int rows)
{
    int x = 0;
    for (; x + 8 <= w; x += 8) {
        __m256i pu = chroma8(p->pk[1], u + x / 2), pv = chroma8(p->pk[2], v + x / 2), su = _mm256_setzero_si256(), sv = su;
        for (int r = 0; r < rows; r++) {
            __m256i o[3];
            __m256i y = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(in[r] + x)));
            interp8(p, _mm256_i32gather_epi32(p->pk[0], y, 4), pu, pv, o);
            store8(out[r] + x, o[0]);
            su = _mm256_add_epi32(su, o[1]), sv = _mm256_add_epi32(sv, o[2]);
        }
        int32_t a[8], b[8], n = 2 * rows;
        _mm256_storeu_si256((__m256i *)a, su), _mm256_storeu_si256((__m256i *)b, sv);
        for (int i = 0; i < 4; i++)
            ou[x / 2 + i] = (uint8_t)((a[2 * i] + a[2 * i + 1] + n / 2) / n),
                       ov[x / 2 + i] = (uint8_t)((b[2 * i] + b[2 * i + 1] + n / 2) / n);
    }
    return x;
}

#else

int reel_lut3d_avx2_usable(void) { return 0; }

int reel_lut3d_420_avx2(const reel_lut3d_plan *p, const uint8_t *const in[2], const uint8_t *u, const uint8_t *v,
                        uint8_t *const out[2], uint8_t *ou, uint8_t *ov, int w, int rows)
{
    return 0;
}

#endif
