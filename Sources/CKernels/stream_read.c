// The streaming-read ceiling of decode: how fast the thread pool reads a buffer once, split by
// the same row ranges as the matrix-vector kernels. A decode step that reads every weight and
// KV byte once can go no faster than this.
#include "CKernels.h"
#include <stdatomic.h>

typedef uint64_t pkv_u64x4 __attribute__((vector_size(32), aligned(8)));

typedef struct {
    const uint8_t *data;
    int64_t bytes;
    _Atomic uint64_t sink;
} stream_job;

enum { STREAM_CHUNK = 4096 };

static void stream_part(void *ctx, int64_t begin, int64_t end) {
    stream_job *j = ctx;
    pkv_u64x4 a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
    for (int64_t k = begin; k < end; k++) {
        const uint8_t *p = j->data + k * STREAM_CHUNK;
        int64_t len = j->bytes - k * STREAM_CHUNK < STREAM_CHUNK ? j->bytes - k * STREAM_CHUNK : STREAM_CHUNK;
        int64_t i = 0;
        for (; i + 128 <= len; i += 128) {
            pkv_u64x4 w, x, y, z;
            __builtin_memcpy(&w, p + i, 32);
            __builtin_memcpy(&x, p + i + 32, 32);
            __builtin_memcpy(&y, p + i + 64, 32);
            __builtin_memcpy(&z, p + i + 96, 32);
            a ^= w; b ^= x; c ^= y; d ^= z;
        }
        for (; i < len; i++) a[0] ^= p[i];
    }
    pkv_u64x4 s = a ^ b ^ c ^ d;
    atomic_fetch_xor(&j->sink, s[0] ^ s[1] ^ s[2] ^ s[3]);
}

uint64_t pkv_stream_read(const void *data, int64_t bytes) {
    if (bytes <= 0) return 0;
    stream_job job = { data, bytes, 0 };
    pkv_parallel_for((bytes + STREAM_CHUNK - 1) / STREAM_CHUNK, stream_part, &job);
    return atomic_load(&job.sink);
}
