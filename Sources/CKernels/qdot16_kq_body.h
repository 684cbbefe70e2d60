// Products on 16-row packed groups (qpack.c) of Q5_0, Q5_1, Q4_K, Q5_K and Q6_K, shared by the
// AVX-512 and AVX2 files: lane r accumulates row r in fp32, each payload byte slice widening to
// 32-bit lanes and meeting a broadcast activation. A file includes this inside its own target
// attribute after defining the vector words below for KQ_LANES lanes (16 or 8; with 8, each
// group runs as two halves, the second reading bytes the first left in L1):
//   KQ_NAME(x) suffix; kq_vi / kq_vf integer / float vectors; KQ_U8, KQ_S8 (KQ_LANES bytes
//   zero- / sign-extended), KQ_F16 (KQ_LANES halves); KQ_I (broadcast int), KQ_AND, KQ_OR,
//   KQ_SRL, KQ_SLL, KQ_SUBI; KQ_CVT; KQ_FMA, KQ_ADD, KQ_SUB, KQ_MUL, KQ_BF (broadcast a float
//   from memory), KQ_F (broadcast a constant), KQ_ZERO, KQ_STORE.
// The sub-block scales are unpacked in registers, one lane per row, so the packed bytes are the
// GGUF bytes; the min and offset terms use x's 32-element sums (xs), as Q4_1's kernels do.

#include "qdot16_kq_scales.h"

// Q4_K and Q5_K (`five` = 1): payload = scales[12], (qh[32],) qs[128]; fields d, dmin. Chunk c of
// 64 elements: byte l's low nibble is element 64c + l (sub-block 2c), its high nibble element
// 64c + 32 + l (sub-block 2c + 1); Q5_K's fifth bits are qh[l]'s bits 2c and 2c + 1.
static inline __attribute__((always_inline)) void KQ_NAME(groups_k45)(int five, const uint8_t *g, int64_t rb, int64_t n,
                                                                        const float *x, const float *xs, float *y,
                                                                        int64_t groups) {
    const int64_t payload = five ? 172 : 140, block = PKV_PACK_ROWS * (payload + 4), qs_at = five ? 44 : 12;
    const kq_vi m15 = KQ_I(15), m16 = KQ_I(16);
    for (int64_t G = 0; G < groups; G++, g += PKV_PACK_ROWS * rb)
        for (int h = 0; h < PKV_PACK_ROWS; h += KQ_LANES) {
            const uint8_t *b = g;
            kq_vf acc = KQ_ZERO(), mins = KQ_ZERO();
            for (int64_t i = 0; i < n / 256; i++, b += block) {
                if (h == 0) pkv_prefetch_ahead(b, block);
                const kq_vf d = KQ_F16(b + 16 * payload + 2 * h), dmin = KQ_F16(b + 16 * payload + 32 + 2 * h);
                kq_vi sc[8], mn[8];
                KQ_NAME(scales_k4)(b, h, sc, mn);
                const float *xb = x + 256 * i, *sb = xs + 8 * i;
                for (int c = 0; c < 4; c++) {
                    const float *xl = xb + 64 * c, *xh = xl + 32;
                    kq_vf lo0 = KQ_ZERO(), lo1 = KQ_ZERO(), hi0 = KQ_ZERO(), hi1 = KQ_ZERO();
                    for (int l = 0; l < 32; l += 2) {
                        kq_vi q0 = KQ_U8(KQ_SLICE(b, qs_at + 32 * c + l, h)), q1 = KQ_U8(KQ_SLICE(b, qs_at + 32 * c + l + 1, h));
                        kq_vi a0 = KQ_AND(q0, m15), b0 = KQ_SRL(q0, 4), a1 = KQ_AND(q1, m15), b1 = KQ_SRL(q1, 4);
                        if (five) {
                            const kq_vi h0 = KQ_SLL(KQ_U8(KQ_SLICE(b, 12 + l, h)), 4), h1 = KQ_SLL(KQ_U8(KQ_SLICE(b, 12 + l + 1, h)), 4);
                            a0 = KQ_OR(a0, KQ_AND(KQ_SRL(h0, 2 * c), m16));
                            b0 = KQ_OR(b0, KQ_AND(KQ_SRL(h0, 2 * c + 1), m16));
                            a1 = KQ_OR(a1, KQ_AND(KQ_SRL(h1, 2 * c), m16));
                            b1 = KQ_OR(b1, KQ_AND(KQ_SRL(h1, 2 * c + 1), m16));
                        }
                        lo0 = KQ_FMA(KQ_CVT(a0), KQ_BF(xl + l), lo0);
                        hi0 = KQ_FMA(KQ_CVT(b0), KQ_BF(xh + l), hi0);
                        lo1 = KQ_FMA(KQ_CVT(a1), KQ_BF(xl + l + 1), lo1);
                        hi1 = KQ_FMA(KQ_CVT(b1), KQ_BF(xh + l + 1), hi1);
                    }
                    acc = KQ_FMA(KQ_MUL(d, KQ_CVT(sc[2 * c])), KQ_ADD(lo0, lo1), acc);
                    acc = KQ_FMA(KQ_MUL(d, KQ_CVT(sc[2 * c + 1])), KQ_ADD(hi0, hi1), acc);
                    mins = KQ_FMA(KQ_MUL(dmin, KQ_CVT(mn[2 * c])), KQ_BF(sb + 2 * c), mins);
                    mins = KQ_FMA(KQ_MUL(dmin, KQ_CVT(mn[2 * c + 1])), KQ_BF(sb + 2 * c + 1), mins);
                }
            }
            KQ_STORE(y + PKV_PACK_ROWS * G + h, KQ_SUB(acc, mins));
        }
}

