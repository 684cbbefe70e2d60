// The int8-activation row dots shared by the AVX2 and AVX512-VNNI files: each includes this
// after defining `dot_u8s8(u, s)` (32 unsigned × signed bytes to 8 int32 lane sums) inside
// its own target attribute. Same integers as qdot_int8_scalar.c; two Q4_1 rows per pass share
// the loads of x.
#ifndef PKV_QDOT_INT8_BODY_H
#define PKV_QDOT_INT8_BODY_H

static inline float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

static inline __m256i nibbles(const uint8_t *qs) {
    const __m128i raw = _mm_loadu_si128((const __m128i *)qs);
    const __m256i both = _mm256_inserti128_si256(_mm256_castsi128_si256(raw), _mm_srli_epi16(raw, 4), 1);
    return _mm256_and_si256(both, _mm256_set1_epi8(0x0f));
}


// Q4_0: nibble·x less 8·x, lane by lane in integers (a float correction would cancel badly).
static void rows8_q4_0(const uint8_t *w, int64_t rb, int64_t n, const pkv_xq8 *x, float *y, int64_t rows) {
    const __m256i eight = _mm256_set1_epi8(8);
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *b = w + r * rb;
        __m256 acc = _mm256_setzero_ps();
        for (int64_t i = 0; i < n / 32; i++, b += 18) {
            const __m256i xq = _mm256_loadu_si256((const __m256i *)(x->q + 32 * i));
            const __m256i s = _mm256_sub_epi32(dot_u8s8(nibbles(b + 2), xq), dot_u8s8(eight, xq));
            acc = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(pkv_rd16(b)) * x->d[i]), _mm256_cvtepi32_ps(s), acc);
        }
        y[r] = hsum8(acc);
    }
}

// One Q4_1 block into acc; the min term (m · d·Σq, the quantized block's sum) accumulates apart.
static inline __m256 q4_1_block(const uint8_t *b, __m256i xq, float dx, float xsum, __m256 acc, float *mins) {
    const __m256i s = dot_u8s8(nibbles(b + 4), xq);
    int32_t dm_bits;
    __builtin_memcpy(&dm_bits, b, 4);
    const __m128 dm = _mm_cvtph_ps(_mm_cvtsi32_si128(dm_bits));
    *mins += _mm_cvtss_f32(_mm_movehdup_ps(dm)) * xsum;
    return _mm256_fmadd_ps(_mm256_set1_ps(_mm_cvtss_f32(dm) * dx), _mm256_cvtepi32_ps(s), acc);
}

static void rows8_q4_1(const uint8_t *w, int64_t rb, int64_t n, const pkv_xq8 *x, float *y, int64_t rows) {
    int64_t r = 0;
    for (; r + 2 <= rows; r += 2) {
        const uint8_t *b0 = w + r * rb, *b1 = b0 + rb;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
        float m0 = 0.0f, m1 = 0.0f;
        for (int64_t i = 0; i < n / 32; i++, b0 += 20, b1 += 20) {
            const __m256i xq = _mm256_loadu_si256((const __m256i *)(x->q + 32 * i));
            a0 = q4_1_block(b0, xq, x->d[i], x->dqsum[i], a0, &m0);
            a1 = q4_1_block(b1, xq, x->d[i], x->dqsum[i], a1, &m1);
        }
        y[r] = hsum8(a0) + m0;
        y[r + 1] = hsum8(a1) + m1;
    }
    for (; r < rows; r++) {
        const uint8_t *b0 = w + r * rb;
        __m256 a0 = _mm256_setzero_ps();
        float m0 = 0.0f;
        for (int64_t i = 0; i < n / 32; i++, b0 += 20)
            a0 = q4_1_block(b0, _mm256_loadu_si256((const __m256i *)(x->q + 32 * i)), x->d[i], x->dqsum[i], a0, &m0);
        y[r] = hsum8(a0) + m0;
    }
}

// Q8_0: |w| · (x·sign w), exact for every weight including -128.
static void rows8_q8_0(const uint8_t *w, int64_t rb, int64_t n, const pkv_xq8 *x, float *y, int64_t rows) {
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *b = w + r * rb;
        __m256 acc = _mm256_setzero_ps();
        for (int64_t i = 0; i < n / 32; i++, b += 34) {
            const __m256i q = _mm256_loadu_si256((const __m256i *)(b + 2));
            const __m256i xq = _mm256_loadu_si256((const __m256i *)(x->q + 32 * i));
            const __m256i s = dot_u8s8(_mm256_abs_epi8(q), _mm256_sign_epi8(xq, q));
            acc = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(pkv_rd16(b)) * x->d[i]), _mm256_cvtepi32_ps(s), acc);
        }
        y[r] = hsum8(acc);
    }
}

#endif
