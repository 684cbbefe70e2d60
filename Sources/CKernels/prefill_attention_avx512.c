// AVX-512 prefill-attention tile: 8 rows × 48 keys of scores and 6 rows × 64 dimensions of
// output per micro-tile, 24 zmm accumulators each (the compiler does not keep the portable
// body's arrays in registers at this size, so these two are written with intrinsics).
#include "attention_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,fma"))), apply_to = function)
#define PA_NAME(x) x##_avx512
#define PA_RB 8
#define PA_NB 3
#define PA_VR 6
#define PA_VC 64
#define PA_OWN_MICRO

// NB blocks of 16 transposed keys against 8 query rows: per dimension, NB loads and 8
// broadcasts feed 8·NB FMAs.
#define SCORES_MICRO(NB)                                                                             \
    static inline __attribute__((always_inline)) void scores_micro_##NB(                            \
        const float *q, const float *kt, int64_t D, float scale, float *s, int64_t lds) {           \
        __m512 acc[8][NB];                                                                           \
        for (int r = 0; r < 8; r++)                                                                  \
            for (int b = 0; b < NB; b++) acc[r][b] = _mm512_setzero_ps();                            \
        for (int64_t dd = 0; dd < D; dd++) {                                                         \
            __m512 k[NB];                                                                            \
            for (int b = 0; b < NB; b++) k[b] = _mm512_loadu_ps(kt + b * 16 * D + dd * 16);          \
            for (int r = 0; r < 8; r++) {                                                            \
                const __m512 qv = _mm512_set1_ps(q[r * D + dd]);                                     \
                for (int b = 0; b < NB; b++) acc[r][b] = _mm512_fmadd_ps(qv, k[b], acc[r][b]);       \
            }                                                                                        \
        }                                                                                            \
        const __m512 sc = _mm512_set1_ps(scale);                                                     \
        for (int r = 0; r < 8; r++)                                                                  \
            for (int b = 0; b < NB; b++) _mm512_storeu_ps(s + r * lds + b * 16, _mm512_mul_ps(acc[r][b], sc)); \
    }
SCORES_MICRO(1)
SCORES_MICRO(2)
SCORES_MICRO(3)

static inline __attribute__((always_inline)) void scores_micro_avx512(const float *q, const float *kt, int64_t D,
                                                                        int nb, float scale, float *s, int64_t lds) {
    if (nb == 3) scores_micro_3(q, kt, D, scale, s, lds);
    else if (nb == 2) scores_micro_2(q, kt, D, scale, s, lds);
    else scores_micro_1(q, kt, D, scale, s, lds);
}

// 6 rows × 64 dimensions: per key, 4 loads of its value row and 6 broadcasts feed 24 FMAs.
static inline __attribute__((always_inline)) void values_micro_avx512(const float *p, int64_t ldp, const float *v,
                                                                        int64_t D, int64_t j0, int64_t j1, float *o,
                                                                        int first) {
    __m512 acc[6][4];
    for (int r = 0; r < 6; r++)
        for (int c = 0; c < 4; c++) acc[r][c] = first ? _mm512_setzero_ps() : _mm512_loadu_ps(o + r * D + 16 * c);
    for (int64_t j = j0; j < j1; j++) {
        __m512 vj[4];
        for (int c = 0; c < 4; c++) vj[c] = _mm512_loadu_ps(v + j * D + 16 * c);
        for (int r = 0; r < 6; r++) {
            const __m512 pr = _mm512_set1_ps(p[r * ldp + j]);
            for (int c = 0; c < 4; c++) acc[r][c] = _mm512_fmadd_ps(pr, vj[c], acc[r][c]);
        }
    }
    for (int r = 0; r < 6; r++)
        for (int c = 0; c < 4; c++) _mm512_storeu_ps(o + r * D + 16 * c, acc[r][c]);
}

#include "prefill_attention_body.h"
#pragma clang attribute pop

pkv_prefill_tile_fn pkv_prefill_tile_avx512(void) { return tile_avx512; }
#else
pkv_prefill_tile_fn pkv_prefill_tile_avx512(void) { return pkv_prefill_tile_scalar(); }
#endif
