// Four consecutive 16-byte payload slices of a packed group (qpack.c) as one dword per row, by
// one vpermb: output byte 4r + j takes slice j's byte r. Shared by the VBMI kernels (fp32 in
// qdot16_kq_vbmi.c, int8 in qdot16_int8_vnni.c); include inside a target attribute that has
// avx512vbmi; PKV_SLICES4 needs KQ_SLICE (qdot16_kq_scales.h) where it is used.
static inline __m512i pkv_slices4_index(void) {
    return _mm512_set_epi8(63, 47, 31, 15, 62, 46, 30, 14, 61, 45, 29, 13, 60, 44, 28, 12, 59, 43, 27, 11, 58, 42, 26, 10,
                           57, 41, 25, 9, 56, 40, 24, 8, 55, 39, 23, 7, 54, 38, 22, 6, 53, 37, 21, 5, 52, 36, 20, 4, 51, 35,
                           19, 3, 50, 34, 18, 2, 49, 33, 17, 1, 48, 32, 16, 0);
}
// Slices k … k+3 of block b, one dword per row.
#define PKV_SLICES4(b, k) _mm512_permutexvar_epi8(pkv_slices4_index(), _mm512_loadu_si512((const void *)KQ_SLICE(b, k, 0)))
