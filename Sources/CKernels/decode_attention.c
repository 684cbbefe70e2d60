// Decode attention: one new query row per head against each stream's cached K/V. The query
// heads that share a stream (a GQA group under the kv_head layout) read its K/V once.
// Work is split over the thread pool by stream and, when the streams do not divide evenly
// among the threads (3 KV heads on 2 threads), by key range within each stream: each range
// gets its own softmax, and the ranges are merged by their maxima and denominators
// (as flash-decoding does), so no thread waits on a whole extra stream.
#include "CKernels.h"
#include "attention_internal.h"
#include <math.h>
#include <stdlib.h>

#define PKV_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))

// Keys per range at least this many, so merging stays a small cost next to the scan.
#define PKV_MIN_KEYS_PER_RANGE 128

typedef struct {
    const pkv_kv_view *streams;
    int64_t g, d;
    const float *q;
    float *out, *scratch;
    const int64_t *scratch_offsets;
    float scale;
    int simd;             // the AVX-512 kernel serves this call (chosen with the matvec variant)
    int64_t ranges;       // key ranges per stream (1: no split)
    float *partial;       // ranges > 1: [stream][range][g][d] outputs, each softmax-normalised
    float *stats;         // ranges > 1: [stream][range][g] (max score, denominator)
} attention_job;

// softmax(q_h·Kᵀ·scale)·V over one view, for g heads; stats as in pkv_attend_stream_avx512.
PKV_CLONES
static void attend_generic(const pkv_kv_view *view, int64_t g, int64_t d, const float *q, float *out,
                           float *p, float scale, float *stats) {
    const int64_t n = view->count;
    const float *k = view->keys, *v = view->values;
    float kbuf[PKV_MAX_HEAD_DIM], vbuf[PKV_MAX_HEAD_DIM];
    for (int64_t t = 0; t < n; t++) {
        const float *kt = k ? k + t * d : (pkv_f16_to_f32_rows(view->half_keys + t * d, kbuf, d), kbuf);
        for (int64_t h = 0; h < g; h++) {
            const float *qh = q + h * d;
            float dot = 0.0f;
            for (int64_t i = 0; i < d; i++) dot += qh[i] * kt[i];
            p[h * n + t] = dot * scale;
        }
    }
    for (int64_t h = 0; h < g; h++) {
        float *ph = p + h * n;
        const float sum = pkv_exp_shifted(ph, n, stats ? stats + 2 * h : NULL);
        if (stats) stats[2 * h + 1] = sum;
        const float inv = 1.0f / sum;
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

// The keys [t0, t1) of a stream, as a view of their own.
static pkv_kv_view key_range(const pkv_kv_view *s, int64_t d, int64_t t0, int64_t t1) {
    pkv_kv_view r = *s;
    if (r.keys) { r.keys += t0 * d; r.values += t0 * d; }
    else { r.half_keys += t0 * d; r.half_values += t0 * d; }
    r.count = t1 - t0;
    return r;
}

// Work item i is range (i % ranges) of stream (i / ranges).
static void attention_part(void *ctx, int64_t begin, int64_t end) {
    const attention_job *j = ctx;
    const int64_t g = j->g, d = j->d;
    for (int64_t i = begin; i < end; i++) {
        const int64_t s = i / j->ranges, r = i % j->ranges, n = j->streams[s].count;
        const int64_t t0 = n * r / j->ranges, t1 = n * (r + 1) / j->ranges;
        const pkv_kv_view view = j->ranges == 1 ? j->streams[s] : key_range(&j->streams[s], d, t0, t1);
        const float *q = j->q + s * g * d;
        float *out = j->ranges == 1 ? j->out + s * g * d : j->partial + i * g * d;
        float *stats = j->ranges == 1 ? NULL : j->stats + i * 2 * g;
        float *p = j->scratch + j->scratch_offsets[s] + g * t0;
        // An empty stream attends to nothing (ranges > 1 only when every range has keys).
        if (view.count == 0) { for (int64_t k = 0; k < g * d; k++) out[k] = 0.0f; continue; }
        if (j->simd && pkv_attend_stream_avx512(&view, g, d, q, out, p, j->scale, stats)) continue;
        attend_generic(&view, g, d, q, out, p, j->scale, stats);
    }
}

// out = Σ_r w_r·o_r with w_r = e^{m_r − M}·l_r / Σ e^{m_r' − M}·l_r': each range's normalised
// output reweighted by its share of the whole stream's softmax mass.
static void merge_ranges(const attention_job *j, int64_t nstreams) {
    const int64_t g = j->g, d = j->d, R = j->ranges;
    for (int64_t s = 0; s < nstreams; s++)
        for (int64_t h = 0; h < g; h++) {
            float m = -INFINITY;
            for (int64_t r = 0; r < R; r++) {
                const float mr = j->stats[((s * R + r) * g + h) * 2];
                m = mr > m ? mr : m;
            }
            float w[PKV_MAX_THREADS_FOR_ATTENTION], total = 0.0f;
            for (int64_t r = 0; r < R; r++) {
                const float *st = j->stats + ((s * R + r) * g + h) * 2;
                w[r] = st[1] > 0.0f ? expf(st[0] - m) * st[1] : 0.0f;
                total += w[r];
            }
            float *o = j->out + (s * g + h) * d;
            for (int64_t i = 0; i < d; i++) o[i] = 0.0f;
            for (int64_t r = 0; r < R; r++) {
                const float *part = j->partial + ((s * R + r) * g + h) * d, wr = w[r] / total;
                for (int64_t i = 0; i < d; i++) o[i] += wr * part[i];
            }
        }
}

void pkv_decode_attention(const pkv_kv_view *streams, int64_t nstreams, int64_t heads_per_stream, int64_t d,
                          const float *q, float *out, float scale, float *scratch, const int64_t *scratch_offsets) {
    attention_job job = { streams, heads_per_stream, d, q, out, scratch, scratch_offsets, scale,
                          pkv_variant_current() == PKV_VARIANT_AVX512, 1, NULL, NULL };
    int64_t keys = 0, shortest = INT64_MAX;
    for (int64_t s = 0; s < nstreams; s++) {
        keys += streams[s].count;
        shortest = streams[s].count < shortest ? streams[s].count : shortest;
    }
    if (keys * heads_per_stream * d < 65536) { attention_part(&job, 0, nstreams); return; }
    const int64_t threads = pkv_pool_threads();
    if (threads > 1 && nstreams % threads != 0) {
        int64_t ranges = threads < PKV_MAX_THREADS_FOR_ATTENTION ? threads : PKV_MAX_THREADS_FOR_ATTENTION;
        if (shortest / ranges < PKV_MIN_KEYS_PER_RANGE) ranges = shortest / PKV_MIN_KEYS_PER_RANGE;
        if (ranges > 1) {
            const int64_t items = nstreams * ranges;
            job.partial = malloc(sizeof(float) * (size_t)(items * heads_per_stream * (d + 2)));
            if (job.partial) {
                job.stats = job.partial + items * heads_per_stream * d;
                job.ranges = ranges;
            }
        }
    }
    pkv_parallel_for(nstreams * job.ranges, attention_part, &job);
    if (job.ranges > 1) {
        merge_ranges(&job, nstreams);
        free(job.partial);
    }
}
