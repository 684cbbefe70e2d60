// Matrix-vector products on weights kept in their ggml block type (or packed 16 rows at a time),
// split over the thread pool in 16-row units, with the SIMD variant chosen at run time.
#include "qdot_internal.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

// No partial product can be returned: say what could not be had, and stop.
static void pkv_out_of_memory(const char *what, int64_t bytes) {
    fprintf(stderr, "pyramidkv kernels: out of memory allocating %lld bytes for %s\n", (long long)bytes, what);
    abort();
}

static pkv_rows_fn tables[3][PKV_TYPE_SLOTS];
static pkv_rows8_fn tables8[3][PKV_TYPE_SLOTS];  // int8-activation kernels (Q4_0, Q4_1, Q8_0)
static pkv_groups_fn tables16[3][PKV_TYPE_SLOTS]; // packed 16-row groups (every type qpack.c packs)
static pkv_groups_fn tables16_vbmi[PKV_TYPE_SLOTS]; // AVX-512's, with the VBMI kernels where the CPU has VBMI
static _Atomic int kq_vbmi_on = 1;
static pkv_groups8_fn tables8g[3][PKV_TYPE_SLOTS]; // packed groups from int8 activations (K-quants, Q5)
static int tables_ready;
static int current_variant = -1;
static int current_activations = PKV_ACTIVATIONS_F32;

int pkv_type_slot(int t) {
    switch (t) {
    case 0: return SLOT_F32;
    case 1: return SLOT_F16;
    case 30: return SLOT_BF16;
    case 2: return SLOT_Q4_0;
    case 3: return SLOT_Q4_1;
    case 6: return SLOT_Q5_0;
    case 7: return SLOT_Q5_1;
    case 8: return SLOT_Q8_0;
    case 12: return SLOT_Q4_K;
    case 13: return SLOT_Q5_K;
    case 14: return SLOT_Q6_K;
    default: return -1;
    }
}

int pkv_variant_supported(int v) {
    switch (v) {
    case PKV_VARIANT_SCALAR: return 1;
    case PKV_VARIANT_AVX2:
#if defined(__x86_64__)
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
#else
        return 0;
#endif
    case PKV_VARIANT_AVX512: return pkv_cpu_level() >= 2;
    default: return 0;
    }
}

static void ensure_tables(void) {
    if (tables_ready) return;
    pkv_fill_rows_scalar(tables[PKV_VARIANT_SCALAR]);
    pkv_fill_rows_avx2(tables[PKV_VARIANT_AVX2]);
    pkv_fill_rows_avx512(tables[PKV_VARIANT_AVX512]);
    pkv_fill_groups_scalar(tables16[PKV_VARIANT_SCALAR]);
    pkv_fill_groups_avx2(tables16[PKV_VARIANT_AVX2]);
    pkv_fill_groups_avx512(tables16[PKV_VARIANT_AVX512]);
    pkv_fill_groups_kq_scalar(tables16[PKV_VARIANT_SCALAR]);
    pkv_fill_groups_kq_avx2(tables16[PKV_VARIANT_AVX2]);
    pkv_fill_groups_kq_avx512(tables16[PKV_VARIANT_AVX512]);
    for (int s = 0; s < PKV_TYPE_SLOTS; s++) tables16_vbmi[s] = tables16[PKV_VARIANT_AVX512][s];
    if (pkv_cpu_has_vbmi()) pkv_fill_groups_kq_vbmi(tables16_vbmi);
    pkv_fill_rows8_scalar(tables8[PKV_VARIANT_SCALAR]);
    pkv_fill_rows8_avx2(tables8[PKV_VARIANT_AVX2]);
    if (pkv_cpu_has_vnni()) pkv_fill_rows8_vnni(tables8[PKV_VARIANT_AVX512]);
    else pkv_fill_rows8_avx2(tables8[PKV_VARIANT_AVX512]);
    pkv_fill_groups8_scalar(tables8g[PKV_VARIANT_SCALAR]);
    pkv_fill_groups8_avx2(tables8g[PKV_VARIANT_AVX2]);
    if (pkv_cpu_has_vnni() && pkv_cpu_has_vbmi()) pkv_fill_groups8_vnni(tables8g[PKV_VARIANT_AVX512]);
    else pkv_fill_groups8_avx2(tables8g[PKV_VARIANT_AVX512]);
    tables_ready = 1;
}

int pkv_kq_vbmi_enable(int on) { return atomic_exchange(&kq_vbmi_on, on != 0); }
int pkv_kq_vbmi_enabled(void) { return atomic_load(&kq_vbmi_on); }

