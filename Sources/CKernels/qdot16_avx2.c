// AVX2+FMA products on 16-row packed groups (qpack.c): as the AVX-512 ones, each group in two
// 8-row halves (a half's pass reads the group's bytes, which the other half left in L1).
#include "qdot_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)

static inline __m256 scales8(const uint8_t *p) { return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p)); }
static inline __m256i bytes8(const uint8_t *p) { return _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)p)); }

// Σ_k q_k·x_k for 8 rows (the half at byte `h`) of one 4-bit block, as nibble_block in AVX-512.
static inline __m256 nibble_half(const uint8_t *b, int h, const float *x, __m256i offset) {
    const __m256i mask = _mm256_set1_epi32(0x0f);
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    for (int k = 0; k < 16; k += 2) {
        const __m256i q0 = bytes8(b + 16 * k + h), q1 = bytes8(b + 16 * k + 16 + h);
        s0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_and_si256(q0, mask), offset)), _mm256_broadcast_ss(x + k), s0);
        s1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_srli_epi32(q0, 4), offset)), _mm256_broadcast_ss(x + k + 16), s1);
        s2 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_and_si256(q1, mask), offset)), _mm256_broadcast_ss(x + k + 1), s2);
        s3 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_srli_epi32(q1, 4), offset)), _mm256_broadcast_ss(x + k + 17), s3);
    }
    return _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3));
}

static void groups_q4_0(const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t groups) {
    (void)xs;
    const __m256i eight = _mm256_set1_epi32(8);
    for (int64_t G = 0; G < groups; G++, g += PKV_PACK_ROWS * rb)
        for (int h = 0; h < PKV_PACK_ROWS; h += 8) {
            const uint8_t *b = g;
            __m256 acc = _mm256_setzero_ps();
            for (int64_t i = 0; i < n / 32; i++, b += PKV_PACK_ROWS * 18) {
                if (h == 0) pkv_prefetch_ahead(b, PKV_PACK_ROWS * 18);
                acc = _mm256_fmadd_ps(scales8(b + 256 + 2 * h), nibble_half(b, h, x + 32 * i, eight), acc);
            }
            _mm256_storeu_ps(y + PKV_PACK_ROWS * G + h, acc);
        }
}

static void groups_q4_1(const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t groups) {
    const __m256i zero = _mm256_setzero_si256();
    for (int64_t G = 0; G < groups; G++, g += PKV_PACK_ROWS * rb)
        for (int h = 0; h < PKV_PACK_ROWS; h += 8) {
            const uint8_t *b = g;
            __m256 acc = _mm256_setzero_ps(), mins = _mm256_setzero_ps();
            for (int64_t i = 0; i < n / 32; i++, b += PKV_PACK_ROWS * 20) {
                if (h == 0) pkv_prefetch_ahead(b, PKV_PACK_ROWS * 20);
                acc = _mm256_fmadd_ps(scales8(b + 256 + 2 * h), nibble_half(b, h, x + 32 * i, zero), acc);
                mins = _mm256_fmadd_ps(scales8(b + 288 + 2 * h), _mm256_broadcast_ss(xs + i), mins);
            }
            _mm256_storeu_ps(y + PKV_PACK_ROWS * G + h, _mm256_add_ps(acc, mins));
        }
}

static void groups_q8_0(const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t groups) {
    (void)xs;
    for (int64_t G = 0; G < groups; G++, g += PKV_PACK_ROWS * rb)
        for (int h = 0; h < PKV_PACK_ROWS; h += 8) {
            const uint8_t *b = g;
            __m256 acc = _mm256_setzero_ps();
            for (int64_t i = 0; i < n / 32; i++, b += PKV_PACK_ROWS * 34) {
                if (h == 0) pkv_prefetch_ahead(b, PKV_PACK_ROWS * 34);
                const float *xb = x + 32 * i;
                __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
                for (int k = 0; k < 32; k += 4) {
#define PKV_Q8_SLICE(S, K) S = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(b + 16 * (K) + h)))), _mm256_broadcast_ss(xb + (K)), S)
                    PKV_Q8_SLICE(s0, k); PKV_Q8_SLICE(s1, k + 1); PKV_Q8_SLICE(s2, k + 2); PKV_Q8_SLICE(s3, k + 3);
#undef PKV_Q8_SLICE
                }
                acc = _mm256_fmadd_ps(scales8(b + 512 + 2 * h), _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)), acc);
            }
            _mm256_storeu_ps(y + PKV_PACK_ROWS * G + h, acc);
        }
}

#pragma clang attribute pop

void pkv_fill_groups_avx2(pkv_groups_fn t[PKV_TYPE_SLOTS]) {
    t[SLOT_Q4_0] = groups_q4_0; t[SLOT_Q4_1] = groups_q4_1; t[SLOT_Q8_0] = groups_q8_0;
}
#else
void pkv_fill_groups_avx2(pkv_groups_fn t[PKV_TYPE_SLOTS]) { pkv_fill_groups_scalar(t); }
#endif
