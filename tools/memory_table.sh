#!/usr/bin/env bash
# KV bytes and peak RSS per policy and budget for one long prompt (the paper's memory table,
# on this model): one fresh process per cell so each peak RSS is its own. Timing is not reported:
# this measures memory, so it may run niced next to other work.
# Usage: [KV_DTYPE=f32|f16] tools/memory_table.sh [CONTEXT] [BUDGETS] [POLICIES]   (needs a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${PYRAMIDKV_BIN:-.build/release/pyramidkv}"
CONTEXT="${1:-8000}"
BUDGETS="${2:-64 128 256 512 2048}"
POLICIES="${3:-streamingllm h2o snapkv pyramidkv adakv l2norm tova keydiff chunkkv expected_attention cam kvzip}"
KV_DTYPE="${KV_DTYPE:-f32}"
row() {  # policy budget layout
  local args=(--context "$CONTEXT" --decode 1 --kv-dtype "$KV_DTYPE" --json)
  [ "$1" = fullkv ] || args+=(--policy "$1" --budget "$2")
  "$BIN" bench "${args[@]}" --layout "$3" | python3 -c '
import json, sys
r = json.load(sys.stdin); row = r["rows"][0]
policy, budget, layout = sys.argv[1:4]
kv = row["kv_bytes"] / 2**20
rss = row["peak_rss_mib"]
print(f"| {policy} | {budget} | {layout} | {kv:.1f} | {rss:.0f} |")
' "$1" "$2" "$3"
}
echo "Prompt: $CONTEXT tokens (haystack essays), KV cache $KV_DTYPE. One process per row."
echo
echo "| policy | budget | layout | KV MiB | peak RSS MiB |"
echo "|---|---|---|---|---|"
row fullkv - kv_head
row fullkv - query_head
for p in $POLICIES; do
  for b in $BUDGETS; do row "$p" "$b" query_head; done
done
for b in $BUDGETS; do row snapkv "$b" kv_head; done