// The fp32 group table of a variant: AVX-512's takes the VBMI kernels unless they are switched off.
static pkv_groups_fn *groups_table(int variant) {
    return variant == PKV_VARIANT_AVX512 && atomic_load(&kq_vbmi_on) ? tables16_vbmi : tables16[variant];
}

int pkv_variant_best(void) {
    if (pkv_variant_supported(PKV_VARIANT_AVX512)) return PKV_VARIANT_AVX512;
    if (pkv_variant_supported(PKV_VARIANT_AVX2)) return PKV_VARIANT_AVX2;
    return PKV_VARIANT_SCALAR;
}

int pkv_variant_select(int v) {
    if (!pkv_variant_supported(v)) return -1;
    ensure_tables();
    current_variant = v;
    return 0;
}

int pkv_variant_current(void) {
    if (current_variant < 0) pkv_variant_select(pkv_variant_best());
    return current_variant;
}

const char *pkv_variant_name(int v) {
    switch (v) {
    case PKV_VARIANT_SCALAR: return "scalar";
    case PKV_VARIANT_AVX2: return "avx2";
    case PKV_VARIANT_AVX512: return "avx512";
    default: return "unknown";
    }
}

void pkv_activations_select(int mode) { current_activations = mode == PKV_ACTIVATIONS_INT8 ? mode : PKV_ACTIVATIONS_F32; }
int pkv_activations_current(void) { return current_activations; }

const char *pkv_int8_kernel_name(int variant) {
    switch (variant) {
    case PKV_VARIANT_SCALAR: return "scalar";
    case PKV_VARIANT_AVX2: return "avx2-maddubs";
    case PKV_VARIANT_AVX512: return pkv_cpu_has_vnni() ? "avx512-vnni" : "avx2-maddubs";
    default: return "unknown";
    }
}

typedef struct {
    const pkv_qsegment *segs;
    int32_t nsegs;
    int64_t n;
    const float *x, *xs;
    const pkv_xq8 *x8;  // NULL: fp32 activations for every segment
    float *y;
    pkv_rows_fn *table;
    pkv_rows8_fn *table8;
    pkv_groups_fn *table16;
    pkv_groups8_fn *table8g;
} matvec_job;

// Work is split in units of PKV_PACK_ROWS rows of one segment (the last unit of a segment may
// be shorter), so a packed group is never cut and every row is computed by the same kernel
// whatever the thread count.
static int64_t units_of(const pkv_qsegment *g) { return (g->rows + PKV_PACK_ROWS - 1) / PKV_PACK_ROWS; }

// Units [begin, end) of the stacked segments. With int8 activations a packed segment takes its
// int8 group kernel, an unpacked one its int8 row kernel (GGUF rows); a type with neither stays fp32.
static void matvec_part(void *ctx, int64_t begin, int64_t end) {
    const matvec_job *j = ctx;
    int64_t first_unit = 0, first_row = 0;
    for (int32_t s = 0; s < j->nsegs && first_unit < end; s++) {
        const pkv_qsegment *g = &j->segs[s];
        const int64_t units = units_of(g);
        const int64_t lo = begin > first_unit ? begin : first_unit, hi = end < first_unit + units ? end : first_unit + units;
        if (lo < hi) {
            const int slot = pkv_type_slot(g->type);
            const int64_t r0 = (lo - first_unit) * PKV_PACK_ROWS;
            const int64_t r1 = (hi - first_unit) * PKV_PACK_ROWS < g->rows ? (hi - first_unit) * PKV_PACK_ROWS : g->rows;
            float *y = j->y + first_row + r0;
            const uint8_t *packed = (const uint8_t *)g->packed + r0 * g->row_bytes;
            if (j->x8 && g->packed && j->table8g[slot])
                j->table8g[slot](packed, g->row_bytes, j->n, j->x8, 1, y, 0, (r1 - r0) / PKV_PACK_ROWS);
            else if (j->x8 && j->table8[slot])
                j->table8[slot]((const uint8_t *)g->data + r0 * g->row_bytes, g->row_bytes, j->n, j->x8, y, r1 - r0);
            else if (g->packed && j->table16[slot])
                j->table16[slot](packed, g->row_bytes, j->n, j->x, j->xs, y, (r1 - r0) / PKV_PACK_ROWS);
            else j->table[slot]((const uint8_t *)g->data + r0 * g->row_bytes, g->row_bytes, j->n, j->x, j->xs, y, r1 - r0);
        }
        first_unit += units;
        first_row += g->rows;
    }
}

// Below this many multiply-adds a product runs on the calling thread: waking workers costs more.
#define PKV_PARALLEL_MIN_MACS 65536

