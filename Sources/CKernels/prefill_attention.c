// Fused prefill attention (see CKernels.h): each stream's keys are first transposed into
// 16-key blocks ([d][16], so a score micro-tile is broadcast-FMA over 16 keys at once), then
// every (query head, tile of query rows) is one work item: its scores, softmax and product
// with V run on one thread in that thread's slab of the scratch, the score tile staying in L2.
// The softmax is pkv_softmax_rows, so a tile's probabilities are those the BLAS path computes.
#include "CKernels.h"
#include "attention_internal.h"
#include <string.h>

// Query rows per tile: more rows reuse each key block more, fewer keep the score tile
// (rows × keys floats) inside L2 at long contexts.
static int64_t tile_rows_for(int64_t keys) {
    return keys * 48 * (int64_t)sizeof(float) <= 512 * 1024 ? 48 : PKV_PREFILL_TILE_QUANTUM;
}

static int64_t padded16(int64_t n) { return (n + 15) / 16 * 16; }

// One thread's slab: q tile, output tile, row lengths, score tile.
static int64_t slab_floats(int64_t keys, int64_t d) {
    const int64_t t = tile_rows_for(keys);
    return 2 * t * d + 2 * t + t * padded16(keys);
}

static int64_t longest_stream(const pkv_kv_view *streams, int64_t nstreams) {
    int64_t m = 0;
    for (int64_t s = 0; s < nstreams; s++) m = streams[s].count > m ? streams[s].count : m;
    return m;
}

int64_t pkv_prefill_attention_scratch_floats(const pkv_kv_view *streams, int64_t nstreams, int64_t d) {
    int64_t keys = 0;
    for (int64_t s = 0; s < nstreams; s++) keys += padded16(streams[s].count);
    return keys * d + pkv_pool_threads() * slab_floats(longest_stream(streams, nstreams), d);
}

typedef struct {
    const pkv_kv_view *streams;
    int64_t nstreams, g, d, rows, q_ld, out_ld, tiles, tile_rows, slab;
    const float *q;
    float *out, *kt, *slabs;
    const int64_t *kt_offsets;   // [stream] first float of its transposed blocks in kt
    float scale;
    pkv_prefill_tile_fn tile;
} prefill_job;

// Work item i: stream i / blocks_per_stream's block, found by scanning the offsets.
static void transpose_part(void *ctx, int64_t begin, int64_t end) {
    const prefill_job *j = ctx;
    const int64_t d = j->d;
    int64_t s = 0;
    for (int64_t i = begin; i < end; i++) {
        while ((i + 1) * 16 * d > j->kt_offsets[s + 1]) s++;
        const int64_t b = i - j->kt_offsets[s] / (16 * d), t0 = 16 * b, n = j->streams[s].count - t0;
        const float *k = j->streams[s].keys + t0 * d;
        float *blk = j->kt + i * 16 * d;
        for (int64_t t = 0; t < 16; t++) {
            if (t < n) for (int64_t c = 0; c < d; c++) blk[c * 16 + t] = k[t * d + c];
            else for (int64_t c = 0; c < d; c++) blk[c * 16 + t] = 0.0f;
        }
    }
}

// Work item i: query head i / tiles, rows of tile i % tiles.
static void attend_part(void *ctx, int64_t begin, int64_t end) {
    const prefill_job *j = ctx;
    const int64_t d = j->d, T = j->tile_rows;
    float *slab = j->slabs + pkv_pool_worker_index() * j->slab;
    float *qt = slab, *ot = qt + T * d, *s = ot + T * d + 2 * T;
    int64_t *len = (int64_t *)(ot + T * d);
    for (int64_t i = begin; i < end; i++) {
        const int64_t h = i / j->tiles, r0 = (i % j->tiles) * T, stream = h / j->g;
        const int64_t real = j->rows - r0 < T ? j->rows - r0 : T;
        const pkv_kv_view *v = &j->streams[stream];
        const int64_t first_len = v->count - j->rows + r0 + 1;
        for (int64_t r = 0; r < T; r++) {
            if (r < real) memcpy(qt + r * d, j->q + (r0 + r) * j->q_ld + h * d, sizeof(float) * (size_t)d);
            else memset(qt + r * d, 0, sizeof(float) * (size_t)d);
        }
        j->tile(qt, j->kt + j->kt_offsets[stream], v->values, d, T, real, first_len, j->scale, s,
                padded16(first_len + real - 1), len, ot);
        for (int64_t r = 0; r < real; r++)
            memcpy(j->out + (r0 + r) * j->out_ld + h * d, ot + r * d, sizeof(float) * (size_t)d);
    }
}

int pkv_prefill_attention(const pkv_kv_view *streams, int64_t nstreams, int64_t heads_per_stream, int64_t d,
                          int64_t rows, const float *q, int64_t q_ld, float *out, int64_t out_ld, float scale,
                          float *scratch, int64_t scratch_floats, int variant) {
    if (d != 64 && d != 128) return 0;
    if (scratch_floats < pkv_prefill_attention_scratch_floats(streams, nstreams, d)) return 0;
    if (rows <= 0 || nstreams <= 0) return 1;
    if (variant < 0) variant = pkv_variant_current();
    int64_t offsets[nstreams + 1];
    offsets[0] = 0;
    for (int64_t s = 0; s < nstreams; s++) offsets[s + 1] = offsets[s] + padded16(streams[s].count) * d;
    const int64_t keys = longest_stream(streams, nstreams), T = tile_rows_for(keys);
    prefill_job job = {
        .streams = streams, .nstreams = nstreams, .g = heads_per_stream, .d = d, .rows = rows,
        .q_ld = q_ld, .out_ld = out_ld, .tiles = (rows + T - 1) / T, .tile_rows = T,
        .slab = slab_floats(keys, d), .q = q, .out = out, .kt = scratch, .slabs = scratch + offsets[nstreams],
        .kt_offsets = offsets, .scale = scale,
        .tile = variant == PKV_VARIANT_AVX512 ? pkv_prefill_tile_avx512()
              : variant == PKV_VARIANT_AVX2 ? pkv_prefill_tile_avx2() : pkv_prefill_tile_scalar(),
    };
    pkv_parallel_for(offsets[nstreams] / (16 * d), transpose_part, &job);
    pkv_parallel_for(nstreams * heads_per_stream * job.tiles, attend_part, &job);
    return 1;
}
