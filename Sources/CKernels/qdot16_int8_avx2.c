// AVX2 int8-activation products on 16-row packed groups (qdot16_int8_body.h), each group in two
// 8-row halves: byte unpacks turn four payload slices into one dword per row, and
// vpmaddubsw + vpmaddwd add its 4 byte products with x (no pair exceeds int16: quants < 64).
#pragma clang fp reassociate(off)
#include "qdot_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#define KQ_NAME(x) x##_avx2i8
#include "qdot16_kq_vec256.h"

static inline __m256i i8_t4(const uint8_t *s) {
    const __m128i a = _mm_loadl_epi64((const __m128i *)s), b = _mm_loadl_epi64((const __m128i *)(s + 16));
    const __m128i c = _mm_loadl_epi64((const __m128i *)(s + 32)), d = _mm_loadl_epi64((const __m128i *)(s + 48));
    const __m128i ab = _mm_unpacklo_epi8(a, b), cd = _mm_unpacklo_epi8(c, d);
    return _mm256_set_m128i(_mm_unpackhi_epi16(ab, cd), _mm_unpacklo_epi16(ab, cd));
}
#define I8_T4(b, k, h) i8_t4(KQ_SLICE(b, k, h))
static inline int32_t i8_rd32(const int8_t *p) { int32_t v; __builtin_memcpy(&v, p, 4); return v; }
static inline __m256i i8_dot(__m256i acc, __m256i u, const int8_t *p) {
    const __m256i pairs = _mm256_maddubs_epi16(u, _mm256_set1_epi32(i8_rd32(p)));
    return _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, _mm256_set1_epi16(1)));
}
#define I8_DOT(acc, u, p) i8_dot(acc, u, p)
// Bits 0–3 → bit 4 of bytes 0–3: one multiply places bit j at 8j + 4 (no two partial products
// share a bit, so nothing carries).
#define I8_SPREAD4(v) _mm256_and_si256(_mm256_mullo_epi32(_mm256_and_si256(v, _mm256_set1_epi32(15)), _mm256_set1_epi32(0x02040810)), _mm256_set1_epi32(0x10101010))
#include "qdot16_int8_body.h"
#pragma clang attribute pop

void pkv_fill_groups8_avx2(pkv_groups8_fn t[PKV_TYPE_SLOTS]) { fill8_avx2i8(t); }
#else
void pkv_fill_groups8_avx2(pkv_groups8_fn t[PKV_TYPE_SLOTS]) { pkv_fill_groups8_scalar(t); }
#endif
