// int8-activation row dots, portable C: x is quantized once per product (pkv_quantize_x8) and
// each block's dot is an exact integer sum, scaled once. The SIMD variants compute the same
// integers, so all variants agree up to the fp32 order of the per-block additions.
#include "qdot_internal.h"
#include <math.h>

static int64_t round64(int64_t v) { return (v + 63) / 64 * 64; }

int64_t pkv_xq8_bytes(int64_t n, int64_t rows) {
    const int64_t blocks = rows * (n / 32);
    return round64(rows * n) + round64(blocks * 4) * 4 + round64(blocks * 2 * 4);
}

typedef struct {
    const float *x;
    int64_t ldx, n;
    pkv_xq8 out;
} quantize_job;

// Rows [begin, end): each row on its own, so the split does not change a bit.
static void quantize_part(void *ctx, int64_t begin, int64_t end) {
    const quantize_job *j = ctx;
    const int64_t per_row = j->n / 32;
    for (int64_t t = begin; t < end; t++) {
        const int64_t b0 = t * per_row;
        pkv_quantize_x8(j->x + t * j->ldx, j->n, (int8_t *)j->out.q + t * j->n, (float *)j->out.d + b0,
                        (float *)j->out.sum + b0, (float *)j->out.dqsum + b0, (int32_t *)j->out.qsum + b0,
                        (int32_t *)j->out.qsum16 + 2 * b0);
    }
}

pkv_xq8 pkv_xq8_quantize(const float *x, int64_t ldx, int64_t n, int64_t rows, void *buf) {
    const int64_t blocks = rows * (n / 32);
    uint8_t *p = buf;
    pkv_xq8 out;
    out.q = (const int8_t *)p;
    p += round64(rows * n);
    out.d = (const float *)p;
    p += round64(blocks * 4);
    out.sum = (const float *)p;
    p += round64(blocks * 4);
    out.dqsum = (const float *)p;
    p += round64(blocks * 4);
    out.qsum = (const int32_t *)p;
    p += round64(blocks * 4);
    out.qsum16 = (const int32_t *)p;
    quantize_job job = { x, ldx, n, out };
    // Prefill's rows split over the pool (one row stays on the caller: decode).
    if (rows > 1) pkv_parallel_for(rows, quantize_part, &job);
    else quantize_part(&job, 0, rows);
    return out;
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
            mins += pkv_f16_to_f32(pkv_rd16(b + 2)) * x->dqsum[i];
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
