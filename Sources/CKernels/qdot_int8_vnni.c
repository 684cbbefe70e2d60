// int8-activation row dots with AVX512-VNNI on 256-bit vectors: vpdpbusd sums unsigned ×
// signed bytes straight into 32-bit lanes, one instruction where AVX2 needs two.
#include "qdot_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx2,fma,f16c,avx512f,avx512vl,avx512bw,avx512vnni"))), apply_to = function)

static inline __m256i dot_u8s8(__m256i u, __m256i s) { return _mm256_dpbusd_epi32(_mm256_setzero_si256(), u, s); }

#include "qdot_int8_body.h"

#pragma clang attribute pop
int pkv_cpu_has_vnni(void) {
    __builtin_cpu_init();
    return pkv_cpu_level() >= 2 && __builtin_cpu_supports("avx512vnni");
}

void pkv_fill_rows8_vnni(pkv_rows8_fn t[PKV_TYPE_SLOTS]) {
    for (int i = 0; i < PKV_TYPE_SLOTS; i++) t[i] = 0;
    t[SLOT_Q4_0] = rows8_q4_0; t[SLOT_Q4_1] = rows8_q4_1; t[SLOT_Q8_0] = rows8_q8_0;
}
#else
int pkv_cpu_has_vnni(void) { return 0; }
void pkv_fill_rows8_vnni(pkv_rows8_fn t[PKV_TYPE_SLOTS]) { pkv_fill_rows8_scalar(t); }
#endif