void pkv_qmatvec(const pkv_qsegment *segs, int32_t nsegs, int64_t n, const float *x, float *y, int variant,
                 int activations) {
    if (variant < 0) variant = pkv_variant_current();
    if (activations < 0) activations = current_activations;
    ensure_tables();
    int64_t rows = 0, units = 0;
    int int8 = 0;
    for (int32_t s = 0; s < nsegs; s++) {
        const int slot = pkv_type_slot(segs[s].type);
        rows += segs[s].rows;
        units += units_of(&segs[s]);
        if (activations == PKV_ACTIVATIONS_INT8 && (tables8[variant][slot] || (segs[s].packed && tables8g[variant][slot])))
            int8 = 1;
    }
    const int64_t blocks = n / 32;
    // One allocation for x's block sums (fp32) or its quantized form (whose sums are the same).
    const int64_t bytes = int8 ? pkv_xq8_bytes(n, 1) : blocks * (int64_t)sizeof(float);
    _Alignas(64) unsigned char stack[16384];
    unsigned char *buf = bytes <= (int64_t)sizeof stack ? stack : aligned_alloc(64, (size_t)(bytes + 63) / 64 * 64);
    if (!buf) pkv_out_of_memory("activation block sums", bytes);
    const float *xs;
    pkv_xq8 x8 = { 0 };
    if (int8) {
        x8 = pkv_xq8_quantize(x, n, n, 1, buf);
        xs = x8.sum;
    } else {
        float *sums = (float *)buf;
        for (int64_t b = 0; b < blocks; b++) {
            float s = 0.0f;
            for (int k = 0; k < 32; k++) s += x[32 * b + k];
            sums[b] = s;
        }
        xs = sums;
    }
    matvec_job job = { segs, nsegs, n, x, xs, int8 ? &x8 : NULL, y, tables[variant], tables8[variant], groups_table(variant),
                       tables8g[variant] };
    if (rows * n < PKV_PARALLEL_MIN_MACS) {
        pkv_adopt_process_nice();
        matvec_part(&job, 0, units);
    } else pkv_parallel_for(units, matvec_part, &job);
    if (buf != stack) free(buf);
}

const char *pkv_product_kernel_name(int type, int packed, int activations, int variant) {
    if (variant < 0) variant = pkv_variant_current();
    ensure_tables();
    const int slot = pkv_type_slot(type);
    if (slot < 0) return "none";
    static const char *names[3][4] = {
        { "scalar int8 packed groups", "scalar int8 rows", "scalar packed groups", "scalar rows" },
        { "avx2-maddubs int8 packed groups", "avx2-maddubs int8 rows", "avx2 packed groups", "avx2 rows" },
        { "avx512-vnni int8 packed groups", "avx512-vnni int8 rows", "avx512 packed groups", "avx512 rows" },
    };
    const int vnni = variant == PKV_VARIANT_AVX512 && pkv_cpu_has_vnni();
    const int row = variant == PKV_VARIANT_AVX512 && !vnni ? PKV_VARIANT_AVX2 : variant;  // AVX-512 without VNNI runs AVX2's int8
    if (activations == PKV_ACTIVATIONS_INT8 && packed && tables8g[variant][slot])
        return names[variant == PKV_VARIANT_AVX512 && !(vnni && pkv_cpu_has_vbmi()) ? PKV_VARIANT_AVX2 : variant][0];
    if (activations == PKV_ACTIVATIONS_INT8 && tables8[variant][slot]) return names[row][1];
    if (packed && groups_table(variant)[slot]) {
        if (variant == PKV_VARIANT_AVX512 && groups_table(variant)[slot] != tables16[variant][slot])
            return "avx512-vbmi packed groups";
        return names[variant][2];
    }
    return names[variant][3];
}

// ---- int8 products of many activation rows (prefill) ------------------------------------

int pkv_qgemm8_supported(const pkv_qsegment *segs, int32_t nsegs, int variant) {
    if (variant < 0) variant = pkv_variant_current();
    ensure_tables();
    for (int32_t s = 0; s < nsegs; s++)
        if (!segs[s].packed || !tables8g[variant][pkv_type_slot(segs[s].type)]) return 0;
    return nsegs > 0;
}

typedef struct {
    const pkv_qsegment *segs;
    int32_t nsegs;
    int64_t n, rows_x, ldy;
    const pkv_xq8 *x8;
    float *y;
    pkv_groups8_fn *table8g;
} gemm8_job;

