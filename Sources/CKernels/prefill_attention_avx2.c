// AVX2+FMA prefill-attention tile: 6 rows × 16 keys of scores and 6 rows × 16 dimensions of
// output per micro-tile, 12 ymm accumulators each, written with intrinsics (the portable
// body's arrays reached about half of the FMA peak under AVX2).
#include "attention_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define PA_NAME(x) x##_avx2
#define PA_RB 6
#define PA_NB 1
#define PA_VR 6
#define PA_VC 16
#define PA_OWN_MICRO

// One block of 16 transposed keys against 6 query rows: per dimension, 2 loads and 6
// broadcasts feed 12 FMAs.
static inline __attribute__((always_inline)) void scores_micro_avx2(const float *q, const float *kt, int64_t D,
                                                                      int nb, float scale, float *s, int64_t lds) {
    (void)nb;
    __m256 acc[6][2];
    for (int r = 0; r < 6; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
    for (int64_t dd = 0; dd < D; dd++) {
        const __m256 k0 = _mm256_loadu_ps(kt + dd * 16), k1 = _mm256_loadu_ps(kt + dd * 16 + 8);
        for (int r = 0; r < 6; r++) {
            const __m256 qv = _mm256_broadcast_ss(q + r * D + dd);
            acc[r][0] = _mm256_fmadd_ps(qv, k0, acc[r][0]);
            acc[r][1] = _mm256_fmadd_ps(qv, k1, acc[r][1]);
        }
    }
    const __m256 sc = _mm256_set1_ps(scale);
    for (int r = 0; r < 6; r++) {
        _mm256_storeu_ps(s + r * lds, _mm256_mul_ps(acc[r][0], sc));
        _mm256_storeu_ps(s + r * lds + 8, _mm256_mul_ps(acc[r][1], sc));
    }
}

// 6 rows × 16 dimensions: per key, 2 loads of its value slice and 6 broadcasts feed 12 FMAs.
static inline __attribute__((always_inline)) void values_micro_avx2(const float *p, int64_t ldp, const float *v,
                                                                      int64_t D, int64_t j0, int64_t j1, float *o,
                                                                      int first) {
    __m256 acc[6][2];
    for (int r = 0; r < 6; r++)
        for (int c = 0; c < 2; c++) acc[r][c] = first ? _mm256_setzero_ps() : _mm256_loadu_ps(o + r * D + 8 * c);
    for (int64_t j = j0; j < j1; j++) {
        const __m256 v0 = _mm256_loadu_ps(v + j * D), v1 = _mm256_loadu_ps(v + j * D + 8);
        for (int r = 0; r < 6; r++) {
            const __m256 pr = _mm256_broadcast_ss(p + r * ldp + j);
            acc[r][0] = _mm256_fmadd_ps(pr, v0, acc[r][0]);
            acc[r][1] = _mm256_fmadd_ps(pr, v1, acc[r][1]);
        }
    }
    for (int r = 0; r < 6; r++)
        for (int c = 0; c < 2; c++) _mm256_storeu_ps(o + r * D + 8 * c, acc[r][c]);
}

#include "prefill_attention_body.h"
#pragma clang attribute pop

pkv_prefill_tile_fn pkv_prefill_tile_avx2(void) { return tile_avx2; }
#else
pkv_prefill_tile_fn pkv_prefill_tile_avx2(void) { return pkv_prefill_tile_scalar(); }
#endif
