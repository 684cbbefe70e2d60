// Internal to CKernels: the SIMD decode-attention kernels behind pkv_decode_attention.
#ifndef PKV_ATTENTION_INTERNAL_H
#define PKV_ATTENTION_INTERNAL_H
#include "CKernels.h"

// Key ranges a stream is split into at most (one per thread, up to this many).
#define PKV_MAX_THREADS_FOR_ATTENTION 16

// Head dimensions the SIMD kernels take (multiples of 16 up to this); others use the generic loop.
#define PKV_FAST_ATTENTION_MAX_DIM 256

// p[t] = exp(p[t] - max p) for t < n; returns Σ p[t] (the softmax's denominator) and, when
// max_out is not NULL, stores max p there.
static inline float pkv_exp_shifted(float *p, int64_t n, float *max_out) {
    const float m = pkv_max(p, n);
    float sum = 0.0f;
    for (int64_t t = 0; t < n; t++) p[t] -= m;
    pkv_exp_inplace(p, n);
    for (int64_t t = 0; t < n; t++) sum += p[t];
    if (max_out) *max_out = m;
    return sum;
}

// One stream's softmax(q_h·Kᵀ·scale)·V for its g query heads; p is [g][count] scratch.
// When stats is not NULL it receives, per head, the largest score and the softmax's
// denominator (stats[2h], stats[2h+1]), so outputs over parts of a stream can be merged.
// Returns 0 (and does nothing) when the shape is not one the kernel takes.
int pkv_attend_stream_avx512(const pkv_kv_view *view, int64_t g, int64_t d, const float *q, float *out,
                             float *p, float scale, float *stats);

// One prefill-attention tile (prefill_attention_body.h): q [tile_rows][d] (rows past `real` are
// zero padding), kt the stream's keys as transposed 16-key blocks ([d][16] each), v its values
// [count][d]; row r sees first_len + r keys. s is [tile_rows][lds] scratch, len [tile_rows],
// o [tile_rows][d] the output. d is 64 or 128; tile_rows a multiple of PKV_PREFILL_TILE_QUANTUM.
typedef void (*pkv_prefill_tile_fn)(const float *q, const float *kt, const float *v, int64_t d, int64_t tile_rows,
                                    int64_t real, int64_t first_len, float scale, float *s, int64_t lds, int64_t *len,
                                    float *o);
#define PKV_PREFILL_TILE_QUANTUM 24
pkv_prefill_tile_fn pkv_prefill_tile_scalar(void);
pkv_prefill_tile_fn pkv_prefill_tile_avx2(void);
pkv_prefill_tile_fn pkv_prefill_tile_avx512(void);
#endif
