#!/usr/bin/env bash
# The HTTP API against schema/openapi.yaml, checked by a client nobody here wrote: schemathesis
# (`pip install schemathesis`) runs every check against a real `pyramidkv coordinator` on
# loopback (all its checks; tools/schemathesis.toml), once with the admin token and once with the worker token. Exits non-zero on any
# failure.   Usage: tools/schemathesis.sh [PYRAMIDKV_BINARY] [MAX_EXAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-.build/debug/pyramidkv}"
EXAMPLES="${2:-25}"
command -v st >/dev/null || { echo "schemathesis.sh: schemathesis is not installed (pip install schemathesis)" >&2; exit 2; }
[ -x "$BIN" ] || { echo "schemathesis.sh: $BIN is not built" >&2; exit 2; }
dir="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
printf 'st-admin-%s' "$RANDOM$RANDOM$RANDOM" > "$dir/admin.token"
printf 'st-worker-%s' "$RANDOM$RANDOM$RANDOM" > "$dir/worker.token"
port=$((20000 + RANDOM % 20000))
"$BIN" coordinator --db "$dir/fleet.sqlite" --listen "127.0.0.1:$port" \
  --admin-token-file "$dir/admin.token" --worker-token-file "$dir/worker.token" >"$dir/coordinator.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
    "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
status=0
for role in admin worker; do
  echo "schemathesis.sh: $role token"
  st --config-file tools/schemathesis.toml run schema/openapi.yaml --url "http://127.0.0.1:$port" \
    -H "Authorization: Bearer $(cat "$dir/$role.token")" --max-examples "$EXAMPLES" \
    --seed 20240601 --no-color >"$dir/st-$role.log" 2>&1 || { status=1; sed -n '/= FAILURES =/,/= WARNINGS =/p' "$dir/st-$role.log"; }
  tail -n 12 "$dir/st-$role.log"
done
if ! kill -0 "$pid" 2>/dev/null; then echo "schemathesis.sh: the coordinator died" >&2; cat "$dir/coordinator.log" >&2; status=1; fi
exit $status
