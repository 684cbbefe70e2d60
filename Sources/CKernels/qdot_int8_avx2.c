// int8-activation row dots with AVX2 (maddubs: unsigned × signed bytes to 16-bit pairs, then
// pairs to 32-bit): the integers of qdot_int8_scalar.c, 32 weights per step. Q8_0 weights are
// signed, so the sign moves onto x: |w| · (x·sign w), exact for every weight including -128.
#include "qdot_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)

static inline float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// The 32 nibbles of a Q4 block as bytes: low nibbles (elements 0..15), then high (16..31).
static inline __m256i nibbles(const uint8_t *qs) {
    const __m128i raw = _mm_loadu_si128((const __m128i *)qs);
    const __m256i both = _mm256_inserti128_si256(_mm256_castsi128_si256(raw), _mm_srli_epi16(raw, 4), 1);
    return _mm256_and_si256(both, _mm256_set1_epi8(0x0f));
}

static inline __m256i dot_u8s8(__m256i u, __m256i s) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1));
}

// Q4_0: nibble·x less 8·x, lane by lane in integers (a float correction would cancel badly).
static void rows8_q4_0(const uint8_t *w, int64_t rb, int64_t n, const pkv_xq8 *x, float *y, int64_t rows) {
    const __m256i eight = _mm256_set1_epi8(8);
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *b = w + r * rb;
        __m256 acc = _mm256_setzero_ps();
        for (int64_t i = 0; i < n / 32; i++, b += 18) {
            const __m256i xq = _mm256_loadu_si256((const __m256i *)(x->q + 32 * i));
            const __m256i s = _mm256_sub_epi32(dot_u8s8(nibbles(b + 2), xq), dot_u8s8(eight, xq));
            acc = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(pkv_rd16(b)) * x->d[i]), _mm256_cvtepi32_ps(s), acc);
        }
        y[r] = hsum8(acc);
    }
}

static void rows8_q4_1(const uint8_t *w, int64_t rb, int64_t n, const pkv_xq8 *x, float *y, int64_t rows) {
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *b = w + r * rb;
        __m256 acc = _mm256_setzero_ps();
        float mins = 0.0f;
        for (int64_t i = 0; i < n / 32; i++, b += 20) {
            const __m256i s = dot_u8s8(nibbles(b + 4), _mm256_loadu_si256((const __m256i *)(x->q + 32 * i)));
            acc = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(pkv_rd16(b)) * x->d[i]), _mm256_cvtepi32_ps(s), acc);
            mins += _cvtsh_ss(pkv_rd16(b + 2)) * x->sum[i];
        }
        y[r] = hsum8(acc) + mins;
    }
}

static void rows8_q8_0(const uint8_t *w, int64_t rb, int64_t n, const pkv_xq8 *x, float *y, int64_t rows) {
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *b = w + r * rb;
        __m256 acc = _mm256_setzero_ps();
        for (int64_t i = 0; i < n / 32; i++, b += 34) {
            const __m256i q = _mm256_loadu_si256((const __m256i *)(b + 2));
            const __m256i xq = _mm256_loadu_si256((const __m256i *)(x->q + 32 * i));
            const __m256i s = dot_u8s8(_mm256_abs_epi8(q), _mm256_sign_epi8(xq, q));
            acc = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(pkv_rd16(b)) * x->d[i]), _mm256_cvtepi32_ps(s), acc);
        }
        y[r] = hsum8(acc);
    }
}

#pragma clang attribute pop

void pkv_fill_rows8_avx2(pkv_rows8_fn t[PKV_TYPE_SLOTS]) {
    for (int i = 0; i < PKV_TYPE_SLOTS; i++) t[i] = 0;
    t[SLOT_Q4_0] = rows8_q4_0; t[SLOT_Q4_1] = rows8_q4_1; t[SLOT_Q8_0] = rows8_q8_0;
}
#else
void pkv_fill_rows8_avx2(pkv_rows8_fn t[PKV_TYPE_SLOTS]) { pkv_fill_rows8_scalar(t); }
#endif
