// AVX2+FMA prefill-attention tile: 6 rows × 16 keys of scores and 3 rows × 32 dimensions of
// output per micro-tile (12 ymm accumulators each).
#include "attention_internal.h"
#if defined(__x86_64__)

#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define PA_NAME(x) x##_avx2
#define PA_RB 6
#define PA_NB 1
#define PA_VR 3
#define PA_VC 32
#include "prefill_attention_body.h"
#pragma clang attribute pop

pkv_prefill_tile_fn pkv_prefill_tile_avx2(void) { return tile_avx2; }
#else
pkv_prefill_tile_fn pkv_prefill_tile_avx2(void) { return pkv_prefill_tile_scalar(); }
#endif
