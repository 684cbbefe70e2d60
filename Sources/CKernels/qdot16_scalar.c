// Portable products on 16-row packed groups (qpack.c): the reference the SIMD ones follow.
#include "qdot_internal.h"

static inline float h2f(const uint8_t *p) { return pkv_f16_to_f32(pkv_rd16(p)); }

// The block's f16 fields follow its payload (qpack.c); Q4 quants are nibbles, Q8_0 signed bytes.
static void groups_generic(int type, const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y,
                           int64_t groups) {
    pkv_pack_shape shape;
    pkv_pack_shape_of(type, &shape);
    const int64_t block_bytes = shape.block_bytes, payload = block_bytes - 2 * shape.fields;
    for (int64_t G = 0; G < groups; G++, g += PKV_PACK_ROWS * rb) {
        for (int r = 0; r < PKV_PACK_ROWS; r++) {
            float acc = 0.0f;
            const uint8_t *b = g;
            for (int64_t i = 0; i < n / 32; i++, b += PKV_PACK_ROWS * block_bytes) {
                const float *xb = x + 32 * i, d = h2f(b + payload * PKV_PACK_ROWS + 2 * r);
                float s = 0.0f;
                for (int64_t k = 0; k < payload; k++) {
                    const uint8_t q = b[k * PKV_PACK_ROWS + r];
                    if (type == 8) s += (float)(int8_t)q * xb[k];
                    else if (type == 2) s += (float)((q & 0x0f) - 8) * xb[k] + (float)((q >> 4) - 8) * xb[k + 16];
                    else s += (float)(q & 0x0f) * xb[k] + (float)(q >> 4) * xb[k + 16];
                }
                acc += d * s;
                if (type == 3) acc += h2f(b + (payload + 2) * PKV_PACK_ROWS + 2 * r) * xs[i];
            }
            y[PKV_PACK_ROWS * G + r] = acc;
        }
    }
}

static void groups_q4_0(const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t groups) {
    groups_generic(2, g, rb, n, x, xs, y, groups);
}
static void groups_q4_1(const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t groups) {
    groups_generic(3, g, rb, n, x, xs, y, groups);
}
static void groups_q8_0(const uint8_t *g, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t groups) {
    groups_generic(8, g, rb, n, x, xs, y, groups);
}

void pkv_fill_groups_scalar(pkv_groups_fn t[PKV_TYPE_SLOTS]) {
    t[SLOT_Q4_0] = groups_q4_0; t[SLOT_Q4_1] = groups_q4_1; t[SLOT_Q8_0] = groups_q8_0;
}
