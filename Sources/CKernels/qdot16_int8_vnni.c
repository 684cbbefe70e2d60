// AVX512-VNNI int8-activation products on 16-row packed groups (qdot16_int8_body.h): vpermb turns
// four 16-byte payload slices into one dword per row, vpdpbusd adds its 4 byte products with x.
#pragma clang fp reassociate(off)
#include "qdot_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512vnni,avx512vbmi,fma,f16c"))), apply_to = function)
#define KQ_NAME(x) x##_vnni
#include "qdot16_kq_vec512.h"
#include "qdot16_slices4_vbmi.h"
#define I8_T4(b, k, h) PKV_SLICES4(b, k)
static inline int32_t i8_rd32(const int8_t *p) { int32_t v; __builtin_memcpy(&v, p, 4); return v; }
#define I8_DOT(acc, u, p) _mm512_dpbusd_epi32(acc, u, _mm512_set1_epi32(i8_rd32(p)))
// Bits 0–3 → bit 4 of bytes 0–3, by a 16-entry table (vpermd reads the index's low 4 bits).
static inline __m512i i8_spread4(__m512i v) {
    const __m512i table = _mm512_set_epi32(0x10101010, 0x10101000, 0x10100010, 0x10100000, 0x10001010, 0x10001000,
                                           0x10000010, 0x10000000, 0x00101010, 0x00101000, 0x00100010, 0x00100000,
                                           0x00001010, 0x00001000, 0x00000010, 0x00000000);
    return _mm512_permutexvar_epi32(v, table);
}
#define I8_SPREAD4(v) i8_spread4(v)
#include "qdot16_int8_body.h"
#pragma clang attribute pop

int pkv_cpu_has_vbmi(void) {
    __builtin_cpu_init();
    return pkv_cpu_level() >= 2 && __builtin_cpu_supports("avx512vbmi");
}

void pkv_fill_groups8_vnni(pkv_groups8_fn t[PKV_TYPE_SLOTS]) { fill8_vnni(t); }
#else
int pkv_cpu_has_vbmi(void) { return 0; }
void pkv_fill_groups8_vnni(pkv_groups8_fn t[PKV_TYPE_SLOTS]) { pkv_fill_groups8_scalar(t); }
#endif
