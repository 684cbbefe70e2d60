// CKernels: the engine's hot loops in C, so one binary runs fast on every fleet host. Two ways
// of choosing code for the CPU: the weight products (matrix-vector, int8, packed groups) and
// the attention kernels have AVX-512, AVX2 and portable variants in separate functions, picked
// at run time from the CPU's features through tables (pkv_variant_select, PYRAMIDKV_KERNEL);
// the small elementwise loops (norms, softmax, RoPE, f16) are compiled for x86-64-v4, x86-64-v3
// and baseline and picked by the dynamic loader (target_clones).
#ifndef PKV_CKERNELS_H
#define PKV_CKERNELS_H
#include <stdint.h>
#include <stddef.h>

// ---- dequantization (ggml block formats) ------------------------------------------
// `n` is the number of elements; it must be a multiple of the type's block size.
void pkv_dequant_f32(const void *src, float *dst, int64_t n);
void pkv_dequant_f16(const void *src, float *dst, int64_t n);
void pkv_dequant_bf16(const void *src, float *dst, int64_t n);
void pkv_dequant_q4_0(const void *src, float *dst, int64_t n);
void pkv_dequant_q4_1(const void *src, float *dst, int64_t n);
void pkv_dequant_q5_0(const void *src, float *dst, int64_t n);
void pkv_dequant_q5_1(const void *src, float *dst, int64_t n);
void pkv_dequant_q8_0(const void *src, float *dst, int64_t n);
void pkv_dequant_q4_k(const void *src, float *dst, int64_t n);
void pkv_dequant_q5_k(const void *src, float *dst, int64_t n);
void pkv_dequant_q6_k(const void *src, float *dst, int64_t n);
float pkv_f16_to_f32(uint16_t h);

// ---- elementwise ---------------------------------------------------------------------
// out[r] = x[r] / sqrt(mean(x[r]^2) + eps) * w, for `rows` rows of length n.
void pkv_rmsnorm(const float *x, const float *w, float *out, int64_t rows, int64_t n, float eps);
// gate = silu(gate) * up, elementwise.
void pkv_silu_mul(float *gate, const float *up, int64_t n);
// y += x
void pkv_add(float *y, const float *x, int64_t n);
// Adjacent-pair rotary embedding (llama.cpp "normal" mode, matching GGUF's permuted Q/K).
// x: rows × row_stride, the first heads·dim entries of each row rotated;
// cos/sin tables: rows × (dim/2).
void pkv_rope_pairs(float *x, int64_t rows, int64_t row_stride, int64_t heads, int64_t dim,
                    const float *cos_table, const float *sin_table);
// Rotate-half rotary embedding (transformers' default, llama.cpp's NEOX mode): dimension i
// turns with i + dim/2. Same arguments as pkv_rope_pairs.
void pkv_rope_halves(float *x, int64_t rows, int64_t row_stride, int64_t heads, int64_t dim,
                     const float *cos_table, const float *sin_table);
// Softmax of each row of s (rows × ld) over its first len[r] entries; entries past len[r]
// (up to `width`) are set to 0. Returns nothing; rows sum to 1.
void pkv_softmax_rows(float *s, int64_t rows, int64_t width, int64_t ld, const int64_t *len);
// Column sums of p (rows × width, leading dimension ld) added into acc (width).
void pkv_add_column_sums(const float *p, int64_t rows, int64_t width, int64_t ld, float *acc);
// Column maxima of p (rows × width, leading dimension ld) folded into acc (width): acc = max(acc, column).
void pkv_max_column(const float *p, int64_t rows, int64_t width, int64_t ld, float *acc);
// The largest of x[0..n) (-inf when n is 0).
float pkv_max(const float *x, int64_t n);
// Index of the largest element (first one on ties).
int64_t pkv_argmax(const float *x, int64_t n);
// Vectorisable exp approximation (rel. error < 2e-7 on [-87, 88]).
void pkv_exp_inplace(float *x, int64_t n);

