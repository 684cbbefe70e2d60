#!/usr/bin/env bash
# The coordinator's pages in Debian's headless chromium: starts `pyramidkv coordinator` (with
# --inspect-models-dir, so the sample page recomputes kept positions) on loopback, runs two
# small needle sweeps through two `pyramidkv worker` processes on the real model (one with a
# needle holding <script> and quotes), then tools/ui_browser_test.py signs in through the form,
# asserts on each page's DOM and saves screenshots under OUT_DIR.
#   Usage: tools/ui-browser-test.sh [PYRAMIDKV_BINARY] [OUT_DIR]     (UPDATE_DOCS=1 copies the PNGs to docs/)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-.build/debug/pyramidkv}"
OUT="${2:-.build/ui-browser-test}"
CHROMIUM="${CHROMIUM:-chromium}"
command -v "$CHROMIUM" >/dev/null || { echo "ui-browser-test.sh: $CHROMIUM is not installed (apt-get install chromium)" >&2; exit 2; }
[ -x "$BIN" ] || { echo "ui-browser-test.sh: $BIN is not built" >&2; exit 2; }
HOME_DIR="${PYRAMIDKV_HOME:-$HOME/.cache/pyramidkv}"
[ -d "$HOME_DIR/models" ] || { echo "ui-browser-test.sh: no models under $HOME_DIR (scripts/fetch-assets)" >&2; exit 2; }
started=$(date +%s)
mkdir -p "$OUT"
dir="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT
printf 'ui-admin-%s' "$RANDOM$RANDOM$RANDOM" > "$dir/admin.token"
printf 'ui-worker-%s' "$RANDOM$RANDOM$RANDOM" > "$dir/worker.token"
port=$((20000 + RANDOM % 20000))
url="http://127.0.0.1:$port"
LOG_LEVEL=warning "$BIN" coordinator --db "$dir/fleet.sqlite" --listen "127.0.0.1:$port" \
  --admin-token-file "$dir/admin.token" --worker-token-file "$dir/worker.token" \
  --inspect-models-dir "$HOME_DIR/models" >"$dir/coordinator.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "listening on" "$dir/coordinator.log" && break; sleep 0.1; done
export PYRAMIDKV_COORDINATOR="$url" PYRAMIDKV_TOKEN="$(cat "$dir/admin.token")"
exp() { "$BIN" submit needle --json "$@" | python3 -c 'import json,sys; print(json.load(sys.stdin)["experiment"])'; }
main=$(exp --protocol chat --policies fullkv,snapkv,pyramidkv,streamingllm --budgets 64,128 \
  --lengths 500,1000 --depths 0,50,100 --shard-tokens 1500)
nasty=$'\nThe best thing to do in San Francisco is <script>window.__injected=true</script> "eat" a sandwich & sit in \'Dolores Park\'.\n'
sleep 1  # a later created_at, so "newest first" has an order to check
bad=$(exp --protocol chat --policies snapkv --budgets 64 --lengths 500 --depths 0,100 \
  --needle "$nasty" --answer "eat a sandwich and sit in Dolores Park")
for w in 1 2; do
  "$BIN" worker --token-file "$dir/worker.token" --threads 1 --worker-id "ui-host-$w" --exit-when-idle \
    >"$dir/worker-$w.log" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]:1}"; do wait "$p" || { echo "ui-browser-test.sh: a worker failed" >&2; cat "$dir"/worker-*.log >&2; exit 1; }; done
pids=("${pids[0]}")
echo "ui-browser-test.sh: sweeps $main and $bad finished in $(( $(date +%s) - started )) s"
status=0
python3 tools/ui_browser_test.py "$url" "$PYRAMIDKV_TOKEN" "$main" "$bad" "$nasty" "$OUT" || status=1
if [ "${UPDATE_DOCS:-0}" = 1 ] && [ $status = 0 ]; then cp "$OUT"/ui-*.png docs/; echo "ui-browser-test.sh: screenshots copied to docs/"; fi
kill -0 "${pids[0]}" 2>/dev/null || { echo "ui-browser-test.sh: the coordinator died" >&2; cat "$dir/coordinator.log" >&2; status=1; }
echo "ui-browser-test.sh: done in $(( $(date +%s) - started )) s"
exit $status
