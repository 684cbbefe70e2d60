// Portable prefill-attention tile (baseline ISA): 4 rows × 16 keys of scores and 2 rows ×
// 16 dimensions of output per micro-tile; the reference the SIMD variants follow.
#include "attention_internal.h"

#define PA_NAME(x) x##_scalar
#define PA_RB 4
#define PA_NB 1
#define PA_VR 2
#define PA_VC 16
#include "prefill_attention_body.h"

pkv_prefill_tile_fn pkv_prefill_tile_scalar(void) { return tile_scalar; }
