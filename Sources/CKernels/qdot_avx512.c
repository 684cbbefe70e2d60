// AVX-512 row-dot kernels: each block is widened to fp32 in registers (no int8 activations),
// so results match dequantize-then-multiply up to summation order.
#include "qdot_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,fma,f16c"))), apply_to = function)

static inline float h2f(const uint8_t *p) { return _cvtsh_ss(pkv_rd16(p)); }

static float dot_f32(const float *a, const float *b, int64_t n) {
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
        acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), acc1);
    }
    for (; i + 16 <= n; i += 16) acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
    float s = _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
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
        __m512 acc = _mm512_setzero_ps();
        int64_t i = 0;
        for (; i + 16 <= n; i += 16)
            acc = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(p + 2 * i))), _mm512_loadu_ps(x + i), acc);
        float s = _mm512_reduce_add_ps(acc);
        for (; i < n; i++) s += h2f(p + 2 * i) * x[i];
        y[r] = s;
    }
}

static void rows_bf16(const uint8_t *w, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t rows) {
    (void)xs;
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *p = w + r * rb;
        __m512 acc = _mm512_setzero_ps();
        int64_t i = 0;
        for (; i + 16 <= n; i += 16) {
            __m512i h = _mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(p + 2 * i))), 16);
            acc = _mm512_fmadd_ps(_mm512_castsi512_ps(h), _mm512_loadu_ps(x + i), acc);
        }
        float s = _mm512_reduce_add_ps(acc);
        for (; i < n; i++) {
            union { uint32_t u; float f; } v = { .u = (uint32_t)pkv_rd16(p + 2 * i) << 16 };
            s += v.f * x[i];
        }
        y[r] = s;
    }
}

// Low nibbles are elements 0..15 of a block, high nibbles 16..31 (ggml's layout).
static void rows_q4_0(const uint8_t *w, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t rows) {
    (void)xs;
    const __m512i mask = _mm512_set1_epi32(0x0f), eight = _mm512_set1_epi32(8);
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *b = w + r * rb;
        __m512 acc = _mm512_setzero_ps();
        for (int64_t i = 0; i < n / 32; i++, b += 18) {
            __m512i q = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(b + 2)));
            __m512 lo = _mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_and_si512(q, mask), eight));
            __m512 hi = _mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_srli_epi32(q, 4), eight));
            __m512 s = _mm512_mul_ps(lo, _mm512_loadu_ps(x + 32 * i));
            s = _mm512_fmadd_ps(hi, _mm512_loadu_ps(x + 32 * i + 16), s);
            acc = _mm512_fmadd_ps(_mm512_set1_ps(h2f(b)), s, acc);
        }
        y[r] = _mm512_reduce_add_ps(acc);
    }
}

// One Q4_1 block: the (d, m) pair converted with one instruction; the min term accumulates apart.
static inline __m512 q4_1_block(const uint8_t *b, __m512 x0, __m512 x1, __m512i mask, __m512 acc, float *mins, float xsum) {
    __m512i q = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(b + 4)));
    __m512 s = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_and_si512(q, mask)), x0);
    s = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_srli_epi32(q, 4)), x1, s);
    int32_t dm_bits;
    __builtin_memcpy(&dm_bits, b, 4);
    __m128 dm = _mm_cvtph_ps(_mm_cvtsi32_si128(dm_bits));
    *mins += _mm_cvtss_f32(_mm_movehdup_ps(dm)) * xsum;
    return _mm512_fmadd_ps(_mm512_broadcastss_ps(dm), s, acc);
}

// Two rows per pass: x is loaded once for both and the two accumulation chains overlap.
static void rows_q4_1(const uint8_t *w, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t rows) {
    const __m512i mask = _mm512_set1_epi32(0x0f);
    int64_t r = 0;
    for (; r + 2 <= rows; r += 2) {
        const uint8_t *b0 = w + r * rb, *b1 = b0 + rb;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
        float m0 = 0.0f, m1 = 0.0f;
        for (int64_t i = 0; i < n / 32; i++, b0 += 20, b1 += 20) {
            __m512 x0 = _mm512_loadu_ps(x + 32 * i), x1 = _mm512_loadu_ps(x + 32 * i + 16);
            a0 = q4_1_block(b0, x0, x1, mask, a0, &m0, xs[i]);
            a1 = q4_1_block(b1, x0, x1, mask, a1, &m1, xs[i]);
        }
        y[r] = _mm512_reduce_add_ps(a0) + m0;
        y[r + 1] = _mm512_reduce_add_ps(a1) + m1;
    }
    for (; r < rows; r++) {
        const uint8_t *b0 = w + r * rb;
        __m512 a0 = _mm512_setzero_ps();
        float m0 = 0.0f;
        for (int64_t i = 0; i < n / 32; i++, b0 += 20)
            a0 = q4_1_block(b0, _mm512_loadu_ps(x + 32 * i), _mm512_loadu_ps(x + 32 * i + 16), mask, a0, &m0, xs[i]);
        y[r] = _mm512_reduce_add_ps(a0) + m0;
    }
}

static void rows_q8_0(const uint8_t *w, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t rows) {
    (void)xs;
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *b = w + r * rb;
        __m512 acc = _mm512_setzero_ps();
        for (int64_t i = 0; i < n / 32; i++, b += 34) {
            __m512 q0 = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(b + 2))));
            __m512 q1 = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(b + 18))));
            __m512 s = _mm512_mul_ps(q0, _mm512_loadu_ps(x + 32 * i));
            s = _mm512_fmadd_ps(q1, _mm512_loadu_ps(x + 32 * i + 16), s);
            acc = _mm512_fmadd_ps(_mm512_set1_ps(h2f(b)), s, acc);
        }
        y[r] = _mm512_reduce_add_ps(acc);
    }
}

PKV_BLOCK_ROWS_ALL(dot_f32)

#pragma clang attribute pop

void pkv_fill_rows_avx512(pkv_rows_fn t[PKV_TYPE_SLOTS]) {
    t[SLOT_F32] = rows_f32; t[SLOT_F16] = rows_f16; t[SLOT_BF16] = rows_bf16;
    t[SLOT_Q4_0] = rows_q4_0; t[SLOT_Q4_1] = rows_q4_1; t[SLOT_Q8_0] = rows_q8_0;
    PKV_BLOCK_ROWS_FILL(t);
}
#else
void pkv_fill_rows_avx512(pkv_rows_fn t[PKV_TYPE_SLOTS]) { pkv_fill_rows_scalar(t); }
#endif
