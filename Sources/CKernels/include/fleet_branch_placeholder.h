/* Placeholder header (branch `fleet`); delete when the engine branch lands. */
int ckernels_fleet_branch_placeholder(void);
