// AVX-512 products on 16-row packed groups (qpack.c): lane r accumulates row r. Each payload
// byte slice widens to fp32 and meets a broadcast activation; the block's 16 scales (and
// Q4_1's mins) load as one vector. fp32 throughout, as the row kernels.
#include "qdot_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,fma,f16c"))), apply_to = function)

static inline __m512 scales16(const uint8_t *p) { return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)p)); }
static inline __m512i bytes16(const uint8_t *p) { return _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)p)); }

// Σ_k q_k·x_k for one 4-bit block of 16 rows: slice k holds element k (low nibble) and k+16
// (high nibble); `offset` is subtracted from each quant (8 for Q4_0, 0 for Q4_1).
static inline __m512 nibble_block(const uint8_t *b, const float *x, __m512i offset) {
    const __m512i mask = _mm512_set1_epi32(0x0f);
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps(), s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
    for (int k = 0; k < 16; k += 2) {
        const __m512i q0 = bytes16(b + 16 * k), q1 = bytes16(b + 16 * k + 16);
        s0 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_and_si512(q0, mask), offset)), _mm512_set1_ps(x[k]), s0);
        s1 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_srli_epi32(q0, 4), offset)), _mm512_set1_ps(x[k + 16]), s1);
        s2 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_and_si512(q1, mask), offset)), _mm512_set1_ps(x[k + 1]), s2);
        s3 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_srli_epi32(q1, 4), offset)), _mm512_set1_ps(x[k + 17]), s3);
    }
    return _mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3));
}

static void groups_q4_0(const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t groups) {
    (void)xs;
    const __m512i eight = _mm512_set1_epi32(8);
    for (int64_t G = 0; G < groups; G++, g += PKV_PACK_ROWS * rb) {
        const uint8_t *b = g;
        __m512 acc = _mm512_setzero_ps();
        for (int64_t i = 0; i < n / 32; i++, b += PKV_PACK_ROWS * 18) {
            pkv_prefetch_ahead(b, PKV_PACK_ROWS * 18);
            acc = _mm512_fmadd_ps(scales16(b + 256), nibble_block(b, x + 32 * i, eight), acc);
        }
        _mm512_storeu_ps(y + PKV_PACK_ROWS * G, acc);
    }
}

static void groups_q4_1(const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t groups) {
    const __m512i zero = _mm512_setzero_si512();
    for (int64_t G = 0; G < groups; G++, g += PKV_PACK_ROWS * rb) {
        const uint8_t *b = g;
        __m512 acc = _mm512_setzero_ps(), mins = _mm512_setzero_ps();
        for (int64_t i = 0; i < n / 32; i++, b += PKV_PACK_ROWS * 20) {
            pkv_prefetch_ahead(b, PKV_PACK_ROWS * 20);
            acc = _mm512_fmadd_ps(scales16(b + 256), nibble_block(b, x + 32 * i, zero), acc);
            mins = _mm512_fmadd_ps(scales16(b + 288), _mm512_set1_ps(xs[i]), mins);
        }
        _mm512_storeu_ps(y + PKV_PACK_ROWS * G, _mm512_add_ps(acc, mins));
    }
}

static void groups_q8_0(const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t groups) {
    (void)xs;
    for (int64_t G = 0; G < groups; G++, g += PKV_PACK_ROWS * rb) {
        const uint8_t *b = g;
        __m512 acc = _mm512_setzero_ps();
        for (int64_t i = 0; i < n / 32; i++, b += PKV_PACK_ROWS * 34) {
            pkv_prefetch_ahead(b, PKV_PACK_ROWS * 34);
            const float *xb = x + 32 * i;
            __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps(), s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
            for (int k = 0; k < 32; k += 4) {
#define PKV_Q8_SLICE(S, K) S = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(b + 16 * (K))))), _mm512_set1_ps(xb[K]), S)
                PKV_Q8_SLICE(s0, k); PKV_Q8_SLICE(s1, k + 1); PKV_Q8_SLICE(s2, k + 2); PKV_Q8_SLICE(s3, k + 3);
#undef PKV_Q8_SLICE
            }
            acc = _mm512_fmadd_ps(scales16(b + 512), _mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)), acc);
        }
        _mm512_storeu_ps(y + PKV_PACK_ROWS * G, acc);
    }
}

#pragma clang attribute pop

void pkv_fill_groups_avx512(pkv_groups_fn t[PKV_TYPE_SLOTS]) {
    t[SLOT_Q4_0] = groups_q4_0; t[SLOT_Q4_1] = groups_q4_1; t[SLOT_Q8_0] = groups_q8_0;
}
#else
void pkv_fill_groups_avx512(pkv_groups_fn t[PKV_TYPE_SLOTS]) { pkv_fill_groups_scalar(t); }
#endif
