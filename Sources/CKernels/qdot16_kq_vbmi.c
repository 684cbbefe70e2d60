// AVX-512 VBMI fp32 products on 16-row packed groups of Q4_K and Q6_K, bit-identical to
// qdot16_kq_body.h's. vpermb turns four 16-byte payload slices into one dword per row, so one
// shuffle feeds 8 (Q4_K) or 4 (Q6_K) weights per lane. A weight is then taken out in place by a
// mask: the integer q·2^s converts exactly, and it meets x·2^-s (x pre-scaled once per call), so
// every fma sees the same real product as q·x and rounds to the same bits, in the same order as
// the portable body. This saves the per-byte widening and shifts that bound those kernels on
// the ALU ports (Q6_K: ~7.5 → ~4.75 vector ops per 16 weights; Q4_K: 3.5 → ~3.1).
#include "qdot_internal.h"
#include <stdlib.h>
#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512vbmi,fma,f16c"))), apply_to = function)
#define KQ_NAME(x) x##_vbmi
#include "qdot16_kq_vec512.h"
#include "qdot16_kq_scales.h"
#include "qdot16_slices4_vbmi.h"

// c ? a : b, bit by bit.
#define VBMI_SELECT(c, a, b) _mm512_ternarylogic_epi32(a, b, c, 0xE4)

// x · 2^-shift(e) for every element (exact: powers of two, far from fp32's range ends for
// activations), into a 64-byte aligned buffer the caller frees when it is not `stack`.
typedef int (*vbmi_shift_fn)(int64_t e);
static float *vbmi_prescale(const float *x, int64_t n, vbmi_shift_fn shift, float *stack, int64_t stack_floats) {
    float *xp = n <= stack_floats ? stack : aligned_alloc(64, (size_t)(n * 4 + 63) / 64 * 64);
    if (!xp) return NULL;
    float pattern[64] __attribute__((aligned(64)));
    for (int e = 0; e < 64; e++) pattern[e] = 1.0f / (float)(1u << shift(e));
    for (int64_t e = 0; e < n; e += 64)
        for (int k = 0; k < 64; k += 16)
            _mm512_storeu_ps(xp + e + k, _mm512_mul_ps(_mm512_loadu_ps(x + e + k), _mm512_load_ps(pattern + k)));
    return xp;
}

// Q4_K: slice l's low nibble is element 64c + l, its high nibble 64c + 32 + l (qdot16_kq_body.h);
// in a dword of slices l…l+3, slice j's nibbles sit at bits 8j and 8j + 4.
static int q4_k_shift(int64_t e) { return (int)(8 * (e % 4) + 4 * ((e / 32) % 2)); }
// Q6_K: quarter offsets are multiples of 4, so element e comes from slice byte e % 4 of its dword.
static int q6_k_shift(int64_t e) { return (int)(8 * (e % 4)); }

// 32 KiB of stack at most (Dispatch threads have 512 KiB); wider products take the heap.
#define VBMI_STACK_FLOATS 8192

static void groups_q4_k_vbmi(const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y,
                             int64_t groups) {
    float stack[VBMI_STACK_FLOATS] __attribute__((aligned(64)));
    float *xp = vbmi_prescale(x, n, q4_k_shift, stack, VBMI_STACK_FLOATS);
    if (!xp) abort();
    const int64_t block = PKV_PACK_ROWS * (140 + 4);
    for (int64_t G = 0; G < groups; G++, g += PKV_PACK_ROWS * rb) {
        const uint8_t *b = g;
        __m512 acc = _mm512_setzero_ps(), mins = _mm512_setzero_ps();
        for (int64_t i = 0; i < n / 256; i++, b += block) {
            pkv_prefetch_ahead(b, block);
            const __m512 d = KQ_F16(b + 16 * 140), dmin = KQ_F16(b + 16 * 140 + 32);
            __m512i sc[8], mn[8];
            scales_k4_vbmi(b, 0, sc, mn);
            const float *xb = xp + 256 * i, *sb = xs + 8 * i;
            for (int c = 0; c < 4; c++) {
                const float *xl = xb + 64 * c, *xh = xl + 32;
                __m512 lo0 = _mm512_setzero_ps(), lo1 = lo0, hi0 = lo0, hi1 = lo0;
                for (int l = 0; l < 32; l += 4) {
                    const __m512i w = PKV_SLICES4(b, 12 + 32 * c + l);
                    // Slices l, l+1, l+2, l+3 in the portable body's accumulator order.
#define Q4K_STEP(j, LO, HI)                                                                                     \
    LO = _mm512_fmadd_ps(_mm512_cvtepu32_ps(_mm512_and_si512(w, _mm512_set1_epi32(0x0F << (8 * j)))),         \
                         _mm512_set1_ps(xl[l + j]), LO);                                                       \
    HI = _mm512_fmadd_ps(_mm512_cvtepu32_ps(_mm512_and_si512(w, _mm512_set1_epi32((int)(0xF0u << (8 * j))))), \
                         _mm512_set1_ps(xh[l + j]), HI);
                    Q4K_STEP(0, lo0, hi0)
                    Q4K_STEP(1, lo1, hi1)
                    Q4K_STEP(2, lo0, hi0)
                    Q4K_STEP(3, lo1, hi1)
#undef Q4K_STEP
                }
                acc = _mm512_fmadd_ps(_mm512_mul_ps(d, _mm512_cvtepi32_ps(sc[2 * c])), _mm512_add_ps(lo0, lo1), acc);
                acc = _mm512_fmadd_ps(_mm512_mul_ps(d, _mm512_cvtepi32_ps(sc[2 * c + 1])), _mm512_add_ps(hi0, hi1), acc);
                mins = _mm512_fmadd_ps(_mm512_mul_ps(dmin, _mm512_cvtepi32_ps(mn[2 * c])), _mm512_set1_ps(sb[2 * c]), mins);
                mins = _mm512_fmadd_ps(_mm512_mul_ps(dmin, _mm512_cvtepi32_ps(mn[2 * c + 1])), _mm512_set1_ps(sb[2 * c + 1]),
                                       mins);
            }
        }
        _mm512_storeu_ps(y + PKV_PACK_ROWS * G, _mm512_sub_ps(acc, mins));
    }
    if (xp != stack) free(xp);
}

