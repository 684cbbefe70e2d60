#!/usr/bin/env bash
# Starts one worker on each host of a list over ssh: `deploy/ssh/start-workers.sh hosts.txt`.
# hosts.txt: one host per line (`user@host` allowed, `#` comments). Each host needs the
# pyramidkv binary on PATH, the models in ~/pyramidkv-models and the worker token in
# ~/.config/pyramidkv/worker.token (mode 0600): the token never travels on a command line.
# Stop them with `deploy/ssh/start-workers.sh --stop hosts.txt` (SIGTERM: finish or release).
set -euo pipefail
action=start
if [[ "${1:-}" == "--stop" ]]; then action=stop; shift; fi
hosts_file=${1:?usage: start-workers.sh [--stop] HOSTS_FILE}
: "${PYRAMIDKV_COORDINATOR:?set PYRAMIDKV_COORDINATOR to the coordinator URL}"
threads=${THREADS:-2}

while read -r host; do
  host=${host%%#*}; host=${host//[[:space:]]/}
  [[ -z "$host" ]] && continue
  if [[ $action == stop ]]; then
    ssh -n "$host" 'test -f ~/.pyramidkv-worker.pid && kill -TERM "$(cat ~/.pyramidkv-worker.pid)" && rm -f ~/.pyramidkv-worker.pid' \
      && echo "$host: stop requested" || echo "$host: no worker running" >&2
    continue
  fi
  ssh -n "$host" "nohup pyramidkv worker --coordinator '$PYRAMIDKV_COORDINATOR' \
      --token-file ~/.config/pyramidkv/worker.token --models-dir ~/pyramidkv-models \
      --threads $threads > ~/pyramidkv-worker.log 2>&1 & echo \$! > ~/.pyramidkv-worker.pid" \
    && echo "$host: worker started (log ~/pyramidkv-worker.log)"
done < "$hosts_file"
