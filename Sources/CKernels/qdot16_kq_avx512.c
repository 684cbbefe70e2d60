// AVX-512 products on 16-row packed groups of Q5_0, Q5_1, Q4_K, Q5_K and Q6_K: one zmm lane per
// row (qdot16_kq_body.h).
#include "qdot_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,fma,f16c"))), apply_to = function)
#define KQ_NAME(x) x##_avx512
#define KQ_LANES 16
typedef __m512i kq_vi;
typedef __m512 kq_vf;
#define KQ_U8(p) _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(p)))
#define KQ_S8(p) _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(p)))
#define KQ_F16(p) _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(p)))
#define KQ_I(v) _mm512_set1_epi32(v)
#define KQ_AND(a, b) _mm512_and_si512(a, b)
#define KQ_OR(a, b) _mm512_or_si512(a, b)
#define KQ_SRL(a, c) _mm512_srli_epi32(a, (unsigned)(c))
#define KQ_SLL(a, c) _mm512_slli_epi32(a, (unsigned)(c))
#define KQ_SUBI(a, b) _mm512_sub_epi32(a, b)
#define KQ_CVT(a) _mm512_cvtepi32_ps(a)
#define KQ_FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define KQ_ADD(a, b) _mm512_add_ps(a, b)
#define KQ_SUB(a, b) _mm512_sub_ps(a, b)
#define KQ_MUL(a, b) _mm512_mul_ps(a, b)
#define KQ_BF(p) _mm512_set1_ps(*(p))
#define KQ_F(v) _mm512_set1_ps(v)
#define KQ_ZERO() _mm512_setzero_ps()
#define KQ_STORE(p, v) _mm512_storeu_ps(p, v)
#include "qdot16_kq_body.h"
#pragma clang attribute pop

void pkv_fill_groups_kq_avx512(pkv_groups_fn t[PKV_TYPE_SLOTS]) { fill_avx512(t); }
#else
void pkv_fill_groups_kq_avx512(pkv_groups_fn t[PKV_TYPE_SLOTS]) { pkv_fill_groups_kq_scalar(t); }
#endif
