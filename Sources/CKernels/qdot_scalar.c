// Portable row-dot kernels: dequantize each block in registers and accumulate in fp32.
// The fallback for CPUs without AVX2, and the reference the SIMD variants are tested against.
#include "qdot_internal.h"

float pkv_dot_f32_scalar(const float *a, const float *b, int64_t n) {
    float s = 0.0f;
    for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

static void rows_f32(const uint8_t *w, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t rows) {
    (void)xs;
    for (int64_t r = 0; r < rows; r++) y[r] = pkv_dot_f32_scalar((const float *)(w + r * rb), x, n);
}

static void rows_f16(const uint8_t *w, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t rows) {
    (void)xs;
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *p = w + r * rb;
        float s = 0.0f;
        for (int64_t i = 0; i < n; i++) s += pkv_f16_to_f32(pkv_rd16(p + 2 * i)) * x[i];
        y[r] = s;
    }
}

static void rows_bf16(const uint8_t *w, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t rows) {
    (void)xs;
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *p = w + r * rb;
        float s = 0.0f;
        for (int64_t i = 0; i < n; i++) {
            union { uint32_t u; float f; } v = { .u = (uint32_t)pkv_rd16(p + 2 * i) << 16 };
            s += v.f * x[i];
        }
        y[r] = s;
    }
}

static void rows_q4_0(const uint8_t *w, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t rows) {
    (void)xs;
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *b = w + r * rb;
        float acc = 0.0f;
        for (int64_t i = 0; i < n / 32; i++, b += 18) {
            const float *xb = x + 32 * i;
            float s = 0.0f;
            for (int j = 0; j < 16; j++) s += ((int)(b[2 + j] & 0x0f) - 8) * xb[j] + ((int)(b[2 + j] >> 4) - 8) * xb[j + 16];
            acc += pkv_f16_to_f32(pkv_rd16(b)) * s;
        }
        y[r] = acc;
    }
}

static void rows_q4_1(const uint8_t *w, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t rows) {
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *b = w + r * rb;
        float acc = 0.0f;
        for (int64_t i = 0; i < n / 32; i++, b += 20) {
            const float *xb = x + 32 * i;
            float s = 0.0f;
            for (int j = 0; j < 16; j++) s += (b[4 + j] & 0x0f) * xb[j] + (b[4 + j] >> 4) * xb[j + 16];
            acc += pkv_f16_to_f32(pkv_rd16(b)) * s + pkv_f16_to_f32(pkv_rd16(b + 2)) * xs[i];
        }
        y[r] = acc;
    }
}

static void rows_q8_0(const uint8_t *w, int64_t rb, int64_t n, const float *x, const float *xs, float *y, int64_t rows) {
    (void)xs;
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *b = w + r * rb;
        float acc = 0.0f;
        for (int64_t i = 0; i < n / 32; i++, b += 34) {
            const int8_t *q = (const int8_t *)(b + 2);
            const float *xb = x + 32 * i;
            float s = 0.0f;
            for (int j = 0; j < 32; j++) s += q[j] * xb[j];
            acc += pkv_f16_to_f32(pkv_rd16(b)) * s;
        }
        y[r] = acc;
    }
}

PKV_BLOCK_ROWS_ALL(pkv_dot_f32_scalar)

void pkv_fill_rows_scalar(pkv_rows_fn t[PKV_TYPE_SLOTS]) {
    t[SLOT_F32] = rows_f32; t[SLOT_F16] = rows_f16; t[SLOT_BF16] = rows_bf16;
    t[SLOT_Q4_0] = rows_q4_0; t[SLOT_Q4_1] = rows_q4_1; t[SLOT_Q8_0] = rows_q8_0;
    PKV_BLOCK_ROWS_FILL(t);
}
