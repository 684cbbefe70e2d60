/* Placeholder so the package builds on branch `fleet` before the kernels land.
   The CKernels sources live on the engine branch; delete this file when merging. */
#include "fleet_branch_placeholder.h"
int ckernels_fleet_branch_placeholder(void) { return 0; }
