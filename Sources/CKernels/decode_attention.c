// Decode attention: one new query row per head against each stream's cached K/V. The query
// heads that share a stream (a GQA group under the kv_head layout) read its K/V once;
// streams are split over the thread pool.
#include "CKernels.h"
#include "attention_internal.h"
#include <math.h>

#define PKV_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))

typedef struct {
    const pkv_kv_view *streams;
    int64_t heads_per_stream, d;
    const float *q;
    float *out, *scratch;
    const int64_t *scratch_offsets;
    float scale;
    int simd;  // the AVX-512 kernel serves this call (chosen with the matvec variant)
} attention_job;

PKV_CLONES
static void attend_stream(const attention_job *j, int64_t s) {
    const int64_t g = j->heads_per_stream, d = j->d, n = j->streams[s].count;
    const pkv_kv_view *view = &j->streams[s];
    const float *k = view->keys, *v = view->values;
    float kbuf[PKV_MAX_HEAD_DIM], vbuf[PKV_MAX_HEAD_DIM];
    const float *q = j->q + s * g * d;
    float *out = j->out + s * g * d, *p = j->scratch + j->scratch_offsets[s];
    for (int64_t t = 0; t < n; t++) {
        const float *kt = k ? k + t * d : (pkv_f16_to_f32_rows(view->half_keys + t * d, kbuf, d), kbuf);
        for (int64_t h = 0; h < g; h++) {
            const float *qh = q + h * d;
            float dot = 0.0f;
            for (int64_t i = 0; i < d; i++) dot += qh[i] * kt[i];
            p[h * n + t] = dot * j->scale;
        }
    }
    for (int64_t h = 0; h < g; h++) {
        float *ph = p + h * n;
        float inv = 1.0f / pkv_exp_shifted(ph, n);
        for (int64_t t = 0; t < n; t++) ph[t] *= inv;
        float *oh = out + h * d;
        for (int64_t i = 0; i < d; i++) oh[i] = 0.0f;
    }
    for (int64_t t = 0; t < n; t++) {
        const float *vt = v ? v + t * d : (pkv_f16_to_f32_rows(view->half_values + t * d, vbuf, d), vbuf);
        for (int64_t h = 0; h < g; h++) {
            const float w = p[h * n + t];
            float *oh = out + h * d;
            for (int64_t i = 0; i < d; i++) oh[i] += w * vt[i];
        }
    }
}

static void attention_part(void *ctx, int64_t begin, int64_t end) {
    const attention_job *j = ctx;
    for (int64_t s = begin; s < end; s++) {
        const int64_t g = j->heads_per_stream, d = j->d;
        if (j->simd && pkv_attend_stream_avx512(&j->streams[s], g, d, j->q + s * g * d, j->out + s * g * d,
                                                j->scratch + j->scratch_offsets[s], j->scale)) continue;
        attend_stream(j, s);
    }
}

void pkv_decode_attention(const pkv_kv_view *streams, int64_t nstreams, int64_t heads_per_stream, int64_t d,
                          const float *q, float *out, float scale, float *scratch, const int64_t *scratch_offsets) {
    attention_job job = { streams, heads_per_stream, d, q, out, scratch, scratch_offsets, scale,
                          pkv_variant_current() == PKV_VARIANT_AVX512 };
    int64_t keys = 0;
    for (int64_t s = 0; s < nstreams; s++) keys += streams[s].count;
    if (keys * heads_per_stream * d < 65536) attention_part(&job, 0, nstreams);
    else pkv_parallel_for(nstreams, attention_part, &job);
}
