// Internal to CKernels: the per-variant row-dot kernels and their dispatch table.
#ifndef PKV_QDOT_INTERNAL_H
#define PKV_QDOT_INTERNAL_H
#include "CKernels.h"

#define PKV_TYPE_SLOTS 11

// y[r] = dot(row r of w, x) for r < rows. Rows are `row_bytes` apart and hold `n` elements in
// the kernel's ggml type; `xs` holds the sums of x over each 32-element block (Q4_1 needs them).
typedef void (*pkv_rows_fn)(const uint8_t *w, int64_t row_bytes, int64_t n, const float *x,
                            const float *xs, float *y, int64_t rows);

// The GGUF block of a type qpack.c packs: its bytes and elements, and its f16 fields (d; d and m
// for Q4_1, Q5_1 and the K-quants' d, dmin), `fields_at` bytes into the block (0, or 208 for
// Q6_K, whose d comes last); every other byte is payload (quants, high bits, sub-block scales),
// kept in the block's order. 0 for types it does not pack.
typedef struct {
    int64_t block_bytes;
    int64_t fields;
    int64_t fields_at;
    int64_t block_elements;
} pkv_pack_shape;

static inline int pkv_pack_shape_of(int type, pkv_pack_shape *s) {
    switch (type) {
    case 2: *s = (pkv_pack_shape){ 18, 1, 0, 32 }; return 1;     // Q4_0: d, qs[16]
    case 3: *s = (pkv_pack_shape){ 20, 2, 0, 32 }; return 1;     // Q4_1: d, m, qs[16]
    case 6: *s = (pkv_pack_shape){ 22, 1, 0, 32 }; return 1;     // Q5_0: d, qh[4], qs[16]
    case 7: *s = (pkv_pack_shape){ 24, 2, 0, 32 }; return 1;     // Q5_1: d, m, qh[4], qs[16]
    case 8: *s = (pkv_pack_shape){ 34, 1, 0, 32 }; return 1;     // Q8_0: d, qs[32]
    case 12: *s = (pkv_pack_shape){ 144, 2, 0, 256 }; return 1;  // Q4_K: d, dmin, scales[12], qs[128]
    case 13: *s = (pkv_pack_shape){ 176, 2, 0, 256 }; return 1;  // Q5_K: d, dmin, scales[12], qh[32], qs[128]
    case 14: *s = (pkv_pack_shape){ 210, 1, 208, 256 }; return 1; // Q6_K: ql[128], qh[64], scales[16], d
    default: return 0;
    }
}

// Payload bytes of a packed block: the GGUF block less its f16 fields.
static inline int64_t pkv_pack_payload(const pkv_pack_shape *s) { return s->block_bytes - 2 * s->fields; }

// Row r's GGUF block from one packed block of 16 rows (qpack.c's layout).
void pkv_unpack_block(const pkv_pack_shape *s, const uint8_t *packed_block, int r, uint8_t *out);

// y[16g + r] = dot(row r of packed group g, x) for g < groups (qpack.c's layout); groups are
// PKV_PACK_ROWS · row_bytes apart. Every type qpack.c packs has such kernels.
typedef void (*pkv_groups_fn)(const uint8_t *g, int64_t row_bytes, int64_t n, const float *x,
                              const float *xs, float *y, int64_t groups);
void pkv_fill_groups_scalar(pkv_groups_fn table[PKV_TYPE_SLOTS]);
void pkv_fill_groups_avx2(pkv_groups_fn table[PKV_TYPE_SLOTS]);
void pkv_fill_groups_avx512(pkv_groups_fn table[PKV_TYPE_SLOTS]);
// The K-quant, Q5_0 and Q5_1 group kernels (qdot16_kq_*.c), added to a variant's table.
void pkv_fill_groups_kq_scalar(pkv_groups_fn table[PKV_TYPE_SLOTS]);
void pkv_fill_groups_kq_avx2(pkv_groups_fn table[PKV_TYPE_SLOTS]);
void pkv_fill_groups_kq_avx512(pkv_groups_fn table[PKV_TYPE_SLOTS]);
// AVX-512 VBMI kernels for Q4_K and Q6_K (qdot16_kq_vbmi.c), bit-identical to the AVX-512 ones;
// they replace those two entries of an AVX-512 table.
void pkv_fill_groups_kq_vbmi(pkv_groups_fn table[PKV_TYPE_SLOTS]);