// Groups [begin, end) of the stacked segments (every segment packed: whole groups only).
static void gemm8_part(void *ctx, int64_t begin, int64_t end) {
    const gemm8_job *j = ctx;
    int64_t first_group = 0, first_row = 0;
    for (int32_t s = 0; s < j->nsegs && first_group < end; s++) {
        const pkv_qsegment *g = &j->segs[s];
        const int64_t groups = g->rows / PKV_PACK_ROWS;
        const int64_t lo = begin > first_group ? begin : first_group, hi = end < first_group + groups ? end : first_group + groups;
        if (lo < hi)
            j->table8g[pkv_type_slot(g->type)]((const uint8_t *)g->packed + (lo - first_group) * PKV_PACK_ROWS * g->row_bytes,
                                               g->row_bytes, j->n, j->x8, j->rows_x,
                                               j->y + first_row + (lo - first_group) * PKV_PACK_ROWS, j->ldy, hi - lo);
        first_group += groups;
        first_row += g->rows;
    }
}

int pkv_qgemm8(const pkv_qsegment *segs, int32_t nsegs, int64_t n, const float *x, int64_t ldx, int64_t rows_x, float *y,
               int64_t ldy, int variant) {
    if (variant < 0) variant = pkv_variant_current();
    if (!pkv_qgemm8_supported(segs, nsegs, variant)) return 0;
    const int64_t bytes = pkv_xq8_bytes(n, rows_x);
    void *buf = aligned_alloc(64, (size_t)(bytes + 63) / 64 * 64);
    if (!buf) pkv_out_of_memory("quantized activation rows", bytes);
    const pkv_xq8 x8 = pkv_xq8_quantize(x, ldx, n, rows_x, buf);
    int64_t groups = 0;
    for (int32_t s = 0; s < nsegs; s++) groups += segs[s].rows / PKV_PACK_ROWS;
    gemm8_job job = { segs, nsegs, n, rows_x, ldy, &x8, y, tables8g[variant] };
    pkv_parallel_for(groups, gemm8_part, &job);
    free(buf);
    return 1;
}

// ---- dequantization of whole segments (prefill's per-layer fp32 panel) --------------------

static void dequant_segment(int type, const void *src, float *dst, int64_t count) {
    switch (type) {
    case 0: pkv_dequant_f32(src, dst, count); break;
    case 1: pkv_dequant_f16(src, dst, count); break;
    case 30: pkv_dequant_bf16(src, dst, count); break;
    case 2: pkv_dequant_q4_0(src, dst, count); break;
    case 3: pkv_dequant_q4_1(src, dst, count); break;
    case 6: pkv_dequant_q5_0(src, dst, count); break;
    case 7: pkv_dequant_q5_1(src, dst, count); break;
    case 8: pkv_dequant_q8_0(src, dst, count); break;
    case 12: pkv_dequant_q4_k(src, dst, count); break;
    case 13: pkv_dequant_q5_k(src, dst, count); break;
    case 14: pkv_dequant_q6_k(src, dst, count); break;
    default: break;
    }
}

typedef struct {
    const pkv_qsegment *segs;
    int32_t nsegs;
    int64_t n;
    float *out;
} dequant_job;

static void dequant_part(void *ctx, int64_t begin, int64_t end) {
    const dequant_job *j = ctx;
    int64_t first = 0;
    for (int32_t s = 0; s < j->nsegs && first < end; s++) {
        const pkv_qsegment *g = &j->segs[s];
        int64_t lo = begin > first ? begin : first, hi = end < first + g->rows ? end : first + g->rows;
        if (lo < hi && g->packed) {
            // Row by row back to the GGUF bytes, then ggml's dequantization: bit-identical.
            uint8_t stack_row[32768];
            uint8_t *row = (size_t)g->row_bytes <= sizeof stack_row ? stack_row : malloc((size_t)g->row_bytes);
            if (!row) pkv_out_of_memory("a packed row to dequantize", g->row_bytes);
            for (int64_t r = lo; r < hi; r++) {
                pkv_unpack_row(g->type, g->packed, g->row_bytes, r - first, row);
                dequant_segment(g->type, row, j->out + r * j->n, j->n);
            }
            if (row != stack_row) free(row);
        } else if (lo < hi)
            dequant_segment(g->type, (const uint8_t *)g->data + (lo - first) * g->row_bytes, j->out + lo * j->n, (hi - lo) * j->n);
        first += g->rows;
    }
}

void pkv_qdequant(const pkv_qsegment *segs, int32_t nsegs, int64_t n, float *out) {
    int64_t rows = 0;
    for (int32_t s = 0; s < nsegs; s++) rows += segs[s].rows;
    dequant_job job = { segs, nsegs, n, out };
    pkv_parallel_for(rows, dequant_part, &job);
}