// ---- kernel variants -----------------------------------------------------------------
// The matrix-vector kernels exist as a portable C variant and AVX2 and AVX-512 variants; one
// is chosen at run time (the best the CPU has, unless the engine is told otherwise).
enum { PKV_VARIANT_SCALAR = 0, PKV_VARIANT_AVX2 = 1, PKV_VARIANT_AVX512 = 2 };
int pkv_variant_supported(int variant);
int pkv_variant_best(void);
// 0 on success, -1 when this CPU cannot run `variant`.
int pkv_variant_select(int variant);
int pkv_variant_current(void);
const char *pkv_variant_name(int variant);

// ---- thread pool ---------------------------------------------------------------------
// Threads the kernels use, the caller included; returns the number actually running.
int pkv_pool_set_threads(int threads);
int pkv_pool_threads(void);
typedef void (*pkv_task_fn)(void *ctx, int64_t begin, int64_t end);
// Splits [0, n) into one contiguous range per thread and waits for all of them.
void pkv_parallel_for(int64_t n, pkv_task_fn fn, void *ctx);
// The pool thread running this code: 1..threads-1 on the workers, 0 on any other thread. Parts of
// one job that run at the same time have distinct indices, so a job can give each its own scratch.
int pkv_pool_worker_index(void);
// The nice value the process started with; every thread that runs kernels (pool workers and
// the callers of pkv_parallel_for) takes it, whatever libdispatch gave the caller's thread.
int pkv_process_nice(void);
// Gives the calling thread that nice value (once per thread; pkv_parallel_for does it itself).
void pkv_adopt_process_nice(void);
// The lowest and highest nice of the threads that took it so far; 0 when none has.
int pkv_kernel_threads_nice(int *lo, int *hi);
// How many times a pkv_parallel_for caller went to sleep waiting for other threads' parts.
int64_t pkv_pool_caller_sleeps(void);
// Reads `bytes` of `data` once on the pool (the decode roofline's probe); returns a checksum.
uint64_t pkv_stream_read(const void *data, int64_t bytes);

// ---- weights in their ggml type ------------------------------------------------------
// `rows` consecutive rows of one ggml type, `row_bytes` apart. A matrix is a stack of
// segments (Q|K|V fused, say), all with the same number of columns.
// `packed`, when not NULL, holds the same rows repacked 16 at a time (pkv_pack16); the
// fp32-activation products read it instead of `data`.
typedef struct {
    int32_t type;
    int64_t rows;
    int64_t row_bytes;
    const void *data;
    const void *packed;
} pkv_qsegment;

// ---- weights repacked for decode ---------------------------------------------------------
// Rows interleaved PKV_PACK_ROWS at a time, block by block (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K,
// Q5_K, Q6_K): one SIMD lane per row. The packed bytes are as many as the rows' (rows · row_bytes).
#define PKV_PACK_ROWS 16
// Whether `rows` rows of ggml type `type` can be packed.
int pkv_pack_supported(int type, int64_t rows);
void pkv_pack16(int type, const void *src, int64_t rows, int64_t row_bytes, void *dst);
// Row `row`'s GGUF bytes (row_bytes of them) from packed rows.
void pkv_unpack_row(int type, const void *packed, int64_t row_bytes, int64_t row, void *out);
// Activation precision of the matrix-vector products. F32 widens every weight block to fp32
// (results match dequantize-then-multiply up to summation order). INT8 quantizes x per
// 32-block to int8 (scale max|x|/127, as llama.cpp's Q8 activations) and takes exact integer
// dots for Q4_0, Q4_1 and Q8_0 weights; the other types stay fp32.
enum { PKV_ACTIVATIONS_F32 = 0, PKV_ACTIVATIONS_INT8 = 1 };
void pkv_activations_select(int mode);
int pkv_activations_current(void);
// The int8 kernel a variant runs on this CPU ("avx512-vnni", "avx2-maddubs", "scalar").
const char *pkv_int8_kernel_name(int variant);
// The kernel a product on weights of ggml type `type` (packed into 16-row groups or not) runs
// in a mode and variant (-1: the current one), e.g. "avx512-vnni int8 packed groups".
const char *pkv_product_kernel_name(int type, int packed, int activations, int variant);
// Whether AVX-512 fp32 products of packed Q4_K and Q6_K groups take the VBMI kernels (on by
// default; used only where the CPU has VBMI). Those are bit-identical to the plain AVX-512 ones,
// which switching them off runs, so tests and benchmarks can compare both on one CPU. Returns the
// previous setting.
int pkv_kq_vbmi_enable(int on);
int pkv_kq_vbmi_enabled(void);

