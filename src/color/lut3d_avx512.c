/* The AVX-512 path of reel_lut3d_apply_420: the AVX2 path (lut3d_avx2.c) sixteen pixels at a time,
 * with the same fixed-point arithmetic as the scalar interp() in lut3d_plan.h, so all three give the
 * same bytes (tests/unit/test_yuvgrade.c). Wider lanes halve the instructions around each gather,
 * mask registers pick the tetrahedron, and the chroma means are summed, rounded and narrowed in
 * registers. Needs AVX-512 F and BW; chosen at run time, built only for x86-64 with GCC or Clang. */
#include "color/lut3d_plan.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx2")))

int reel_lut3d_avx512_usable(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl");
}

AVX512 static inline __m512i lo16(__m512i g) { return _mm512_srai_epi32(_mm512_slli_epi32(g, 16), 16); }

AVX512 static inline __m512i round8(__m512i s)
{
    s = _mm512_srai_epi32(_mm512_add_epi32(s, _mm512_set1_epi32(1 << (Q_SHIFT + 5))), Q_SHIFT + 6);
    return _mm512_min_epi32(_mm512_max_epi32(s, _mm512_setzero_si512()), _mm512_set1_epi32(255));
}

/* The three 16-bit channels at element offsets at[0..15] of the table, one 64-bit load per pixel,
 * each channel sign-extended into its own sixteen 32-bit lanes. */
AVX512 static inline void corner16(const int16_t *q, __m512i at, __m512i ch[3])
{
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
    __m512i g0 = _mm512_i32gather_epi64(_mm512_castsi512_si256(at), (const void *)q, 2),
            g1 = _mm512_i32gather_epi64(_mm512_extracti64x4_epi64(at, 1), (const void *)q, 2);
    __m512i c01 = _mm512_permutex2var_epi32(g0, even, g1), c2 = _mm512_permutex2var_epi32(g0, odd, g1);
    ch[0] = lo16(c01), ch[1] = _mm512_srai_epi32(c01, 16), ch[2] = lo16(c2);
}

/* Sixteen pixels: packed cell entries (off << PK_SHIFT | f) of Y, Cb, Cr per lane to 8-bit Y', Cb',
 * Cr' lanes. */
AVX512 static inline void interp16(const reel_lut3d_plan *p, __m512i py, __m512i pu, __m512i pv, __m512i out[3])
{
    const __m512i fmask = _mm512_set1_epi32((1 << PK_SHIFT) - 1);
    __m512i fr = _mm512_and_si512(py, fmask), fg = _mm512_and_si512(pu, fmask), fb = _mm512_and_si512(pv, fmask);
    __m512i base = _mm512_add_epi32(_mm512_add_epi32(_mm512_srli_epi32(py, PK_SHIFT), _mm512_srli_epi32(pu, PK_SHIFT)),
                                    _mm512_srli_epi32(pv, PK_SHIFT));
    __m512i k = _mm512_or_si512(
        _mm512_or_si512(_mm512_maskz_mov_epi32(_mm512_cmpgt_epi32_mask(fr, fg), _mm512_set1_epi32(4)),
                        _mm512_maskz_mov_epi32(_mm512_cmpgt_epi32_mask(fg, fb), _mm512_set1_epi32(2))),
        _mm512_maskz_mov_epi32(_mm512_cmpgt_epi32_mask(fr, fb), _mm512_set1_epi32(1)));
    __m512i hi = _mm512_max_epi32(_mm512_max_epi32(fr, fg), fb), lo = _mm512_min_epi32(_mm512_min_epi32(fr, fg), fb);
    __m512i mid = _mm512_sub_epi32(_mm512_sub_epi32(_mm512_add_epi32(_mm512_add_epi32(fr, fg), fb), hi), lo);
    __m512i w[4] = {_mm512_sub_epi32(_mm512_set1_epi32(Q_ONE), hi), _mm512_sub_epi32(hi, mid), _mm512_sub_epi32(mid, lo), lo};
    __m512i ca = _mm512_zextsi256_si512(_mm256_loadu_si256((const __m256i *)p->ca)),
            cb = _mm512_zextsi256_si512(_mm256_loadu_si256((const __m256i *)p->cb));
    __m512i at[4] = {base, _mm512_add_epi32(base, _mm512_permutexvar_epi32(k, ca)),
                     _mm512_add_epi32(base, _mm512_permutexvar_epi32(k, cb)),
                     _mm512_add_epi32(base, _mm512_set1_epi32(p->sr + p->sg + p->sb))};
    __m512i s0 = _mm512_setzero_si512(), s1 = s0, s2 = s0;
    for (int c = 0; c < 4; c++) {
        __m512i ch[3];
        corner16(p->q, at[c], ch);
        s0 = _mm512_add_epi32(s0, _mm512_mullo_epi32(w[c], ch[0]));
        s1 = _mm512_add_epi32(s1, _mm512_mullo_epi32(w[c], ch[1]));
        s2 = _mm512_add_epi32(s2, _mm512_mullo_epi32(w[c], ch[2]));
    }
    out[0] = round8(s0), out[1] = round8(s1), out[2] = round8(s2);
}

/* The packed cell entries of eight chroma bytes from table t, each twice, in sixteen lanes. */
AVX512 static inline __m512i chroma16(const int32_t *t, const uint8_t *c)
{
    __m256i eight = _mm256_i32gather_epi32(t, _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)c)), 4);
    return _mm512_permutexvar_epi32(_mm512_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7),
                                    _mm512_castsi256_si512(eight));
}

/* Eight chroma samples, each the rounded mean of the n = 2 * rows lanes summed in pairs in s. */
AVX512 static inline void mean8(uint8_t *d, __m512i s, int rows)
{
    __m512i pair = _mm512_add_epi32(s, _mm512_srli_epi64(s, 32)); /* each qword's low lane: its pair */
    pair = _mm512_srai_epi32(_mm512_add_epi32(pair, _mm512_set1_epi32(rows)), rows); /* (x + n/2) / n */
    _mm_storel_epi64((__m128i *)d, _mm512_cvtepi64_epi8(pair));
}

AVX512 int reel_lut3d_420_avx512(const reel_lut3d_plan *p, const uint8_t *const in[2], const uint8_t *u,
                                 const uint8_t *v, uint8_t *const out[2], uint8_t *ou, uint8_t *ov, int w, int rows)
{
    int x = 0;
    for (; x + 16 <= w; x += 16) {
        __m512i pu = chroma16(p->pk[1], u + x / 2), pv = chroma16(p->pk[2], v + x / 2), su = _mm512_setzero_si512(), sv = su;
        for (int r = 0; r < rows; r++) {
            __m512i o[3];
            __m512i y = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(in[r] + x)));
            interp16(p, _mm512_i32gather_epi32(y, p->pk[0], 4), pu, pv, o);
            _mm_storeu_si128((__m128i *)(out[r] + x), _mm512_cvtepi32_epi8(o[0]));
            su = _mm512_add_epi32(su, o[1]), sv = _mm512_add_epi32(sv, o[2]);
        }
        mean8(ou + x / 2, su, rows), mean8(ov + x / 2, sv, rows);
    }
    return x;
}

#else

int reel_lut3d_avx512_usable(void) { return 0; }

int reel_lut3d_420_avx512(const reel_lut3d_plan *p, const uint8_t *const in[2], const uint8_t *u, const uint8_t *v,
                          uint8_t *const out[2], uint8_t *ou, uint8_t *ov, int w, int rows)
{
    (void)p, (void)in, (void)u, (void)v, (void)out, (void)ou, (void)ov, (void)w, (void)rows;
    return 0;
}

#endif
