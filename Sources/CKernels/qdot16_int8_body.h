// int8-activation products on 16-row packed groups (qpack.c) of Q5_0, Q5_1, Q4_K, Q5_K and Q6_K,
// shared by the AVX512-VNNI and AVX2 files. A file includes this inside its own target attribute
// after `#pragma clang fp reassociate(off)` (at file scope, before <immintrin.h>: the package
// compiles kernels with -fassociative-math, and a row's product must be the same bits whether it
// was taken alone, in decode, or among 4 rows, in prefill), KQ_NAME, the vector words (qdot16_kq_vec512.h / qdot16_kq_vec256.h) and:
//   I8_T4(b, k, h)      payload slices k … k+3 as one dword per row: byte j of lane r is byte
//                       k + j of row h + r (a 4 × lanes byte transpose);
//   I8_DOT(acc, u, p)   acc + Σ_4 (unsigned bytes of u) × (the 4 signed bytes at p), per lane;
//   I8_SPREAD4(v)       bits 0–3 of each lane moved to bit 4 of its bytes 0–3.
// The integers are qdot16_int8_scalar.c's: a sub-block's quants (offset to be unsigned) meet x's
// int8 quants in exact integer dots, the offset comes off through x's quant sums, and each
// sub-block's sum is scaled once in fp32. Activation rows are taken 4 at a time, so each
// weight transpose serves several rows (prefill); decode is one row.
#define I8_INLINE static inline __attribute__((always_inline))

#include "qdot16_kq_scales.h"

// One activation row's quantized views.
typedef struct {
    const int8_t *q;
    const float *d, *dqsum;
    const int32_t *qsum, *qsum16;
} KQ_NAME(xrow);

I8_INLINE KQ_NAME(xrow) KQ_NAME(row_of)(const pkv_xq8 *x, int64_t n, int64_t t) {
    const int64_t nb = n / 32;
    return (KQ_NAME(xrow)){ x->q + t * n, x->d + t * nb, x->dqsum + t * nb, x->qsum + t * nb, x->qsum16 + 2 * t * nb };
}

// Activation rows t0 … t0 + R − 1: their views, and zeroed accumulators; and their products stored.
I8_INLINE void KQ_NAME(rows_begin)(int R, const pkv_xq8 *x, int64_t n, int64_t t0, KQ_NAME(xrow) xr[4], kq_vf acc[4]) {
    for (int r = 0; r < R; r++) {
        xr[r] = KQ_NAME(row_of)(x, n, t0 + r);
        acc[r] = KQ_ZERO();
    }
}

I8_INLINE void KQ_NAME(rows_end)(int R, const kq_vf acc[4], float *y, int64_t t0, int64_t ldy, int h) {
    for (int r = 0; r < R; r++) KQ_STORE(y + (t0 + r) * ldy + h, acc[r]);
}

// Q4_K and Q5_K: chunk c's 32 payload bytes hold sub-blocks 2c (low nibbles) and 2c + 1 (high);
// Q5_K's fifth bits are qh[l]'s bits 2c and 2c + 1. Min terms meet x's quantized block sums d·Σq.
I8_INLINE void KQ_NAME(k45_rows)(int five, int R, const uint8_t *g, int64_t rb, int64_t n, const pkv_xq8 *x,
                                 int64_t t0, float *y, int64_t ldy, int h) {
    (void)rb;
    const int64_t payload = five ? 172 : 140, block = PKV_PACK_ROWS * (payload + 4), qs_at = five ? 44 : 12;
    const kq_vi m0f = KQ_I(0x0f0f0f0f), m10 = KQ_I(0x10101010);
    KQ_NAME(xrow) xr[4];
    kq_vf acc[4];
    KQ_NAME(rows_begin)(R, x, n, t0, xr, acc);
    const uint8_t *b = g;
    for (int64_t i = 0; i < n / 256; i++, b += block) {
        if (h == 0) pkv_prefetch_ahead(b, block);
        const kq_vf d = KQ_F16(b + 16 * payload + 2 * h), dmin = KQ_F16(b + 16 * payload + 32 + 2 * h);
        kq_vi sc[8], mn[8];
        KQ_NAME(scales_k4)(b, h, sc, mn);
        for (int c = 0; c < 4; c++) {
            kq_vi lo_acc[4], hi_acc[4];
            for (int r = 0; r < R; r++) lo_acc[r] = hi_acc[r] = KQ_ZEROI();
            for (int u = 0; u < 8; u++) {
                const kq_vi q = I8_T4(b, qs_at + 32 * c + 4 * u, h);
                kq_vi lo = KQ_AND(q, m0f), hi = KQ_AND(KQ_SRL(q, 4), m0f);
                if (five) {
                    const kq_vi qh = I8_T4(b, 12 + 4 * u, h);
                    lo = KQ_OR(lo, KQ_AND(KQ_SLL(KQ_SRL(qh, 2 * c), 4), m10));
                    hi = KQ_OR(hi, KQ_AND(KQ_SLL(KQ_SRL(qh, 2 * c + 1), 4), m10));
                }
                const int64_t e = 256 * i + 64 * c + 4 * u;
                for (int r = 0; r < R; r++) {
                    lo_acc[r] = I8_DOT(lo_acc[r], lo, xr[r].q + e);
                    hi_acc[r] = I8_DOT(hi_acc[r], hi, xr[r].q + e + 32);
                }
            }
            const kq_vf s_lo = KQ_MUL(d, KQ_CVT(sc[2 * c])), s_hi = KQ_MUL(d, KQ_CVT(sc[2 * c + 1]));
            const kq_vf m_lo = KQ_MUL(dmin, KQ_CVT(mn[2 * c])), m_hi = KQ_MUL(dmin, KQ_CVT(mn[2 * c + 1]));
            const int64_t xb = 8 * i + 2 * c;
            for (int r = 0; r < R; r++) {
                acc[r] = KQ_FMA(KQ_CVT(lo_acc[r]), KQ_MUL(s_lo, KQ_BF(xr[r].d + xb)), acc[r]);
                acc[r] = KQ_FMA(KQ_CVT(hi_acc[r]), KQ_MUL(s_hi, KQ_BF(xr[r].d + xb + 1)), acc[r]);
                acc[r] = KQ_SUB(acc[r], KQ_ADD(KQ_MUL(m_lo, KQ_BF(xr[r].dqsum + xb)), KQ_MUL(m_hi, KQ_BF(xr[r].dqsum + xb + 1))));
            }
        }
    }
    KQ_NAME(rows_end)(R, acc, y, t0, ldy, h);
}