// How far ahead of a packed group stream the group kernels prefetch. With the hardware prefetcher
// alone, 2 Zen 4 threads read the default model's 66 MB of Q4_1 layers at 21 GB/s; prefetching
// 4 KB ahead they read 30 (0.5–8 KB were tried; 4–8 KB did best).
#ifndef PKV_GROUP_PREFETCH_AHEAD
#define PKV_GROUP_PREFETCH_AHEAD 4096
#endif
#ifndef PKV_GROUP_PREFETCH_LOCALITY
#define PKV_GROUP_PREFETCH_LOCALITY 3
#endif
// Prefetches one packed block's `bytes` that lie PKV_GROUP_PREFETCH_AHEAD past b. Past a
// matrix's end this touches nothing it needs, and a prefetch never faults.
static inline void pkv_prefetch_ahead(const uint8_t *b, int64_t bytes) {
    const uintptr_t at = (uintptr_t)b + PKV_GROUP_PREFETCH_AHEAD;
    for (int64_t l = 0; l < bytes; l += 64) __builtin_prefetch((const void *)(at + (uintptr_t)l), 0, PKV_GROUP_PREFETCH_LOCALITY);
}

// x quantized per 32-element block for the int8-activation kernels (as llama.cpp's Q8 activations):
// q = round(x/d) with d = max|x|/127. A weight's min term (Q4_1, Q5_1, Q4_K, Q5_K) meets the
// quantized block's sum d·Σq, as llama.cpp's Q8_1/Q8_K sums do, so the product is the dequantized
// weights times the quantized x: the exact Σx would leave the quants' all-positive part carrying
// x's rounding alone, and the error grows 2-3× (0.67 against 0.21 on SmolLM2's top-20 logits).
typedef struct {
    const int8_t *q;       // [n]
    const float *d;        // [n/32] scales
    const float *sum;      // [n/32] Σx over the block, fp32 (exact): fp32 kernels' blocks in int8 mode
    const float *dqsum;    // [n/32] d·Σq over the block (Σ of the quantized x): int8 kernels' min terms
    const int32_t *qsum;   // [n/32] Σq over the block
    const int32_t *qsum16; // [n/16] Σq over each half block (Q6_K's 16-element sub-blocks)
} pkv_xq8;

// y[r] = dot(row r of w, x) from int8 activations; only Q4_0, Q4_1 and Q8_0 have such kernels.
typedef void (*pkv_rows8_fn)(const uint8_t *w, int64_t row_bytes, int64_t n, const pkv_xq8 *x, float *y, int64_t rows);

void pkv_quantize_x8(const float *x, int64_t n, int8_t *q, float *d, float *sum, float *dqsum, int32_t *qsum,
                     int32_t *qsum16);
// Bytes the quantized form of `rows` activation rows of n elements takes, and those rows (row t
// at x + t·ldx) quantized into such a buffer (`buf`, 64-byte aligned), row after row in each
// array (q[t·n…], d[t·n/32…], …); the views point into it.
int64_t pkv_xq8_bytes(int64_t n, int64_t rows);
pkv_xq8 pkv_xq8_quantize(const float *x, int64_t ldx, int64_t n, int64_t rows, void *buf);

// y[t·ldy + 16g + r] = dot(row r of packed group g, activation row t) for t < rows_x, from int8
// activations (x[t] quantized as pkv_quantize_x8 does, n elements a row). The integers are those
// of pkv_groups8 in qdot16_int8_scalar.c; only the fp32 order of the per-block terms differs.
// Q5_0, Q5_1, Q4_K, Q5_K and Q6_K have such kernels.
typedef void (*pkv_groups8_fn)(const uint8_t *g, int64_t row_bytes, int64_t n, const pkv_xq8 *x, int64_t rows_x,
                               float *y, int64_t ldy, int64_t groups);
