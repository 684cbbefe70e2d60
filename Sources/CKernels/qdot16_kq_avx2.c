// AVX2+FMA products on 16-row packed groups of Q5_0, Q5_1, Q4_K, Q5_K and Q6_K: one ymm lane per
// row, each group in two 8-row halves (qdot16_kq_body.h).
#include "qdot_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#define KQ_NAME(x) x##_avx2
#define KQ_LANES 8
typedef __m256i kq_vi;
typedef __m256 kq_vf;
#define KQ_U8(p) _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(p)))
#define KQ_S8(p) _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(p)))
#define KQ_F16(p) _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p)))
#define KQ_I(v) _mm256_set1_epi32(v)
#define KQ_AND(a, b) _mm256_and_si256(a, b)
#define KQ_OR(a, b) _mm256_or_si256(a, b)
#define KQ_SRL(a, c) _mm256_srli_epi32(a, (int)(c))
#define KQ_SLL(a, c) _mm256_slli_epi32(a, (int)(c))
#define KQ_SUBI(a, b) _mm256_sub_epi32(a, b)
#define KQ_CVT(a) _mm256_cvtepi32_ps(a)
#define KQ_FMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define KQ_ADD(a, b) _mm256_add_ps(a, b)
#define KQ_SUB(a, b) _mm256_sub_ps(a, b)
#define KQ_MUL(a, b) _mm256_mul_ps(a, b)
#define KQ_BF(p) _mm256_broadcast_ss(p)
#define KQ_F(v) _mm256_set1_ps(v)
#define KQ_ZERO() _mm256_setzero_ps()
#define KQ_STORE(p, v) _mm256_storeu_ps(p, v)
#include "qdot16_kq_body.h"
#pragma clang attribute pop

void pkv_fill_groups_kq_avx2(pkv_groups_fn t[PKV_TYPE_SLOTS]) { fill_avx2(t); }
#else
void pkv_fill_groups_kq_avx2(pkv_groups_fn t[PKV_TYPE_SLOTS]) { pkv_fill_groups_kq_scalar(t); }
#endif
