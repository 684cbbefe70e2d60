// Activations quantized per 32-block for the int8-activation kernels (as llama.cpp's Q8
// activations): q = round-half-even(x/d), d = max|x|/127, plus the block's fp32 sum, the quantized
// block's sum d·Σq and its quants' sums (whole and per 16). Plain C that the compiler vectorises,
// built as AVX-512, AVX2 and baseline copies (target_clones); the sum and maximum follow one
// written tree in every copy
// (reassociation is off in this file), so every CPU gets the same bits.
#pragma clang fp reassociate(off)
#include "qdot_internal.h"
#include <math.h>

#define PKV_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))

PKV_CLONES void pkv_quantize_x8(const float *x, int64_t n, int8_t *q, float *d, float *sum, float *dqsum,
                                int32_t *qsum, int32_t *qsum16) {
    for (int64_t b = 0; b < n / 32; b++) {
        const float *xb = x + 32 * b;
        // Lane l holds elements l and l + 16, then halves fold onto the first: a fixed tree.
        float m[16], s[16];
        for (int l = 0; l < 16; l++) {
            m[l] = fmaxf(fabsf(xb[l]), fabsf(xb[l + 16]));
            s[l] = xb[l] + xb[l + 16];
        }
        for (int w = 8; w > 0; w /= 2)
            for (int l = 0; l < w; l++) {
                m[l] = fmaxf(m[l], m[l + w]);
                s[l] = s[l] + s[l + w];
            }
        const float scale = m[0] / 127.0f, inv = scale > 0.0f ? 1.0f / scale : 0.0f;
        int32_t halves[2] = { 0, 0 };
        for (int h = 0; h < 2; h++) {
            int32_t t = 0;
            for (int k = 16 * h; k < 16 * h + 16; k++) {
                const float r = rintf(xb[k] * inv);  // |r| ≤ 127 up to rounding; the clamp makes sure
                const int32_t c = r > 127.0f ? 127 : (r < -127.0f ? -127 : (int32_t)r);
                q[32 * b + k] = (int8_t)c;
                t += c;
            }
            halves[h] = t;
        }
        d[b] = scale;
        sum[b] = s[0];
        qsum[b] = halves[0] + halves[1];
        dqsum[b] = scale * (float)qsum[b];
        if (qsum16) {
            qsum16[2 * b] = halves[0];
            qsum16[2 * b + 1] = halves[1];
        }
    }
}
