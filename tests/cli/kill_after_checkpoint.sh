# Sourced by shards.sh and mpi.sh. kill_after_checkpoint CHECKPOINT MIN PID: waits (at most 5 s) until the checkpoint
# file lists more than MIN finished jobs (a count checkpoint's "jobs", a shards checkpoint's shards), then SIGKILLs PID.
finished_jobs() { grep -Eo '"jobs": [0-9]+' "$1" | grep -Eo '[0-9]+$' || grep -c '"name"' "$1"; }
kill_after_checkpoint() {
  local checkpoint=$1 min=$2 pid=$3
  for _ in $(seq 100); do
    [ -f "$checkpoint" ] && [ "$(finished_jobs "$checkpoint")" -gt "$min" ] && break
    sleep 0.05
  done
  kill -9 "$pid" 2> /dev/null
}