// y = W·x, W the stacked segments with n columns. `variant` and `activations` -1 use the current.
void pkv_qmatvec(const pkv_qsegment *segs, int32_t nsegs, int64_t n, const float *x, float *y, int variant,
                 int activations);
// Y[t][·] = W·X[t] for rows_x activation rows (row t at x + t·ldx, its products at y + t·ldy)
// from int8 activations (prefill's fast mode): 1 when done, 0 (nothing computed) unless every
// segment is packed and its type has an int8 group kernel (Q5_0, Q5_1, Q4_K, Q5_K, Q6_K).
int pkv_qgemm8_supported(const pkv_qsegment *segs, int32_t nsegs, int variant);
int pkv_qgemm8(const pkv_qsegment *segs, int32_t nsegs, int64_t n, const float *x, int64_t ldx, int64_t rows_x, float *y,
               int64_t ldy, int variant);
// All rows of the stacked segments to fp32, row-major [rows][n] (bit-identical to pkv_dequant_*).
void pkv_qdequant(const pkv_qsegment *segs, int32_t nsegs, int64_t n, float *out);

// ---- decode attention ----------------------------------------------------------------
typedef struct {
    const float *keys;    // [count][d], or NULL when the stream is f16
    const float *values;  // [count][d]
    const uint16_t *half_keys;    // [count][d] f16, used when keys is NULL
    const uint16_t *half_values;
    int64_t count;
} pkv_kv_view;
// Head dimensions decode attention supports.
#define PKV_MAX_HEAD_DIM 512
// For every stream s, softmax(q_h·Kᵀ·scale)·V for its heads_per_stream query heads
// h = s·heads_per_stream …; q and out are [heads][d]. Stream s uses scratch from
// scratch_offsets[s] (heads_per_stream · count floats).
void pkv_decode_attention(const pkv_kv_view *streams, int64_t nstreams, int64_t heads_per_stream, int64_t d,
                          const float *q, float *out, float scale, float *scratch, const int64_t *scratch_offsets);

// ---- prefill attention ---------------------------------------------------------------
// Causal softmax(Q·Kᵀ·scale)·V for a chunk of `rows` query rows whose keys are the last `rows`
// entries of each stream (row r sees count − rows + r + 1 keys), fused: scores, softmax and the
// product with V tile by tile of query rows, the tiles split over the thread pool, so no
// score matrix wider than a tile is ever stored. Stream s serves query heads
// s·heads_per_stream …; head h of row r is q[r·q_ld + h·d], its output out[r·out_ld + h·d].
// Streams must be f32. `scratch` holds pkv_prefill_attention_scratch_floats(…) floats.
// (sized for the pool's current threads). `variant` -1 uses the current one. Returns 0, computing
// nothing, when d is not 64 or 128 or the scratch is smaller than that.
int64_t pkv_prefill_attention_scratch_floats(const pkv_kv_view *streams, int64_t nstreams, int64_t d);
int pkv_prefill_attention(const pkv_kv_view *streams, int64_t nstreams, int64_t heads_per_stream, int64_t d,
                          int64_t rows, const float *q, int64_t q_ld, float *out, int64_t out_ld, float scale,
                          float *scratch, int64_t scratch_floats, int variant);

// ---- f16 ------------------------------------------------------------------------------
// Round to nearest even (as numpy's astype(float16)).
void pkv_f32_to_f16(const float *src, uint16_t *dst, int64_t n);
void pkv_f16_to_f32_rows(const uint16_t *src, float *dst, int64_t n);

// ---- CPU features --------------------------------------------------------------------
// 2 = AVX-512 F/BW/DQ/VL, 1 = AVX2+FMA, 0 = baseline.
int pkv_cpu_level(void);
// Whether the CPU has AVX-512 VBMI (vpermb), which the VBMI kernels need.
int pkv_cpu_has_vbmi(void);

#endif
