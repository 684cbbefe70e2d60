// int8-activation row dots, portable C: x is quantized once per product (pkv_quantize_x8) and
// each block's dot is an exact integer sum, scaled once. The SIMD variants compute the same
// integers, so all variants agree up to the fp32 order of the per-block additions.
#include "qdot_internal.h"
#include <math.h>

void pkv_quantize_x8(const float *x, int64_t n, int8_t *q, float *d, float *sum, int32_t *qsum, int32_t *qsum16) {
    for (int64_t b = 0; b < n / 32; b++) {
        const float *xb = x + 32 * b;
        float amax = 0.0f, s = 0.0f;
        for (int k = 0; k < 32; k++) {
            amax = fmaxf(amax, fabsf(xb[k]));
            s += xb[k];
        }
        const float scale = amax / 127.0f, inv = scale > 0.0f ? 1.0f / scale : 0.0f;
        int32_t halves[2] = { 0, 0 };
        for (int k = 0; k < 32; k++) {
            const int v = (int)lrintf(xb[k] * inv);  // |v| ≤ 127: xb[k]·inv ≤ 127 up to rounding
            const int c = v > 127 ? 127 : (v < -127 ? -127 : v);
            q[32 * b + k] = (int8_t)c;
            halves[k / 16] += c;
        }
        d[b] = scale;
        sum[b] = s;
        qsum[b] = halves[0] + halves[1];
        if (qsum16) {
            qsum16[2 * b] = halves[0];
            qsum16[2 * b + 1] = halves[1];
        }
    }
}

static int64_t round64(int64_t v) { return (v + 63) / 64 * 64; }

int64_t pkv_xq8_bytes(int64_t n, int64_t rows) {
    const int64_t blocks = rows * (n / 32);
    return round64(rows * n) + round64(blocks * 4) * 3 + round64(blocks * 2 * 4);
}

pkv_xq8 pkv_xq8_quantize(const float *x, int64_t ldx, int64_t n, int64_t rows, void *buf) {
    const int64_t per_row = n / 32, blocks = rows * per_row;
    uint8_t *p = buf;
    int8_t *q = (int8_t *)p;
    p += round64(rows * n);
    float *d = (float *)p;
    p += round64(blocks * 4);
    float *sum = (float *)p;
    p += round64(blocks * 4);
    int32_t *qsum = (int32_t *)p;
    p += round64(blocks * 4);
    int32_t *qsum16 = (int32_t *)p;
    for (int64_t t = 0; t < rows; t++)
        pkv_quantize_x8(x + t * ldx, n, q + t * n, d + t * per_row, sum + t * per_row, qsum + t * per_row,
                        qsum16 + 2 * t * per_row);
    return (pkv_xq8){ q, d, sum, qsum, qsum16 };
}

static void rows8_q4_0(const uint8_t *w, int64_t rb, int64_t n, const pkv_xq8 *x, float *y, int64_t rows) {
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *b = w + r * rb;
        float acc = 0.0f;
        for (int64_t i = 0; i < n / 32; i++, b += 18) {
            const int8_t *xq = x->q + 32 * i;
            int32_t s = 0;
            for (int j = 0; j < 16; j++) s += (b[2 + j] & 0x0f) * xq[j] + (b[2 + j] >> 4) * xq[j + 16];
            acc += pkv_f16_to_f32(pkv_rd16(b)) * x->d[i] * (float)(s - 8 * x->qsum[i]);
        }
        y[r] = acc;
    }
}

static void rows8_q4_1(const uint8_t *w, int64_t rb, int64_t n, const pkv_xq8 *x, float *y, int64_t rows) {
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *b = w + r * rb;
        float acc = 0.0f, mins = 0.0f;
        for (int64_t i = 0; i < n / 32; i++, b += 20) {
            const int8_t *xq = x->q + 32 * i;
            int32_t s = 0;
            for (int j = 0; j < 16; j++) s += (b[4 + j] & 0x0f) * xq[j] + (b[4 + j] >> 4) * xq[j + 16];
            acc += pkv_f16_to_f32(pkv_rd16(b)) * x->d[i] * (float)s;
            mins += pkv_f16_to_f32(pkv_rd16(b + 2)) * x->sum[i];
        }
        y[r] = acc + mins;
    }
}

static void rows8_q8_0(const uint8_t *w, int64_t rb, int64_t n, const pkv_xq8 *x, float *y, int64_t rows) {
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *b = w + r * rb;
        float acc = 0.0f;
        for (int64_t i = 0; i < n / 32; i++, b += 34) {
            const int8_t *q = (const int8_t *)(b + 2), *xq = x->q + 32 * i;
            int32_t s = 0;
            for (int j = 0; j < 32; j++) s += q[j] * xq[j];
            acc += pkv_f16_to_f32(pkv_rd16(b)) * x->d[i] * (float)s;
        }
        y[r] = acc;
    }
}

void pkv_fill_rows8_scalar(pkv_rows8_fn t[PKV_TYPE_SLOTS]) {
    for (int i = 0; i < PKV_TYPE_SLOTS; i++) t[i] = 0;
    t[SLOT_Q4_0] = rows8_q4_0; t[SLOT_Q4_1] = rows8_q4_1; t[SLOT_Q8_0] = rows8_q8_0;
}
