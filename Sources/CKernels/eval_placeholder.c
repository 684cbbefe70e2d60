// Placeholder so branch `eval` builds before the engine's kernels land on main.
// Delete when `git merge main` brings the real CKernels sources.
#include "ckernels_eval_placeholder.h"
int ckernels_eval_placeholder(void) { return 0; }
