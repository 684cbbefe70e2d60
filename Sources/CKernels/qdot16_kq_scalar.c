// Portable products on 16-row packed groups of K-quants (Q4_K, Q5_K, Q6_K), Q5_0 and Q5_1: each
// row's block is gathered back to its GGUF bytes, dequantized as ggml does and dotted with x.
// The fallback for CPUs without AVX2 and the plainest statement of what the SIMD kernels compute.
#include "qdot_internal.h"

typedef void (*dequant_fn)(const void *src, float *dst, int64_t n);

static void groups_by_blocks(int type, dequant_fn dequant, const uint8_t *g, int64_t rb, int64_t n, const float *x,
                             float *y, int64_t groups) {
    pkv_pack_shape s;
    pkv_pack_shape_of(type, &s);
    uint8_t block[256];       // one row's GGUF block (at most Q6_K's 210 bytes)
    float values[256];        // its elements
    const int64_t blocks = n / s.block_elements;
    for (int64_t G = 0; G < groups; G++, g += PKV_PACK_ROWS * rb)
        for (int r = 0; r < PKV_PACK_ROWS; r++) {
            float acc = 0.0f;
            for (int64_t i = 0; i < blocks; i++) {
                pkv_unpack_block(&s, g + i * PKV_PACK_ROWS * s.block_bytes, r, block);
                dequant(block, values, s.block_elements);
                acc += pkv_dot_f32_scalar(values, x + i * s.block_elements, s.block_elements);
            }
            y[PKV_PACK_ROWS * G + r] = acc;
        }
}

#define PKV_GROUPS_BY_BLOCKS(NAME, TYPE, DEQUANT)                                                                    \
    static void NAME(const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t groups) { \
        (void)xs;                                                                                                    \
        groups_by_blocks(TYPE, DEQUANT, g, rb, n, x, y, groups);                                                     \
    }
PKV_GROUPS_BY_BLOCKS(groups_q5_0, 6, pkv_dequant_q5_0)
PKV_GROUPS_BY_BLOCKS(groups_q5_1, 7, pkv_dequant_q5_1)
PKV_GROUPS_BY_BLOCKS(groups_q4_k, 12, pkv_dequant_q4_k)
PKV_GROUPS_BY_BLOCKS(groups_q5_k, 13, pkv_dequant_q5_k)
PKV_GROUPS_BY_BLOCKS(groups_q6_k, 14, pkv_dequant_q6_k)

void pkv_fill_groups_kq_scalar(pkv_groups_fn t[PKV_TYPE_SLOTS]) {
    t[SLOT_Q5_0] = groups_q5_0; t[SLOT_Q5_1] = groups_q5_1;
    t[SLOT_Q4_K] = groups_q4_k; t[SLOT_Q5_K] = groups_q5_k; t[SLOT_Q6_K] = groups_q6_k;
}
