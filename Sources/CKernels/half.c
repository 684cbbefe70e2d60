// fp32 ↔ f16 for the KV cache's f16 mode, vectorised per CPU (F16C under the v3/v4 clones).
#include "CKernels.h"
#include <string.h>

#define PKV_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))

PKV_CLONES
void pkv_f32_to_f16(const float *src, uint16_t *dst, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        _Float16 h = (_Float16)src[i];   // round to nearest even, as numpy and ggml do
        memcpy(dst + i, &h, 2);
    }
}

PKV_CLONES
void pkv_f16_to_f32_rows(const uint16_t *src, float *dst, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        _Float16 h;
        memcpy(&h, src + i, 2);
        dst[i] = (float)h;
    }
}