static void KQ_NAME(groups_q4_k)(const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y,
                                 int64_t groups) {
    KQ_NAME(groups_k45)(0, g, rb, n, x, xs, y, groups);
}

static void KQ_NAME(groups_q5_k)(const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y,
                                 int64_t groups) {
    KQ_NAME(groups_k45)(1, g, rb, n, x, xs, y, groups);
}

// Q6_K: payload = ql[128], qh[64], scales[16] (int8); field d. Half t of 128 elements, byte l < 32:
// ql[64t + l] and ql[64t + l + 32] give the low nibbles of elements l, l + 32 (low) and l + 64,
// l + 96 (high); qh[32t + l]'s bit pairs 0–1, 2–3, 4–5, 6–7 their high bits; quants are offset
// by 32; elements l (< 16 or not) of each quarter share scale 8t + l/16 + 2·quarter.
static void KQ_NAME(groups_q6_k)(const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y,
                                 int64_t groups) {
    (void)xs;
    const int64_t block = PKV_PACK_ROWS * 210;
    const kq_vi m15 = KQ_I(15), m48 = KQ_I(48), k32 = KQ_I(32);
    for (int64_t G = 0; G < groups; G++, g += PKV_PACK_ROWS * rb)
        for (int h = 0; h < PKV_PACK_ROWS; h += KQ_LANES) {
            const uint8_t *b = g;
            kq_vf acc = KQ_ZERO();
            for (int64_t i = 0; i < n / 256; i++, b += block) {
                if (h == 0) pkv_prefetch_ahead(b, block);
                const kq_vf d = KQ_F16(b + 16 * 208 + 2 * h);
                for (int t = 0; t < 2; t++) {
                    const float *xt = x + 256 * i + 128 * t;
                    for (int half = 0; half < 2; half++) {
                        kq_vf a1 = KQ_ZERO(), a2 = KQ_ZERO(), a3 = KQ_ZERO(), a4 = KQ_ZERO();
                        for (int l = 16 * half; l < 16 * half + 16; l++) {
                            const kq_vi A = KQ_U8(KQ_SLICE(b, 64 * t + l, h)), C = KQ_U8(KQ_SLICE(b, 64 * t + l + 32, h));
                            const kq_vi H = KQ_U8(KQ_SLICE(b, 128 + 32 * t + l, h));
                            const kq_vi q1 = KQ_OR(KQ_AND(A, m15), KQ_AND(KQ_SLL(H, 4), m48));
                            const kq_vi q2 = KQ_OR(KQ_AND(C, m15), KQ_AND(KQ_SLL(H, 2), m48));
                            const kq_vi q3 = KQ_OR(KQ_SRL(A, 4), KQ_AND(H, m48));
                            const kq_vi q4 = KQ_OR(KQ_SRL(C, 4), KQ_AND(KQ_SRL(H, 2), m48));
                            a1 = KQ_FMA(KQ_CVT(KQ_SUBI(q1, k32)), KQ_BF(xt + l), a1);
                            a2 = KQ_FMA(KQ_CVT(KQ_SUBI(q2, k32)), KQ_BF(xt + l + 32), a2);
                            a3 = KQ_FMA(KQ_CVT(KQ_SUBI(q3, k32)), KQ_BF(xt + l + 64), a3);
                            a4 = KQ_FMA(KQ_CVT(KQ_SUBI(q4, k32)), KQ_BF(xt + l + 96), a4);
                        }
                        const int s0 = 192 + 8 * t + half;
                        acc = KQ_FMA(KQ_MUL(d, KQ_CVT(KQ_S8(KQ_SLICE(b, s0, h)))), a1, acc);
                        acc = KQ_FMA(KQ_MUL(d, KQ_CVT(KQ_S8(KQ_SLICE(b, s0 + 2, h)))), a2, acc);
                        acc = KQ_FMA(KQ_MUL(d, KQ_CVT(KQ_S8(KQ_SLICE(b, s0 + 4, h)))), a3, acc);
                        acc = KQ_FMA(KQ_MUL(d, KQ_CVT(KQ_S8(KQ_SLICE(b, s0 + 6, h)))), a4, acc);
                    }
                }
            }
            KQ_STORE(y + PKV_PACK_ROWS * G + h, acc);
        }
}