// Q6_K: half t, byte l: ql[64t + l] and ql[64t + 32 + l] give low nibbles of elements l, l + 32
// and (high nibbles) l + 64, l + 96; qh[32t + l]'s bit pairs their two high bits; quants are
// offset by 32, taken off through x's 16-element quant sums. 16-element sub-blocks.
I8_INLINE void KQ_NAME(q6k_rows)(int R, const uint8_t *g, int64_t rb, int64_t n, const pkv_xq8 *x, int64_t t0, float *y,
                                 int64_t ldy, int h) {
    (void)rb;
    const int64_t block = PKV_PACK_ROWS * 210;
    const kq_vi m0f = KQ_I(0x0f0f0f0f), m30 = KQ_I(0x30303030);
    KQ_NAME(xrow) xr[4];
    kq_vf acc[4];
    KQ_NAME(rows_begin)(R, x, n, t0, xr, acc);
    const uint8_t *b = g;
    for (int64_t i = 0; i < n / 256; i++, b += block) {
        if (h == 0) pkv_prefetch_ahead(b, block);
        const kq_vf d = KQ_F16(b + 16 * 208 + 2 * h);
        for (int t = 0; t < 2; t++)
            for (int part = 0; part < 2; part++) {
                kq_vi s[4][4];
                for (int r = 0; r < R; r++)
                    for (int k = 0; k < 4; k++) s[r][k] = KQ_ZEROI();
                for (int u = 0; u < 4; u++) {
                    const int l = 16 * part + 4 * u;
                    const kq_vi A = I8_T4(b, 64 * t + l, h), C = I8_T4(b, 64 * t + 32 + l, h), H = I8_T4(b, 128 + 32 * t + l, h);
                    const kq_vi q1 = KQ_OR(KQ_AND(A, m0f), KQ_AND(KQ_SLL(H, 4), m30));
                    const kq_vi q2 = KQ_OR(KQ_AND(C, m0f), KQ_AND(KQ_SLL(H, 2), m30));
                    const kq_vi q3 = KQ_OR(KQ_AND(KQ_SRL(A, 4), m0f), KQ_AND(H, m30));
                    const kq_vi q4 = KQ_OR(KQ_AND(KQ_SRL(C, 4), m0f), KQ_AND(KQ_SRL(H, 2), m30));
                    const int64_t e = 256 * i + 128 * t + l;
                    for (int r = 0; r < R; r++) {
                        s[r][0] = I8_DOT(s[r][0], q1, xr[r].q + e);
                        s[r][1] = I8_DOT(s[r][1], q2, xr[r].q + e + 32);
                        s[r][2] = I8_DOT(s[r][2], q3, xr[r].q + e + 64);
                        s[r][3] = I8_DOT(s[r][3], q4, xr[r].q + e + 96);
                    }
                }
                for (int k = 0; k < 4; k++) {
                    const kq_vf scale = KQ_MUL(d, KQ_CVT(KQ_S8(KQ_SLICE(b, 192 + 8 * t + part + 2 * k, h))));
                    const int64_t e = 256 * i + 128 * t + 16 * part + 32 * k;  // the sub-block's first element
                    for (int r = 0; r < R; r++) {
                        const kq_vi dot = KQ_SUBI(s[r][k], KQ_I(32 * xr[r].qsum16[e / 16]));
                        acc[r] = KQ_FMA(KQ_CVT(dot), KQ_MUL(scale, KQ_BF(xr[r].d + e / 32)), acc[r]);
                    }
                }
            }
    }
    KQ_NAME(rows_end)(R, acc, y, t0, ldy, h);
}

