// AVX2+FMA products on 16-row packed groups of Q5_0, Q5_1, Q4_K, Q5_K and Q6_K: one ymm lane per
// row, each group in two 8-row halves (qdot16_kq_body.h).
#include "qdot_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#define KQ_NAME(x) x##_avx2
#include "qdot16_kq_vec256.h"
#include "qdot16_kq_body.h"
#pragma clang attribute pop

void pkv_fill_groups_kq_avx2(pkv_groups_fn t[PKV_TYPE_SLOTS]) { fill_avx2(t); }
#else
void pkv_fill_groups_kq_avx2(pkv_groups_fn t[PKV_TYPE_SLOTS]) { pkv_fill_groups_kq_scalar(t); }
#endif