// Q5_0 and Q5_1 (`with_min`): payload = qh[4], qs[16]; fields d (, m). Byte j's low nibble is
// element j, its high nibble element j + 16; their fifth bits are bits j and j + 16 of qh.
// Q5_0's quants are offset by 16: Σ(q − 16)·x = Σq·x − 16·Σx.
static inline __attribute__((always_inline)) void KQ_NAME(groups_q5)(int with_min, const uint8_t *g, int64_t rb,
                                                                       int64_t n, const float *x, const float *xs,
                                                                       float *y, int64_t groups) {
    const int64_t block = PKV_PACK_ROWS * (with_min ? 24 : 22);
    const kq_vi m15 = KQ_I(15), m16 = KQ_I(16);
    for (int64_t G = 0; G < groups; G++, g += PKV_PACK_ROWS * rb)
        for (int h = 0; h < PKV_PACK_ROWS; h += KQ_LANES) {
            const uint8_t *b = g;
            kq_vf acc = KQ_ZERO(), mins = KQ_ZERO();
            for (int64_t i = 0; i < n / 32; i++, b += block) {
                if (h == 0) pkv_prefetch_ahead(b, block);
                const kq_vi qh = KQ_OR(KQ_OR(KQ_U8(KQ_SLICE(b, 0, h)), KQ_SLL(KQ_U8(KQ_SLICE(b, 1, h)), 8)),
                                       KQ_OR(KQ_SLL(KQ_U8(KQ_SLICE(b, 2, h)), 16), KQ_SLL(KQ_U8(KQ_SLICE(b, 3, h)), 24)));
                kq_vi hl = KQ_SLL(qh, 4), hh = KQ_SRL(qh, 12);  // bit j (j + 16) of qh at bit 4, then shifted down
                const float *xb = x + 32 * i;
                kq_vf s0 = KQ_ZERO(), s1 = KQ_ZERO(), s2 = KQ_ZERO(), s3 = KQ_ZERO();
                for (int j = 0; j < 16; j += 2) {
                    const kq_vi q0 = KQ_U8(KQ_SLICE(b, 4 + j, h)), q1 = KQ_U8(KQ_SLICE(b, 5 + j, h));
                    const kq_vi a0 = KQ_OR(KQ_AND(q0, m15), KQ_AND(hl, m16)), b0 = KQ_OR(KQ_SRL(q0, 4), KQ_AND(hh, m16));
                    hl = KQ_SRL(hl, 1);
                    hh = KQ_SRL(hh, 1);
                    const kq_vi a1 = KQ_OR(KQ_AND(q1, m15), KQ_AND(hl, m16)), b1 = KQ_OR(KQ_SRL(q1, 4), KQ_AND(hh, m16));
                    hl = KQ_SRL(hl, 1);
                    hh = KQ_SRL(hh, 1);
                    s0 = KQ_FMA(KQ_CVT(a0), KQ_BF(xb + j), s0);
                    s1 = KQ_FMA(KQ_CVT(b0), KQ_BF(xb + j + 16), s1);
                    s2 = KQ_FMA(KQ_CVT(a1), KQ_BF(xb + j + 1), s2);
                    s3 = KQ_FMA(KQ_CVT(b1), KQ_BF(xb + j + 17), s3);
                }
                const kq_vf sum = KQ_ADD(KQ_ADD(s0, s1), KQ_ADD(s2, s3));
                const kq_vf d = KQ_F16(b + 16 * 20 + 2 * h);
                if (with_min) {
                    acc = KQ_FMA(d, sum, acc);
                    mins = KQ_FMA(KQ_F16(b + 16 * 20 + 32 + 2 * h), KQ_BF(xs + i), mins);
                } else {
                    acc = KQ_FMA(d, KQ_SUB(sum, KQ_MUL(KQ_BF(xs + i), KQ_F(16.0f))), acc);
                }
            }
            KQ_STORE(y + PKV_PACK_ROWS * G + h, KQ_ADD(acc, mins));
        }
}

static void KQ_NAME(groups_q5_0)(const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y,
                                 int64_t groups) {
    KQ_NAME(groups_q5)(0, g, rb, n, x, xs, y, groups);
}

static void KQ_NAME(groups_q5_1)(const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y,
                                 int64_t groups) {
    KQ_NAME(groups_q5)(1, g, rb, n, x, xs, y, groups);
}

static void KQ_NAME(fill)(pkv_groups_fn t[PKV_TYPE_SLOTS]) {
    t[SLOT_Q5_0] = KQ_NAME(groups_q5_0); t[SLOT_Q5_1] = KQ_NAME(groups_q5_1);
    t[SLOT_Q4_K] = KQ_NAME(groups_q4_k); t[SLOT_Q5_K] = KQ_NAME(groups_q5_k); t[SLOT_Q6_K] = KQ_NAME(groups_q6_k);
}
