// AVX-512 decode attention for one stream: scores for 16 cached keys at a time (their partial
// dot products reduced together by one transpose-add tree), softmax, then V accumulated one
// 16-dim column at a time with the group's heads in registers. K/V rows are f32 or f16.
#include "CKernels.h"
#include "attention_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,fma,f16c"))), apply_to = function)

// Lanes j of the result: the sum of all 16 lanes of v[j].
static inline __m512 sum16(const __m512 v[16]) {
    __m512 w[8], x[4], y[2];
    for (int k = 0; k < 8; k++)
        w[k] = _mm512_add_ps(_mm512_unpacklo_ps(v[2 * k], v[2 * k + 1]), _mm512_unpackhi_ps(v[2 * k], v[2 * k + 1]));
    for (int m = 0; m < 4; m++) {
        __m512d c = _mm512_castps_pd(w[2 * m]), e = _mm512_castps_pd(w[2 * m + 1]);
        x[m] = _mm512_add_ps(_mm512_castpd_ps(_mm512_unpacklo_pd(c, e)), _mm512_castpd_ps(_mm512_unpackhi_pd(c, e)));
    }
    for (int m = 0; m < 2; m++)
        y[m] = _mm512_add_ps(_mm512_shuffle_f32x4(x[2 * m], x[2 * m + 1], 0x88), _mm512_shuffle_f32x4(x[2 * m], x[2 * m + 1], 0xdd));
    return _mm512_add_ps(_mm512_shuffle_f32x4(y[0], y[1], 0x88), _mm512_shuffle_f32x4(y[0], y[1], 0xdd));
}

static inline __m512 load16(const float *f, const uint16_t *h, int64_t at) {
    return f ? _mm512_loadu_ps(f + at) : _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(h + at)));
}

// p[h][t] = scale · q_h·k_t for the 16 keys from t0; `rows` of them are real (the rest are zero).
// Each key's row is read front to back (all its chunks, then the next key): reading chunk c of
// all 16 keys first, with a software prefetch of the next block, left the K pass at 12 GB/s on
// one Zen 4 core where this order reaches about 17 (the hardware prefetcher follows it). Each
// accumulator sees its chunks in the same order either way, so the scores are unchanged.
static void scores16(const float *kf, const uint16_t *kh, int64_t t0, int64_t rows, int64_t d, int64_t g,
                     const float *q, float scale, float *p, int64_t n) {
    float pad[16 * PKV_FAST_ATTENTION_MAX_DIM] __attribute__((aligned(64)));
    const float *block = NULL;
    if (rows < 16) {  // the tail: copy the real rows into a zero block so one code path serves all
        memset(pad, 0, sizeof(float) * 16 * (size_t)d);
        for (int64_t j = 0; j < rows; j++)
            for (int64_t c = 0; c < d; c += 16) _mm512_storeu_ps(pad + j * d + c, load16(kf, kh, (t0 + j) * d + c));
        block = pad;
    }
    for (int64_t h = 0; h < g; h++) {
        const float *qh = q + h * d;
        __m512 acc[16];
        for (int j = 0; j < 16; j++) {
            acc[j] = _mm512_setzero_ps();
            for (int64_t c = 0; c < d; c += 16) {
                const __m512 kc = block ? _mm512_loadu_ps(block + j * d + c) : load16(kf, kh, (t0 + j) * d + c);
                acc[j] = _mm512_fmadd_ps(_mm512_loadu_ps(qh + c), kc, acc[j]);
            }
        }
        const __m512 s = _mm512_mul_ps(sum16(acc), _mm512_set1_ps(scale));
        _mm512_mask_storeu_ps(p + h * n + t0, (__mmask16)((1u << rows) - 1u), s);
    }
}

