// Weights repacked at load for decode: 16 rows of one block type interleaved block by block, so
// one SIMD lane per row accumulates its dot product and a block's scales load as one vector
// (no per-block broadcasts or horizontal sums). Same bytes as the GGUF rows, rearranged:
//
//   group g = rows 16g … 16g+15; in it, block b = [payload byte k of rows 0..15, for each k]
//                                                 [f16 field f of rows 0..15, for each field]
//
// The payload is every byte of the GGUF block but its f16 fields (quants, high bits, a
// K-quant's packed sub-block scales), in the block's order; the fields are its scale (and
// min), also in the block's order (pkv_pack_shape_of).
#include "qdot_internal.h"
#include <string.h>

int pkv_pack_supported(int type, int64_t rows) {
    pkv_pack_shape s;
    return pkv_pack_shape_of(type, &s) && rows > 0 && rows % PKV_PACK_ROWS == 0;
}

// The GGUF offset of payload byte k (the fields sit at fields_at and are skipped).
static inline int64_t payload_offset(const pkv_pack_shape *s, int64_t k) {
    return k < s->fields_at ? k : k + 2 * s->fields;
}

// One block of 16 rows: `rows[r]` is row r's GGUF block, `out` the packed block.
static void pack_block(const pkv_pack_shape *s, const uint8_t *const rows[PKV_PACK_ROWS], uint8_t *out) {
    const int64_t payload = pkv_pack_payload(s);
    for (int64_t k = 0; k < payload; k++) {
        const int64_t at = payload_offset(s, k);
        for (int r = 0; r < PKV_PACK_ROWS; r++) out[k * PKV_PACK_ROWS + r] = rows[r][at];
    }
    uint8_t *fields = out + payload * PKV_PACK_ROWS;
    for (int64_t f = 0; f < s->fields; f++)
        for (int r = 0; r < PKV_PACK_ROWS; r++) memcpy(fields + (f * PKV_PACK_ROWS + r) * 2, rows[r] + s->fields_at + 2 * f, 2);
}

void pkv_unpack_block(const pkv_pack_shape *s, const uint8_t *block, int r, uint8_t *out) {
    const int64_t payload = pkv_pack_payload(s);
    for (int64_t f = 0; f < s->fields; f++)
        memcpy(out + s->fields_at + 2 * f, block + payload * PKV_PACK_ROWS + (f * PKV_PACK_ROWS + r) * 2, 2);
    for (int64_t k = 0; k < payload; k++) out[payload_offset(s, k)] = block[k * PKV_PACK_ROWS + r];
}

void pkv_pack16(int type, const void *src, int64_t rows, int64_t row_bytes, void *dst) {
    pkv_pack_shape s;
    if (!pkv_pack_supported(type, rows)) return;
    pkv_pack_shape_of(type, &s);
    const int64_t blocks = row_bytes / s.block_bytes;
    const uint8_t *in = src;
    uint8_t *out = dst;
    for (int64_t g = 0; g < rows / PKV_PACK_ROWS; g++) {
        for (int64_t b = 0; b < blocks; b++) {
            const uint8_t *block_rows[PKV_PACK_ROWS];
            for (int r = 0; r < PKV_PACK_ROWS; r++)
                block_rows[r] = in + (g * PKV_PACK_ROWS + r) * row_bytes + b * s.block_bytes;
            pack_block(&s, block_rows, out + (g * blocks + b) * PKV_PACK_ROWS * s.block_bytes);
        }
    }
}

void pkv_unpack_row(int type, const void *packed, int64_t row_bytes, int64_t row, void *out) {
    pkv_pack_shape s;
    if (!pkv_pack_shape_of(type, &s)) return;
    const int64_t blocks = row_bytes / s.block_bytes;
    const int64_t g = row / PKV_PACK_ROWS, r = row % PKV_PACK_ROWS;
    const uint8_t *group = (const uint8_t *)packed + g * PKV_PACK_ROWS * row_bytes;
    for (int64_t b = 0; b < blocks; b++)
        pkv_unpack_block(&s, group + b * PKV_PACK_ROWS * s.block_bytes, (int)r, (uint8_t *)out + b * s.block_bytes);
}