void pkv_fill_groups8_scalar(pkv_groups8_fn table[PKV_TYPE_SLOTS]);
void pkv_fill_groups8_avx2(pkv_groups8_fn table[PKV_TYPE_SLOTS]);
// AVX512-VNNI with VBMI (vpermb turns four byte slices into one dword per row).
void pkv_fill_groups8_vnni(pkv_groups8_fn table[PKV_TYPE_SLOTS]);
void pkv_fill_rows8_scalar(pkv_rows8_fn table[PKV_TYPE_SLOTS]);
void pkv_fill_rows8_avx2(pkv_rows8_fn table[PKV_TYPE_SLOTS]);
// AVX512-VNNI (vpdpbusd) on 256-bit vectors; needs avx512vl and avx512vnni.
void pkv_fill_rows8_vnni(pkv_rows8_fn table[PKV_TYPE_SLOTS]);
int pkv_cpu_has_vnni(void);

// Index of a ggml type in the tables below, or -1 when the type has no kernel.
int pkv_type_slot(int ggml_type);

// Filled by qdot_scalar.c, qdot_avx2.c and qdot_avx512.c.
void pkv_fill_rows_scalar(pkv_rows_fn table[PKV_TYPE_SLOTS]);
void pkv_fill_rows_avx2(pkv_rows_fn table[PKV_TYPE_SLOTS]);
void pkv_fill_rows_avx512(pkv_rows_fn table[PKV_TYPE_SLOTS]);

// fp32 dot products per variant (used for K-quants after a block is dequantized).
float pkv_dot_f32_scalar(const float *a, const float *b, int64_t n);

enum { SLOT_F32, SLOT_F16, SLOT_BF16, SLOT_Q4_0, SLOT_Q4_1, SLOT_Q8_0, SLOT_Q4_K, SLOT_Q5_K, SLOT_Q6_K, SLOT_Q5_0, SLOT_Q5_1 };

static inline uint16_t pkv_rd16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

// Rows of a block type without a dot kernel of its own (K-quants, Q5_0, Q5_1 in the file's
// layout; packed rows use the group kernels): dequantize one block into L1 and dot it with x.
#define PKV_BLOCK_ROWS(NAME, DEQUANT, BLOCK_ELEMENTS, BLOCK_BYTES, DOT)                         \
    static void NAME(const uint8_t *w, int64_t rb, int64_t n, const float *x, const float *xs, \
                     float *y, int64_t rows) {                                                 \
        (void)xs;                                                                              \
        float buf[BLOCK_ELEMENTS] __attribute__((aligned(64)));                                \
        for (int64_t r = 0; r < rows; r++) {                                                   \
            const uint8_t *b = w + r * rb;                                                     \
            float acc = 0.0f;                                                                  \
            for (int64_t i = 0; i < n / (BLOCK_ELEMENTS); i++) {                               \
                DEQUANT(b + i * (BLOCK_BYTES), buf, BLOCK_ELEMENTS);                           \
                acc += DOT(buf, x + (BLOCK_ELEMENTS) * i, BLOCK_ELEMENTS);                     \
            }                                                                                  \
            y[r] = acc;                                                                        \
        }                                                                                      \
    }
// Every file's row kernels for the types above, with its own fp32 dot.
#define PKV_BLOCK_ROWS_ALL(DOT)                                           \
    PKV_BLOCK_ROWS(rows_q4_k, pkv_dequant_q4_k, 256, 144, DOT)            \
    PKV_BLOCK_ROWS(rows_q5_k, pkv_dequant_q5_k, 256, 176, DOT)            \
    PKV_BLOCK_ROWS(rows_q6_k, pkv_dequant_q6_k, 256, 210, DOT)            \
    PKV_BLOCK_ROWS(rows_q5_0, pkv_dequant_q5_0, 32, 22, DOT)              \
    PKV_BLOCK_ROWS(rows_q5_1, pkv_dequant_q5_1, 32, 24, DOT)
#define PKV_BLOCK_ROWS_FILL(t)                                                              \
    do {                                                                                    \
        (t)[SLOT_Q4_K] = rows_q4_k; (t)[SLOT_Q5_K] = rows_q5_k; (t)[SLOT_Q6_K] = rows_q6_k; \
        (t)[SLOT_Q5_0] = rows_q5_0; (t)[SLOT_Q5_1] = rows_q5_1;                             \
    } while (0)

#endif
