// AVX2+FMA row-dot kernels (AMD EPYC and older Intel hosts): as the AVX-512 ones, 8 lanes wide.
#include "qdot_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)

static inline float h2f(const uint8_t *p) { return _cvtsh_ss(pkv_rd16(p)); }

static inline float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

static float dot_f32(const float *a, const float *b, int64_t n) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
    }
    for (; i + 8 <= n; i += 8) acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    float s = hsum(_mm256_add_ps(acc0, acc1));
    for (; i < n; i++) s += a[i] * b[i];
    return s;
}

static void rows_f32(const uint8_t *w, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t rows) {
    (void)xs;
    for (int64_t r = 0; r < rows; r++) y[r] = dot_f32((const float *)(w + r * rb), x, n);
}

static void rows_f16(const uint8_t *w, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t rows) {
    (void)xs;
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *p = w + r * rb;
        __m256 acc = _mm256_setzero_ps();
        int64_t i = 0;
        for (; i + 8 <= n; i += 8)
            acc = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p + 2 * i))), _mm256_loadu_ps(x + i), acc);
        float s = hsum(acc);
        for (; i < n; i++) s += h2f(p + 2 * i) * x[i];
        y[r] = s;
    }
}

static void rows_bf16(const uint8_t *w, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t rows) {
    (void)xs;
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *p = w + r * rb;
        __m256 acc = _mm256_setzero_ps();
        int64_t i = 0;
        for (; i + 8 <= n; i += 8) {
            __m256i h = _mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(p + 2 * i))), 16);
            acc = _mm256_fmadd_ps(_mm256_castsi256_ps(h), _mm256_loadu_ps(x + i), acc);
        }
        float s = hsum(acc);
        for (; i < n; i++) {
            union { uint32_t u; float f; } v = { .u = (uint32_t)pkv_rd16(p + 2 * i) << 16 };
            s += v.f * x[i];
        }
        y[r] = s;
    }
}

// Nibble blocks: bytes 0..7 and 8..15 widened separately; low nibbles are elements 0..15.
#define NIBBLE_DOT(QS, XB, OFFSET)                                                               \
    ({                                                                                           \
        __m256i a = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(QS)));                \
        __m256i c = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)((QS) + 8)));          \
        __m256 s = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_and_si256(a, mask), OFFSET)), _mm256_loadu_ps(XB)); \
        s = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_and_si256(c, mask), OFFSET)), _mm256_loadu_ps((XB) + 8), s); \
        s = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_srli_epi32(a, 4), OFFSET)), _mm256_loadu_ps((XB) + 16), s); \
        s = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_srli_epi32(c, 4), OFFSET)), _mm256_loadu_ps((XB) + 24), s); \
        s;                                                                                       \
    })

static void rows_q4_0(const uint8_t *w, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t rows) {
    (void)xs;
    const __m256i mask = _mm256_set1_epi32(0x0f), eight = _mm256_set1_epi32(8);
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *b = w + r * rb;
        __m256 acc = _mm256_setzero_ps();
        for (int64_t i = 0; i < n / 32; i++, b += 18)
            acc = _mm256_fmadd_ps(_mm256_set1_ps(h2f(b)), NIBBLE_DOT(b + 2, x + 32 * i, eight), acc);
        y[r] = hsum(acc);
    }
}

static void rows_q4_1(const uint8_t *w, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t rows) {
    const __m256i mask = _mm256_set1_epi32(0x0f), zero = _mm256_setzero_si256();
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *b = w + r * rb;
        __m256 acc = _mm256_setzero_ps();
        float mins = 0.0f;
        for (int64_t i = 0; i < n / 32; i++, b += 20) {
            acc = _mm256_fmadd_ps(_mm256_set1_ps(h2f(b)), NIBBLE_DOT(b + 4, x + 32 * i, zero), acc);
            mins += h2f(b + 2) * xs[i];
        }
        y[r] = hsum(acc) + mins;
    }
}

static void rows_q8_0(const uint8_t *w, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t rows) {
    (void)xs;
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *b = w + r * rb;
        __m256 acc = _mm256_setzero_ps();
        for (int64_t i = 0; i < n / 32; i++, b += 34) {
            const float *xb = x + 32 * i;
            __m256 s = _mm256_setzero_ps();
            for (int k = 0; k < 4; k++) {
                __m256 q = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(b + 2 + 8 * k))));
                s = _mm256_fmadd_ps(q, _mm256_loadu_ps(xb + 8 * k), s);
            }
            acc = _mm256_fmadd_ps(_mm256_set1_ps(h2f(b)), s, acc);
        }
        y[r] = hsum(acc);
    }
}

PKV_BLOCK_ROWS_ALL(dot_f32)

#pragma clang attribute pop

void pkv_fill_rows_avx2(pkv_rows_fn t[PKV_TYPE_SLOTS]) {
    t[SLOT_F32] = rows_f32; t[SLOT_F16] = rows_f16; t[SLOT_BF16] = rows_bf16;
    t[SLOT_Q4_0] = rows_q4_0; t[SLOT_Q4_1] = rows_q4_1; t[SLOT_Q8_0] = rows_q8_0;
    PKV_BLOCK_ROWS_FILL(t);
}
#else
void pkv_fill_rows_avx2(pkv_rows_fn t[PKV_TYPE_SLOTS]) { pkv_fill_rows_scalar(t); }
#endif
