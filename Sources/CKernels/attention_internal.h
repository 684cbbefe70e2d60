// Internal to CKernels: the SIMD decode-attention kernels behind pkv_decode_attention.
#ifndef PKV_ATTENTION_INTERNAL_H
#define PKV_ATTENTION_INTERNAL_H
#include "CKernels.h"

// Head dimensions the SIMD kernels take (multiples of 16 up to this); others use the generic loop.
#define PKV_FAST_ATTENTION_MAX_DIM 256

// One stream's softmax(q_h·Kᵀ·scale)·V for its g query heads; p is [g][count] scratch.
// Returns 0 (and does nothing) when the shape is not one the kernel takes.
int pkv_attend_stream_avx512(const pkv_kv_view *view, int64_t g, int64_t d, const float *q, float *out,
                             float *p, float scale);
#endif
