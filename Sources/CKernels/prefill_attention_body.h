// The fused prefill-attention tile, shared by the AVX-512, AVX2 and portable files: each
// includes this inside its own target attribute after defining
//   PA_NAME(x)   the variant's suffix for x,
//   PA_RB, PA_NB the score micro-tile (PA_RB query rows × PA_NB blocks of 16 keys),
//   PA_VR, PA_VC the output micro-tile (PA_VR rows × PA_VC dimensions),
// sized so a micro-tile's accumulators fit the variant's registers. The loops have constant
// bounds, so the compiler keeps the accumulators in registers and vectorises the inner one.
// A file that defines PA_OWN_MICRO brings its own scores_micro and values_micro (intrinsics).
#ifndef PKV_PREFILL_ATTENTION_BODY_H
#define PKV_PREFILL_ATTENTION_BODY_H
#define PA_ALWAYS_INLINE __attribute__((always_inline)) inline
#endif

#ifndef PA_OWN_MICRO
// s[r][16·b + j] = scale · q_r · k_(16b+j) for PA_RB rows and nb ≤ PA_NB key blocks, k from
// the transposed blocks (block b is [D][16]).
static PA_ALWAYS_INLINE void PA_NAME(scores_micro)(const float *q, const float *kt, int64_t D, int nb,
                                                   float scale, float *s, int64_t lds) {
    float acc[PA_RB][PA_NB * 16];
    for (int r = 0; r < PA_RB; r++)
        for (int j = 0; j < PA_NB * 16; j++) acc[r][j] = 0.0f;
    for (int64_t dd = 0; dd < D; dd++) {
        for (int b = 0; b < PA_NB; b++) {
            if (b >= nb) break;
            const float *kv = kt + b * 16 * D + dd * 16;
            for (int r = 0; r < PA_RB; r++) {
                const float qv = q[r * D + dd];
                for (int j = 0; j < 16; j++) acc[r][b * 16 + j] += qv * kv[j];
            }
        }
    }
    for (int r = 0; r < PA_RB; r++)
        for (int b = 0; b < PA_NB; b++) {
            if (b >= nb) break;
            for (int j = 0; j < 16; j++) s[r * lds + b * 16 + j] = acc[r][b * 16 + j] * scale;
        }
}

// o[r][c0 + c] (+)= Σ_{j0 ≤ j < j1} p[r][j] · v[j][c0 + c] for PA_VR rows and PA_VC dimensions.
static PA_ALWAYS_INLINE void PA_NAME(values_micro)(const float *p, int64_t ldp, const float *v, int64_t D,
                                                   int64_t j0, int64_t j1, float *o, int first) {
    float acc[PA_VR][PA_VC];
    for (int r = 0; r < PA_VR; r++)
        for (int c = 0; c < PA_VC; c++) acc[r][c] = first ? 0.0f : o[r * D + c];
    for (int64_t j = j0; j < j1; j++) {
        const float *vj = v + j * D;
        for (int r = 0; r < PA_VR; r++) {
            const float pr = p[r * ldp + j];
            for (int c = 0; c < PA_VC; c++) acc[r][c] += pr * vj[c];
        }
    }
    for (int r = 0; r < PA_VR; r++)
        for (int c = 0; c < PA_VC; c++) o[r * D + c] = acc[r][c];
}
#endif

// One tile of `tile_rows` (a multiple of PA_RB and PA_VR) query rows: rows of q are
// [tile_rows][D] (rows past `real` are padding), scores s [tile_rows][lds], output o
// [tile_rows][D]. Row r sees `first_len + r` keys; the tile's width is first_len + real − 1.
static PA_ALWAYS_INLINE void PA_NAME(tile_d)(const float *q, const float *kt, const float *v, int64_t D,
                                             int64_t tile_rows, int64_t real, int64_t first_len, float scale,
                                             float *s, int64_t lds, int64_t *len, float *o) {
    const int64_t width = first_len + real - 1, blocks = (width + 15) / 16;
    // Scores, a chunk of keys at a time so its transposed blocks stay in L1 for every row block.
    enum { CHUNK_BLOCKS = 6 * PA_NB };
    for (int64_t b0 = 0; b0 < blocks; b0 += CHUNK_BLOCKS) {
        const int64_t b1 = b0 + CHUNK_BLOCKS < blocks ? b0 + CHUNK_BLOCKS : blocks;
        for (int64_t r0 = 0; r0 < tile_rows && r0 < real; r0 += PA_RB) {
            // Keys past the block's longest row are masked below: no need to score them.
            const int64_t longest = first_len + r0 + PA_RB - 1;
            const int64_t last = (longest + 15) / 16 < b1 ? (longest + 15) / 16 : b1;
            for (int64_t b = b0; b < last; b += PA_NB) {
                const int nb = last - b < PA_NB ? (int)(last - b) : PA_NB;
                PA_NAME(scores_micro)(q + r0 * D, kt + b * 16 * D, D, nb, scale, s + r0 * lds + b * 16, lds);
            }
        }
    }
    for (int64_t r = 0; r < real; r++) len[r] = first_len + r;
    pkv_softmax_rows(s, real, width, lds, len);
    // Output, a chunk of values at a time, accumulated into o across chunks.
    enum { VALUE_CHUNK = 128 };
    for (int64_t j0 = 0; j0 < width; j0 += VALUE_CHUNK) {
        const int64_t j1 = j0 + VALUE_CHUNK < width ? j0 + VALUE_CHUNK : width;
        for (int64_t r0 = 0; r0 < tile_rows && r0 < real; r0 += PA_VR) {
            const int64_t longest = first_len + r0 + PA_VR - 1;
            const int64_t end = longest < j1 ? longest : j1;
            for (int64_t c0 = 0; c0 < D; c0 += PA_VC)
                PA_NAME(values_micro)(s + r0 * lds, lds, v + c0, D, j0, end > j0 ? end : j0, o + r0 * D + c0, j0 == 0);
        }
    }
}

// The tile for this call's head dimension, a compile-time constant: 64 or 128 (PA_VC divides both).
static void PA_NAME(tile)(const float *q, const float *kt, const float *v, int64_t D, int64_t tile_rows,
                          int64_t real, int64_t first_len, float scale, float *s, int64_t lds, int64_t *len, float *o) {
    if (D == 64) PA_NAME(tile_d)(q, kt, v, 64, tile_rows, real, first_len, scale, s, lds, len, o);
    else PA_NAME(tile_d)(q, kt, v, 128, tile_rows, real, first_len, scale, s, lds, len, o);
}