static void groups_q6_k_vbmi(const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y,
                             int64_t groups) {
    (void)xs;
    float stack[VBMI_STACK_FLOATS] __attribute__((aligned(64)));
    float *xp = vbmi_prescale(x, n, q6_k_shift, stack, VBMI_STACK_FLOATS);
    if (!xp) abort();
    const int64_t block = PKV_PACK_ROWS * 210;
    const __m512i nibbles = _mm512_set1_epi32(0x0F0F0F0F);
    for (int64_t G = 0; G < groups; G++, g += PKV_PACK_ROWS * rb) {
        const uint8_t *b = g;
        __m512 acc = _mm512_setzero_ps();
        for (int64_t i = 0; i < n / 256; i++, b += block) {
            pkv_prefetch_ahead(b, block);
            const __m512 d = KQ_F16(b + 16 * 208);
            for (int t = 0; t < 2; t++) {
                const float *xt = xp + 256 * i + 128 * t;
                for (int half = 0; half < 2; half++) {
                    __m512 a1 = _mm512_setzero_ps(), a2 = a1, a3 = a1, a4 = a1;
                    for (int l = 16 * half; l < 16 * half + 16; l += 4) {
                        const __m512i A = PKV_SLICES4(b, 64 * t + l), C = PKV_SLICES4(b, 64 * t + l + 32);
                        const __m512i H = PKV_SLICES4(b, 128 + 32 * t + l);
                        // Byte j of each: the weight's low nibble, then the two high bits at bits 4–5.
                        const __m512i q1 = VBMI_SELECT(nibbles, A, _mm512_slli_epi32(H, 4));
                        const __m512i q2 = VBMI_SELECT(nibbles, C, _mm512_slli_epi32(H, 2));
                        const __m512i q3 = VBMI_SELECT(nibbles, _mm512_srli_epi32(A, 4), H);
                        const __m512i q4 = VBMI_SELECT(nibbles, _mm512_srli_epi32(C, 4), _mm512_srli_epi32(H, 2));
#define Q6K_TERM(q, j) \
    _mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_and_si512(q, _mm512_set1_epi32(0x3F << (8 * j))), _mm512_set1_epi32(32 << (8 * j))))
#define Q6K_STEP(j)                                                                   \
    a1 = _mm512_fmadd_ps(Q6K_TERM(q1, j), _mm512_set1_ps(xt[l + j]), a1);           \
    a2 = _mm512_fmadd_ps(Q6K_TERM(q2, j), _mm512_set1_ps(xt[l + j + 32]), a2);      \
    a3 = _mm512_fmadd_ps(Q6K_TERM(q3, j), _mm512_set1_ps(xt[l + j + 64]), a3);      \
    a4 = _mm512_fmadd_ps(Q6K_TERM(q4, j), _mm512_set1_ps(xt[l + j + 96]), a4);
                        Q6K_STEP(0)
                        Q6K_STEP(1)
                        Q6K_STEP(2)
                        Q6K_STEP(3)
#undef Q6K_STEP
#undef Q6K_TERM
                    }
                    const int s0 = 192 + 8 * t + half;
                    acc = _mm512_fmadd_ps(_mm512_mul_ps(d, _mm512_cvtepi32_ps(KQ_S8(KQ_SLICE(b, s0, 0)))), a1, acc);
                    acc = _mm512_fmadd_ps(_mm512_mul_ps(d, _mm512_cvtepi32_ps(KQ_S8(KQ_SLICE(b, s0 + 2, 0)))), a2, acc);
                    acc = _mm512_fmadd_ps(_mm512_mul_ps(d, _mm512_cvtepi32_ps(KQ_S8(KQ_SLICE(b, s0 + 4, 0)))), a3, acc);
                    acc = _mm512_fmadd_ps(_mm512_mul_ps(d, _mm512_cvtepi32_ps(KQ_S8(KQ_SLICE(b, s0 + 6, 0)))), a4, acc);
                }
            }
        }
        _mm512_storeu_ps(y + PKV_PACK_ROWS * G, acc);
    }
    if (xp != stack) free(xp);
}
#pragma clang attribute pop

void pkv_fill_groups_kq_vbmi(pkv_groups_fn t[PKV_TYPE_SLOTS]) {
    t[SLOT_Q4_K] = groups_q4_k_vbmi;
    t[SLOT_Q6_K] = groups_q6_k_vbmi;
}
#else
void pkv_fill_groups_kq_vbmi(pkv_groups_fn t[PKV_TYPE_SLOTS]) { (void)t; }
#endif
