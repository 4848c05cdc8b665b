/* REEL_HOT marks a small per-pixel loop to be compiled twice, for AVX2 and for the baseline
 * x86-64, with the right one picked when the program loads (GCC/clang target_clones), so one
 * binary runs everywhere and uses wide vectors where the CPU has them. */
#ifndef REEL_UTIL_HOT_H
#define REEL_UTIL_HOT_H

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(__clang_analyzer__)
#define REEL_HOT __attribute__((target_clones("avx2", "default")))
#else
#define REEL_HOT
#endif

#endif
