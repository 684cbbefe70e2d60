// The vector words of the packed-group kernel bodies (qdot16_kq_body.h, qdot16_int8_body.h) on
// 8 lanes (ymm): kq_vi / kq_vf integer / float vectors; KQ_U8, KQ_S8 (KQ_LANES bytes zero- / sign-
// extended to 32 bits), KQ_F16 (KQ_LANES halves); KQ_I (broadcast int), KQ_AND, KQ_OR, KQ_SRL,
// KQ_SLL, KQ_SUBI, KQ_ZEROI; KQ_CVT; KQ_FMA, KQ_ADD, KQ_SUB, KQ_MUL, KQ_BF (broadcast a float
// from memory), KQ_F (broadcast a constant), KQ_ZERO, KQ_STORE. Include inside a target attribute.
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
#define KQ_ZEROI() _mm256_setzero_si256()
#define KQ_CVT(a) _mm256_cvtepi32_ps(a)
#define KQ_FMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define KQ_ADD(a, b) _mm256_add_ps(a, b)
#define KQ_SUB(a, b) _mm256_sub_ps(a, b)
#define KQ_MUL(a, b) _mm256_mul_ps(a, b)
#define KQ_BF(p) _mm256_broadcast_ss(p)
#define KQ_F(v) _mm256_set1_ps(v)
#define KQ_ZERO() _mm256_setzero_ps()
#define KQ_STORE(p, v) _mm256_storeu_ps(p, v)
