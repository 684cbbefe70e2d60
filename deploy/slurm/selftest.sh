#!/usr/bin/env bash
# A real single-node Slurm cluster on this machine, and the worker array job through it:
# generates a munge key, starts munged, slurmctld and slurmd on loopback from a minimal
# slurm.conf in a temporary directory (nothing under /etc is touched), starts the coordinator,
# submits deploy/slurm/pyramidkv-workers.sbatch as an array of N workers, waits for a small
# needle sweep to finish through them, scancels the array, and checks that every sample of the
# sweep is stored exactly once and that every array task reached the coordinator.
#   Usage: deploy/slurm/selftest.sh [PYRAMIDKV_BINARY] [N]      (needs root, slurm-wlm, munge)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="$(realpath "${1:-.build/debug/pyramidkv}")"
N="${2:-2}"
HOME_DIR="${PYRAMIDKV_HOME:-$HOME/.cache/pyramidkv}"
for tool in munged slurmctld slurmd sbatch squeue scancel python3; do
  command -v "$tool" >/dev/null || { echo "selftest: $tool is missing (apt-get install slurm-wlm munge)" >&2; exit 2; }
done
[ -x "$BIN" ] || { echo "selftest: $BIN is not built" >&2; exit 2; }
[ -d "$HOME_DIR/models" ] || { echo "selftest: no models under $HOME_DIR (scripts/fetch-assets)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "selftest: runs slurmd, which needs root" >&2; exit 2; }
started=$(date +%s)
say() { echo "selftest [$(( $(date +%s) - started )) s]: $*"; }
D="$(mktemp -d /tmp/pyramidkv-slurm.XXXXXX)"
chmod 755 "$D"
pids=()
cleanup() {
  [ -n "${array:-}" ] && scancel "$array" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ "${KEEP:-0}" = 1 ] && echo "selftest: kept $D" || rm -rf "$D"
}
trap cleanup EXIT
fail() { echo "selftest: FAILED: $*" >&2; for f in "$D"/*.log; do echo "--- $f" >&2; tail -n 20 "$f" >&2; done; exit 1; }

# munge: a fresh key and socket of our own, so an installed munged is left alone.
mkdir -p "$D/munge"
chmod 700 "$D/munge"
dd if=/dev/urandom of="$D/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$D/munge/munge.key"
munged --force --key-file "$D/munge/munge.key" --socket "$D/munge/munge.socket" \
  --pid-file "$D/munge/munged.pid" --log-file "$D/munged.log" --seed-file "$D/munge/munge.seed"
for _ in $(seq 50); do [ -S "$D/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$D/munge/munge.socket" ] || fail "munged did not start"
pids+=("$(cat "$D/munge/munged.pid")")

# slurm.conf: this host as controller and the one compute node, all on 127.0.0.1.
node="$(hostname -s)"
cpus="$(nproc)"
memory=$(( $(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) * 9 / 10 ))
port=$((21000 + RANDOM % 20000))
mkdir -p "$D/state" "$D/spool" "$D/jobs"
cat > "$D/slurm.conf" <<CONF
ClusterName=pyramidkv-selftest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$D/munge/munge.socket
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/slurmctld.log
SlurmdLogFile=$D/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
KillWait=30
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=selftest Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$D/slurm.conf"
slurmctld -D -i -f "$SLURM_CONF" >"$D/slurmctld.out.log" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$node" >"$D/slurmd.out.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do sinfo -h -o %T 2>/dev/null | grep -qE '^idle' && break; sleep 0.2; done
sinfo -h -o %T 2>/dev/null | grep -qE '^idle' || fail "the node did not come up idle: $(sinfo 2>&1)"
say "cluster up: $(sinfo -h -o '%P %D %T %c cpus' | head -1)"

# The coordinator on loopback and a small sweep (2 policies x 2 cells, one job per cell).
printf 'slurm-admin-%s' "$RANDOM$RANDOM$RANDOM" > "$D/admin.token"
printf 'slurm-worker-%s' "$RANDOM$RANDOM$RANDOM" > "$D/worker.token"
chmod 600 "$D"/*.token
cport=$((port + 2))
LOG_LEVEL=warning "$BIN" coordinator --db "$D/fleet.sqlite" --listen "127.0.0.1:$cport" --lease-seconds 30 \
  --admin-token-file "$D/admin.token" --worker-token-file "$D/worker.token" >"$D/coordinator.log" 2>&1 &
pids+=($!)
coordinator_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$D/coordinator.log" && break; sleep 0.1; done
export PYRAMIDKV_COORDINATOR="http://127.0.0.1:$cport"
experiment=$(PYRAMIDKV_TOKEN="$(cat "$D/admin.token")" "$BIN" submit needle --json --protocol chat \
  --policies snapkv,pyramidkv --budgets 64 --lengths 500 --depths 0,100 --shard-tokens 400 |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["experiment"])')
say "submitted $experiment"

# The recipe as a user submits it; a 2-core node gets 1 CPU and 3 GB per worker.
array=$(cd "$D/jobs" && PYRAMIDKV_BIN="$BIN" TOKEN_FILE="$D/worker.token" MODELS_DIR="$HOME_DIR/models" \
  sbatch --parsable --array=1-"$N" --cpus-per-task=$(( cpus / N > 0 ? cpus / N : 1 )) --mem=3G \
  "$OLDPWD/deploy/slurm/pyramidkv-workers.sbatch")
array="${array%%;*}"
say "sbatch array job $array ($N tasks)"

status_json() { PYRAMIDKV_TOKEN="$(cat "$D/admin.token")" "$BIN" status "$experiment" --json; }
deadline=$(( $(date +%s) + ${TIMEOUT:-600} ))
while :; do
  s=$(status_json)
  read -r done total queued leased dead < <(python3 -c 'import json,sys; s=json.load(sys.stdin); j=s["jobs"]
print(s["samples"]["done"], s["samples"]["total"], j["queued"], j["leased"], j["dead"])' <<<"$s")
  [ "$dead" = 0 ] || fail "$dead jobs died: $s"
  [ "$done" = "$total" ] && [ "$queued" = 0 ] && [ "$leased" = 0 ] && break
  [ "$(date +%s)" -lt "$deadline" ] || fail "sweep did not finish: $s; squeue: $(squeue 2>&1)"
  sleep 1
done
say "sweep finished: $done/$total samples; squeue: $(squeue -h -r -o '%i:%T' | tr '\n' ' ')"
running=$(squeue -h -r -j "$array" -t RUNNING -o %i | wc -l)
[ "$running" = "$N" ] || fail "$running of $N array tasks running at the end"

scancel "$array"
for _ in $(seq 120); do [ -z "$(squeue -h -j "$array" -o %i)" ] && break; sleep 0.5; done
[ -z "$(squeue -h -j "$array" -o %i)" ] || fail "array $array still queued after scancel: $(squeue 2>&1)"
array=""
say "scancel: the array is gone"

kill -TERM "$coordinator_pid"
wait "$coordinator_pid" || true
pids=("${pids[@]/$coordinator_pid}")
python3 - "$D/fleet.sqlite" "$experiment" "$N" <<'PY'
import sqlite3, sys
db, experiment, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
expected = c.execute("SELECT count(*) FROM experiment_jobs e JOIN job_samples js ON js.job_id = e.job_id "
                     "WHERE e.experiment_id = ?", (experiment,)).fetchone()[0]
stored = c.execute("SELECT count(*) FROM experiment_jobs e JOIN predictions p ON p.job_id = e.job_id "
                   "WHERE e.experiment_id = ?", (experiment,)).fetchone()[0]
missing = c.execute("SELECT count(*) FROM experiment_jobs e JOIN job_samples js ON js.job_id = e.job_id "
                    "LEFT JOIN predictions p ON p.job_id = js.job_id AND p.sample_id = js.sample_id "
                    "WHERE e.experiment_id = ? AND p.id IS NULL", (experiment,)).fetchone()[0]
twice = c.execute("SELECT count(*) FROM (SELECT job_id, sample_id FROM predictions GROUP BY 1, 2 "
                  "HAVING count(*) > 1)").fetchone()[0]
workers = [r[0] for r in c.execute("SELECT id FROM workers ORDER BY id")]
by_worker = dict(c.execute("SELECT worker_id, count(*) FROM predictions GROUP BY 1"))
print(f"selftest: {expected} (job, sample) pairs, {stored} predictions stored, {missing} missing, "
      f"{twice} stored twice; workers {workers}; predictions by worker {by_worker}")
ok = expected > 0 and stored == expected and missing == 0 and twice == 0 and len(workers) == n
sys.exit(0 if ok else 1)
PY
[ $? = 0 ] || fail "the stored samples do not check out"
for log in "$D"/jobs/pyramidkv-worker-*.log; do
  grep -q "stopped" "$log" || fail "$(basename "$log") does not say the worker stopped cleanly"
done
say "worker logs: $(grep -h "stopped" "$D"/jobs/pyramidkv-worker-*.log | tr '\n' ' ')"
say "PASSED"
