// int8-activation row dots with AVX2: maddubs (unsigned × signed bytes to 16-bit pair sums,
// at most 2·128·127, so never saturating) then pairs to 32-bit lanes.
#include "qdot_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)

static inline __m256i dot_u8s8(__m256i u, __m256i s) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1));
}

#include "qdot_int8_body.h"

#pragma clang attribute pop

void pkv_fill_rows8_avx2(pkv_rows8_fn t[PKV_TYPE_SLOTS]) {
    for (int i = 0; i < PKV_TYPE_SLOTS; i++) t[i] = 0;
    t[SLOT_Q4_0] = rows8_q4_0; t[SLOT_Q4_1] = rows8_q4_1; t[SLOT_Q8_0] = rows8_q8_0;
}
#else
void pkv_fill_rows8_avx2(pkv_rows8_fn t[PKV_TYPE_SLOTS]) { pkv_fill_rows8_scalar(t); }
#endif
