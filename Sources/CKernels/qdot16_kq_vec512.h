// The vector words of the packed-group kernel bodies (qdot16_kq_body.h, qdot16_int8_body.h) on
// 16 lanes (zmm): kq_vi / kq_vf integer / float vectors; KQ_U8, KQ_S8 (KQ_LANES bytes zero- / sign-
// extended to 32 bits), KQ_F16 (KQ_LANES halves); KQ_I (broadcast int), KQ_AND, KQ_OR, KQ_SRL,
// KQ_SLL, KQ_SUBI, KQ_ZEROI; KQ_CVT; KQ_FMA, KQ_ADD, KQ_SUB, KQ_MUL, KQ_BF (broadcast a float
// from memory), KQ_F (broadcast a constant), KQ_ZERO, KQ_STORE. Include inside a target attribute.
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
#define KQ_ZEROI() _mm512_setzero_si512()
#define KQ_CVT(a) _mm512_cvtepi32_ps(a)
#define KQ_FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define KQ_ADD(a, b) _mm512_add_ps(a, b)
#define KQ_SUB(a, b) _mm512_sub_ps(a, b)
#define KQ_MUL(a, b) _mm512_mul_ps(a, b)
#define KQ_BF(p) _mm512_set1_ps(*(p))
#define KQ_F(v) _mm512_set1_ps(v)
#define KQ_ZERO() _mm512_setzero_ps()
#define KQ_STORE(p, v) _mm512_storeu_ps(p, v)