// Q5_0 and Q5_1: the 32-bit qh (payload slices 0–3) gives each element its fifth bit; Q5_0's
// quants are offset by 16, taken off through x's block quant sum; Q5_1's min meets x's quantized block sum.
I8_INLINE void KQ_NAME(q5_rows)(int with_min, int R, const uint8_t *g, int64_t rb, int64_t n, const pkv_xq8 *x,
                                int64_t t0, float *y, int64_t ldy, int h) {
    (void)rb;
    const int64_t block = PKV_PACK_ROWS * (with_min ? 24 : 22);
    const kq_vi m0f = KQ_I(0x0f0f0f0f);
    KQ_NAME(xrow) xr[4];
    kq_vf acc[4];
    KQ_NAME(rows_begin)(R, x, n, t0, xr, acc);
    const uint8_t *b = g;
    for (int64_t i = 0; i < n / 32; i++, b += block) {
        if (h == 0) pkv_prefetch_ahead(b, block);
        const kq_vi qh = I8_T4(b, 0, h);
        kq_vi s[4];
        for (int r = 0; r < R; r++) s[r] = KQ_ZEROI();
        for (int u = 0; u < 4; u++) {
            const kq_vi q = I8_T4(b, 4 + 4 * u, h);
            const kq_vi lo = KQ_OR(KQ_AND(q, m0f), I8_SPREAD4(KQ_SRL(qh, 4 * u)));
            const kq_vi hi = KQ_OR(KQ_AND(KQ_SRL(q, 4), m0f), I8_SPREAD4(KQ_SRL(qh, 16 + 4 * u)));
            for (int r = 0; r < R; r++) {
                s[r] = I8_DOT(s[r], lo, xr[r].q + 32 * i + 4 * u);
                s[r] = I8_DOT(s[r], hi, xr[r].q + 32 * i + 16 + 4 * u);
            }
        }
        const kq_vf d = KQ_F16(b + 16 * 20 + 2 * h);
        for (int r = 0; r < R; r++) {
            const kq_vi dot = with_min ? s[r] : KQ_SUBI(s[r], KQ_I(16 * xr[r].qsum[i]));
            acc[r] = KQ_FMA(KQ_CVT(dot), KQ_MUL(d, KQ_BF(xr[r].d + i)), acc[r]);
            if (with_min) acc[r] = KQ_FMA(KQ_F16(b + 16 * 20 + 32 + 2 * h), KQ_BF(xr[r].dqsum + i), acc[r]);
        }
    }
    KQ_NAME(rows_end)(R, acc, y, t0, ldy, h);
}

// Every group, every lane half, activation rows 4 at a time, then the rest one by one.
#define I8_GROUPS(NAME, CALL)                                                                                  \
    static void NAME(const uint8_t *g, int64_t rb, int64_t n, const pkv_xq8 *x, int64_t rows_x, float *y,     \
                     int64_t ldy, int64_t groups) {                                                           \
        for (int64_t G = 0; G < groups; G++, g += PKV_PACK_ROWS * rb, y += PKV_PACK_ROWS)                     \
            for (int h = 0; h < PKV_PACK_ROWS; h += KQ_LANES) {                                               \
                int64_t t = 0;                                                                                \
                for (; t + 4 <= rows_x; t += 4) CALL(4);                                                      \
                for (; t < rows_x; t++) CALL(1);                                                              \
            }                                                                                                 \
    }
#define I8_K4(R) KQ_NAME(k45_rows)(0, R, g, rb, n, x, t, y, ldy, h)
#define I8_K5(R) KQ_NAME(k45_rows)(1, R, g, rb, n, x, t, y, ldy, h)
#define I8_K6(R) KQ_NAME(q6k_rows)(R, g, rb, n, x, t, y, ldy, h)
#define I8_Q50(R) KQ_NAME(q5_rows)(0, R, g, rb, n, x, t, y, ldy, h)
#define I8_Q51(R) KQ_NAME(q5_rows)(1, R, g, rb, n, x, t, y, ldy, h)
I8_GROUPS(KQ_NAME(groups8_q4_k), I8_K4)
I8_GROUPS(KQ_NAME(groups8_q5_k), I8_K5)
I8_GROUPS(KQ_NAME(groups8_q6_k), I8_K6)
I8_GROUPS(KQ_NAME(groups8_q5_0), I8_Q50)
I8_GROUPS(KQ_NAME(groups8_q5_1), I8_Q51)

static void KQ_NAME(fill8)(pkv_groups8_fn t[PKV_TYPE_SLOTS]) {
    for (int i = 0; i < PKV_TYPE_SLOTS; i++) t[i] = 0;
    t[SLOT_Q5_0] = KQ_NAME(groups8_q5_0); t[SLOT_Q5_1] = KQ_NAME(groups8_q5_1);
    t[SLOT_Q4_K] = KQ_NAME(groups8_q4_k); t[SLOT_Q5_K] = KQ_NAME(groups8_q5_k); t[SLOT_Q6_K] = KQ_NAME(groups8_q6_k);
}
