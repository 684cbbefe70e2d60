// Elementwise kernels. Plain C loops that the compiler vectorises; target_clones builds an
// AVX-512, an AVX2+FMA and a baseline copy and the loader picks one per CPU.
#include "CKernels.h"
#include <math.h>
#include <string.h>

#define PKV_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))

// Cephes-style expf: range reduction by ln2, degree-6 polynomial, exponent by bit shift.
static inline float pkv_expf(float x) {
    const float hi = 88.3762626647949f, lo = -87.3365478515625f;
    int under = x < lo;
    x = x > hi ? hi : (x < lo ? lo : x);
    float n = __builtin_floorf(x * 1.44269504088896341f + 0.5f);
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500E-4f;
    p = p * r + 1.3981999507E-3f;
    p = p * r + 8.3334519073E-3f;
    p = p * r + 4.1665795894E-2f;
    p = p * r + 1.6666665459E-1f;
    p = p * r + 5.0000001201E-1f;
    float e = p * r * r + r + 1.0f;
    int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, 4);
    return under ? 0.0f : e * scale;
}

// 16 running maxima, one per lane, then their maximum: the compiler vectorizes this, where a
// single `m = x > m ? x : m` chain stays scalar. The maximum is exact in any order.
PKV_CLONES
float pkv_max(const float *x, int64_t n) {
    float m16[16];
    for (int k = 0; k < 16; k++) m16[k] = -INFINITY;
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (int k = 0; k < 16; k++) m16[k] = x[i + k] > m16[k] ? x[i + k] : m16[k];
    float m = -INFINITY;
    for (int k = 0; k < 16; k++) m = m16[k] > m ? m16[k] : m;
    for (; i < n; i++) m = x[i] > m ? x[i] : m;
    return m;
}

PKV_CLONES
void pkv_exp_inplace(float *x, int64_t n) {
    for (int64_t i = 0; i < n; i++) x[i] = pkv_expf(x[i]);
}

PKV_CLONES
void pkv_rmsnorm(const float *x, const float *w, float *out, int64_t rows, int64_t n, float eps) {
    for (int64_t r = 0; r < rows; r++) {
        const float *xr = x + r * n;
        float *o = out + r * n;
        float ss = 0.0f;
        for (int64_t i = 0; i < n; i++) ss += xr[i] * xr[i];
        float inv = 1.0f / sqrtf(ss / (float)n + eps);
        for (int64_t i = 0; i < n; i++) o[i] = w[i] * (xr[i] * inv);
    }
}

PKV_CLONES
void pkv_silu_mul(float *gate, const float *up, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        float g = gate[i];
        gate[i] = g / (1.0f + pkv_expf(-g)) * up[i];
    }
}

PKV_CLONES
void pkv_add(float *y, const float *x, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] += x[i];
}

// Rotates dimension i·step with i·step + partner (frequency i) in each head of each row:
// step 2, partner 1 for adjacent pairs; step 1, partner dim/2 for rotate-half.
static inline void rope_rows(float *x, int64_t rows, int64_t row_stride, int64_t heads, int64_t dim,
                             const float *cos_table, const float *sin_table, int64_t step, int64_t partner) {
    const int64_t half = dim / 2;
    for (int64_t r = 0; r < rows; r++) {
        const float *c = cos_table + r * half, *s = sin_table + r * half;
        for (int64_t h = 0; h < heads; h++) {
            float *v = x + r * row_stride + h * dim;
            for (int64_t i = 0; i < half; i++) {
                float *lo = v + i * step, *hi = lo + partner;
                const float a = *lo, b = *hi;
                *lo = a * c[i] - b * s[i];
                *hi = a * s[i] + b * c[i];
            }
        }
    }
}

PKV_CLONES
void pkv_rope_pairs(float *x, int64_t rows, int64_t row_stride, int64_t heads, int64_t dim,
                    const float *cos_table, const float *sin_table) {
    rope_rows(x, rows, row_stride, heads, dim, cos_table, sin_table, 2, 1);
}

PKV_CLONES
void pkv_rope_halves(float *x, int64_t rows, int64_t row_stride, int64_t heads, int64_t dim,
                     const float *cos_table, const float *sin_table) {
    rope_rows(x, rows, row_stride, heads, dim, cos_table, sin_table, 1, dim / 2);
}

PKV_CLONES
void pkv_softmax_rows(float *s, int64_t rows, int64_t width, int64_t ld, const int64_t *len) {
    for (int64_t r = 0; r < rows; r++) {
        float *row = s + r * ld;
        int64_t n = len[r];
        const float mx = pkv_max(row, n);
        float sum = 0.0f;
        for (int64_t i = 0; i < n; i++) {
            float e = pkv_expf(row[i] - mx);
            row[i] = e;
            sum += e;
        }
        float inv = 1.0f / sum;
        for (int64_t i = 0; i < n; i++) row[i] *= inv;
        for (int64_t i = n; i < width; i++) row[i] = 0.0f;
    }
}

PKV_CLONES
void pkv_add_column_sums(const float *p, int64_t rows, int64_t width, int64_t ld, float *acc) {
    for (int64_t r = 0; r < rows; r++) {
        const float *row = p + r * ld;
        for (int64_t i = 0; i < width; i++) acc[i] += row[i];
    }
}

void pkv_max_column(const float *p, int64_t rows, int64_t width, int64_t ld, float *acc) {
    for (int64_t r = 0; r < rows; r++) {
        const float *row = p + r * ld;
        for (int64_t i = 0; i < width; i++) acc[i] = row[i] > acc[i] ? row[i] : acc[i];
    }
}

int64_t pkv_argmax(const float *x, int64_t n) {
    int64_t best = 0;
    for (int64_t i = 1; i < n; i++) if (x[i] > x[best]) best = i;
    return best;
}

int pkv_cpu_level(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
    return 0;
}