// out_h[c0 .. c0+16·CW) += Σ_t p[h][t]·v_t[same] over rows [t0, t1): G·CW accumulators stay in
// registers, and each row's CW 16-dim chunks are read together, so when CW covers the whole
// head (G·d/16 ≤ 24: a 3-head group of 64 dims, say) V is read once, front to back.
static inline __attribute__((always_inline)) void values_columns(const int G, const int CW, const float *vf,
                                                                  const uint16_t *vh, int64_t t0, int64_t t1,
                                                                  int64_t n, int64_t d, int64_t c0, const float *p,
                                                                  float *out) {
    __m512 acc[8][4];
    for (int h = 0; h < G; h++)
        for (int k = 0; k < CW; k++) acc[h][k] = _mm512_loadu_ps(out + h * d + c0 + 16 * k);
    for (int64_t t = t0; t < t1; t++) {
        __m512 vt[4];
        for (int k = 0; k < CW; k++) vt[k] = load16(vf, vh, t * d + c0 + 16 * k);
        for (int h = 0; h < G; h++) {
            const __m512 w = _mm512_set1_ps(p[h * n + t]);
            for (int k = 0; k < CW; k++) acc[h][k] = _mm512_fmadd_ps(w, vt[k], acc[h][k]);
        }
    }
    for (int h = 0; h < G; h++)
        for (int k = 0; k < CW; k++) _mm512_storeu_ps(out + h * d + c0 + 16 * k, acc[h][k]);
}

// The widest column group (in 16-dim chunks: 4, 2 or 1) that divides the head and keeps the
// group's accumulators within 24 registers.
static int64_t column_chunks(int64_t g, int64_t d) {
    for (int64_t cw = 4; cw > 1; cw /= 2)
        if ((d / 16) % cw == 0 && g * cw <= 24) return cw;
    return 1;
}

#define PKV_VALUES_CASE(G) \
    case G: \
        if (cw == 4) values_columns(G, 4, vf, vh, t0, t1, n, d, c, p, out); \
        else if (cw == 2) values_columns(G, 2, vf, vh, t0, t1, n, d, c, p, out); \
        else values_columns(G, 1, vf, vh, t0, t1, n, d, c, p, out); \
        break;

// V in blocks of rows small enough to stay in L1 while each column group passes over them
// (one pass, and no blocking needed, when a group covers the head).
#define PKV_V_BLOCK_BYTES 16384

int pkv_attend_stream_avx512(const pkv_kv_view *view, int64_t g, int64_t d, const float *q, float *out,
                             float *p, float scale, float *stats) {
    if (d % 16 != 0 || d > PKV_FAST_ATTENTION_MAX_DIM || g < 1 || g > 8) return 0;
    const int64_t n = view->count;
    const float *kf = view->keys, *vf = view->values;
    const uint16_t *kh = view->half_keys, *vh = view->half_values;
    for (int64_t t0 = 0; t0 < n; t0 += 16) scores16(kf, kh, t0, n - t0 < 16 ? n - t0 : 16, d, g, q, scale, p, n);
    float inv[8];
    for (int64_t h = 0; h < g; h++) {
        const float sum = pkv_exp_shifted(p + h * n, n, stats ? stats + 2 * h : NULL);
        if (stats) stats[2 * h + 1] = sum;
        inv[h] = 1.0f / sum;
    }
    memset(out, 0, sizeof(float) * (size_t)(g * d));
    const int64_t cw = column_chunks(g, d);
    const int64_t block = cw * 16 == d ? n : PKV_V_BLOCK_BYTES / (d * (vf ? 4 : 2));
    for (int64_t t0 = 0; t0 < n; t0 += block) {
        const int64_t t1 = t0 + block < n ? t0 + block : n;
        for (int64_t c = 0; c < d; c += 16 * cw) {
            switch (g) {
            PKV_VALUES_CASE(1) PKV_VALUES_CASE(2) PKV_VALUES_CASE(3) PKV_VALUES_CASE(4)
            PKV_VALUES_CASE(5) PKV_VALUES_CASE(6) PKV_VALUES_CASE(7)
            default: PKV_VALUES_CASE(8)
            }
        }
    }
    for (int64_t h = 0; h < g; h++)
        for (int64_t i = 0; i < d; i++) out[h * d + i] *= inv[h];
    return 1;
}

#pragma clang attribute pop
#else
int pkv_attend_stream_avx512(const pkv_kv_view *view, int64_t g, int64_t d, const float *q, float *out,
                             float *p, float scale, float *stats) {
    (void)view; (void)g; (void)d; (void)q; (void)out; (void)p; (void)scale; (void)stats;
    return 0;
}
#endif
