// Portable int8-activation products on 16-row packed groups of Q5_0, Q5_1, Q4_K, Q5_K and Q6_K:
// each row's block is gathered back to its GGUF bytes and split into integer quants and per
// sub-block scales and mins (ggml's dequantization, factored), so a sub-block's dot with x's
// int8 quants is one exact integer sum. The reference the SIMD variants compute the integers of.
#include "qdot_internal.h"
#include <string.h>

// Element j's value is scale[j / sub] · q[j] − min[j / sub].
typedef struct {
    int32_t q[256];
    float scale[16];
    float min[16];
    int sub;
} block_ints;

static inline float h2f(const uint8_t *p) { return pkv_f16_to_f32(pkv_rd16(p)); }

// get_scale_min_k4 of ggml-quants.c.
static void scale_min_k4(int j, const uint8_t *q, int *d, int *m) {
    if (j < 4) {
        *d = q[j] & 63;
        *m = q[j + 4] & 63;
    } else {
        *d = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
        *m = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

static void ints_q5(const uint8_t *b, int with_min, block_ints *o) {
    uint32_t qh;
    memcpy(&qh, b + (with_min ? 4 : 2), 4);
    const uint8_t *qs = b + (with_min ? 8 : 6);
    for (int j = 0; j < 16; j++) {
        o->q[j] = (int32_t)((qs[j] & 0x0f) | (((qh >> j) << 4) & 0x10)) - (with_min ? 0 : 16);
        o->q[j + 16] = (int32_t)((qs[j] >> 4) | ((qh >> (j + 12)) & 0x10)) - (with_min ? 0 : 16);
    }
    o->sub = 32;
    o->scale[0] = h2f(b);
    o->min[0] = with_min ? -h2f(b + 2) : 0.0f;  // value = d·q + m
}

static void ints_k45(const uint8_t *b, int five, block_ints *o) {
    const float d = h2f(b), dmin = h2f(b + 2);
    const uint8_t *scales = b + 4, *qh = b + 16, *qs = b + (five ? 48 : 16);
    for (int c = 0; c < 4; c++) {
        for (int l = 0; l < 32; l++) {
            const int hi_lo = five ? ((qh[l] >> (2 * c)) & 1) << 4 : 0, hi_hi = five ? ((qh[l] >> (2 * c + 1)) & 1) << 4 : 0;
            o->q[64 * c + l] = (qs[32 * c + l] & 0x0f) | hi_lo;
            o->q[64 * c + 32 + l] = (qs[32 * c + l] >> 4) | hi_hi;
        }
    }
    for (int j = 0; j < 8; j++) {
        int sc, m;
        scale_min_k4(j, scales, &sc, &m);
        o->scale[j] = d * (float)sc;
        o->min[j] = dmin * (float)m;
    }
    o->sub = 32;
}

static void ints_q6_k(const uint8_t *b, block_ints *o) {
    const float d = h2f(b + 208);
    const int8_t *sc = (const int8_t *)(b + 192);
    for (int t = 0; t < 2; t++) {
        const uint8_t *ql = b + 64 * t, *qh = b + 128 + 32 * t;
        int32_t *q = o->q + 128 * t;
        for (int l = 0; l < 32; l++) {
            q[l] = (int32_t)((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
            q[l + 32] = (int32_t)((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
            q[l + 64] = (int32_t)((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
            q[l + 96] = (int32_t)((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
        }
    }
    for (int s = 0; s < 16; s++) {
        o->scale[s] = d * (float)sc[s];
        o->min[s] = 0.0f;
    }
    o->sub = 16;
}

static void block_to_ints(int type, const uint8_t *b, block_ints *o) {
    switch (type) {
    case 6: ints_q5(b, 0, o); break;
    case 7: ints_q5(b, 1, o); break;
    case 12: ints_k45(b, 0, o); break;
    case 13: ints_k45(b, 1, o); break;
    default: ints_q6_k(b, o); break;
    }
}

// Σ over sub-blocks of scale · dx · Σ q·xq, less min · dx·Σxq (the quantized sub-block's sum; a
// sub-block with a min is a whole 32-element block of x).
static void groups8_by_blocks(int type, const uint8_t *g, int64_t rb, int64_t n, const pkv_xq8 *x, int64_t rows_x,
                              float *y, int64_t ldy, int64_t groups) {
    pkv_pack_shape s;
    pkv_pack_shape_of(type, &s);
    uint8_t block[256];
    block_ints v;
    const int64_t blocks = n / s.block_elements, xblocks = n / 32;
    for (int64_t G = 0; G < groups; G++, g += PKV_PACK_ROWS * rb)
        for (int r = 0; r < PKV_PACK_ROWS; r++)
            for (int64_t t = 0; t < rows_x; t++) {
                const int8_t *xq = x->q + t * n;
                const float *xd = x->d + t * xblocks, *xsum = x->dqsum + t * xblocks;
                float acc = 0.0f;
                for (int64_t i = 0; i < blocks; i++) {
                    pkv_unpack_block(&s, g + i * PKV_PACK_ROWS * s.block_bytes, r, block);
                    block_to_ints(type, block, &v);
                    const int64_t e0 = i * s.block_elements;
                    for (int64_t j0 = 0; j0 < s.block_elements; j0 += v.sub) {
                        int32_t dot = 0;
                        for (int j = 0; j < v.sub; j++) dot += v.q[j0 + j] * xq[e0 + j0 + j];
                        const int64_t xb = (e0 + j0) / 32;
                        acc += v.scale[j0 / v.sub] * xd[xb] * (float)dot;
                        if (v.min[j0 / v.sub] != 0.0f) acc -= v.min[j0 / v.sub] * xsum[xb];
                    }
                }
                y[t * ldy + PKV_PACK_ROWS * G + r] = acc;
            }
}

#define PKV_GROUPS8_BY_BLOCKS(NAME, TYPE)                                                                       \
    static void NAME(const uint8_t *g, int64_t rb, int64_t n, const pkv_xq8 *x, int64_t rows_x, float *y,     \
                     int64_t ldy, int64_t groups) {                                                           \
        groups8_by_blocks(TYPE, g, rb, n, x, rows_x, y, ldy, groups);                                         \
    }
PKV_GROUPS8_BY_BLOCKS(groups8_q5_0, 6)
PKV_GROUPS8_BY_BLOCKS(groups8_q5_1, 7)
PKV_GROUPS8_BY_BLOCKS(groups8_q4_k, 12)
PKV_GROUPS8_BY_BLOCKS(groups8_q5_k, 13)
PKV_GROUPS8_BY_BLOCKS(groups8_q6_k, 14)

void pkv_fill_groups8_scalar(pkv_groups8_fn t[PKV_TYPE_SLOTS]) {
    for (int i = 0; i < PKV_TYPE_SLOTS; i++) t[i] = 0;
    t[SLOT_Q5_0] = groups8_q5_0; t[SLOT_Q5_1] = groups8_q5_1;
    t[SLOT_Q4_K] = groups8_q4_k; t[SLOT_Q5_K] = groups8_q5_k; t[SLOT_Q6_K] = groups8_q6_k;
}
