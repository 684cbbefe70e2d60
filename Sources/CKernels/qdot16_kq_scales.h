// The sub-block scales and mins of a packed Q4_K/Q5_K super-block, one lane per row, shared by
// the fp32 and int8 group kernels (included after the vector words and KQ_NAME).

// Byte k of a packed block's payload for the lanes at h: slice k starts 16·k bytes in.
#ifndef KQ_SLICE
#define KQ_SLICE(b, k, h) ((b) + 16 * (k) + (h))
#endif

// The eight 6-bit scales and mins of a Q4_K/Q5_K super-block (ggml's get_scale_min_k4), from the
// 12 scale bytes at payload slice 0.
static inline __attribute__((always_inline)) void KQ_NAME(scales_k4)(const uint8_t *b, int h, kq_vi sc[8],
                                                                       kq_vi mn[8]) {
    const kq_vi m63 = KQ_I(63), m15 = KQ_I(15);
    kq_vi s[12];
    for (int k = 0; k < 12; k++) s[k] = KQ_U8(KQ_SLICE(b, k, h));
    for (int j = 0; j < 4; j++) {
        sc[j] = KQ_AND(s[j], m63);
        mn[j] = KQ_AND(s[j + 4], m63);
        sc[j + 4] = KQ_OR(KQ_AND(s[j + 8], m15), KQ_SLL(KQ_SRL(s[j], 6), 4));
        mn[j + 4] = KQ_OR(KQ_SRL(s[j + 8], 4), KQ_SLL(KQ_SRL(s[j + 4], 6), 4));
    }
}

