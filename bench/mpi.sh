#!/usr/bin/env bash
# chamber-mpi on this machine: enumeration (count by enumeration, enumerate with a certificate, and enumerate with a
# sharded certificate written by the ranks) with 1 and 2 ranks
# side by side with chamber, the peak memory of `chamber check` on the certificate (and of BASELINE's checker, when
# given), and the replay of the 2-rank job log on 16 to 1,024 simulated ranks (bench/mpi_replay.py), which estimates
# the parallel efficiency of a cluster run with the same jobs.
# usage: bench/mpi.sh [--quick] [INSTANCE.arr ...]   (default resonance6; --quick: resonance5)
# Environment: CHAMBER, CHAMBER_MPI (default build/bin/...), BUDGET (--job-budget, default chamber-mpi's),
# LATENCY (seconds per job message in the replay, default 50e-6), BANDWIDTH (bytes per second through rank 0's link,
# default 1.25e9), BASELINE (an older chamber for the checker column), TASKS (default "count certified sharded").
set -uo pipefail
script_dir="$(cd "$(dirname "$0")" && pwd)"
chamber="${CHAMBER:-$script_dir/../build/bin/chamber}"
chamber_mpi="${CHAMBER_MPI:-$script_dir/../build/bin/chamber-mpi}"
instances_dir="$script_dir/../data/families/arrangements"
instances=()
for arg in "$@"; do
  case "$arg" in
    --quick) instances+=("$instances_dir/0003-resonance5.arr") ;;
    *) instances+=("$arg") ;;
  esac
done
[ ${#instances[@]} -eq 0 ] && instances=("$instances_dir/0004-resonance6.arr")
budget_args=()
[ -n "${BUDGET:-}" ] && budget_args=(--job-budget "$BUDGET")
latency="${LATENCY:-50e-6}"
bandwidth="${BANDWIDTH:-1.25e9}"
tasks="${TASKS:-count certified sharded}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
field() { grep -Eo "\"$1\": [0-9.e+-]+" "$2" | head -1 | awk '{print $2}'; }
status=0

echo "### Ranks on this machine ($(nproc) cores)"
echo
echo "| instance | task | program | regions | LP solves | jobs | seconds | speed-up vs 1 rank |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
for arr in "${instances[@]}"; do
  name=$(basename "$arr" .arr)
  for task in $tasks; do
    args=(count "$arr" --method enumerate)
    [ $task = certified ] && args=(enumerate "$arr" --certificate "$work/$name.cert")
    [ $task = sharded ] && args=(enumerate "$arr" --shards "$work/$name.shards")
    # (chamber takes a budget only with --shards; chamber-mpi takes it for every task)
    serial_budget=()
    [ $task = sharded ] && serial_budget=(${budget_args[@]+"${budget_args[@]}"})
    "$chamber" "${args[@]}" --json -q --threads 1 ${serial_budget[@]+"${serial_budget[@]}"} > "$work/serial.json" || status=1
    echo "| $name | $task | chamber --threads 1 | $(field regions "$work/serial.json") | $(field lp_solves "$work/serial.json") | - | $(printf '%.1f' "$(field seconds "$work/serial.json")") | |"
    one=""
    for np in 1 2; do
      [ $task = certified ] && args=(enumerate "$arr" --certificate "$work/$name.$np.cert")
      [ $task = sharded ] && args=(enumerate "$arr" --shards "$work/$name.$np.shards")
      mpirun --oversubscribe -np $np "$chamber_mpi" "${args[@]}" --json -q ${budget_args[@]+"${budget_args[@]}"} \
        --job-log "$work/$name.$task.$np.log" > "$work/mpi.json" || status=1
      seconds=$(field seconds "$work/mpi.json")
      [ -z "$one" ] && one=$seconds
      echo "| $name | $task | chamber-mpi -np $np | $(field regions "$work/mpi.json") | $(field lp_solves "$work/mpi.json") | $(grep -c . "$work/$name.$task.$np.log") | $(printf '%.1f' "$seconds") | $(awk -v a="$one" -v b="$seconds" 'BEGIN {printf "%.2fx", a / b}') |"
    done
  done
done
echo

echo "### The checker's peak memory (streaming)"
echo
echo "| instance | form | certificate MB | program | seconds | peak MB | verdict |"
echo "|---|---|---:|---|---:|---:|---|"
for arr in "${instances[@]}"; do
  name=$(basename "$arr" .arr)
  for cert in "$work/$name.2.cert" "$work/$name.2.shards/manifest.json"; do
  [ -f "$cert" ] || continue
  case "$cert" in
    *manifest.json) size=$(( $(du -sb "$(dirname "$cert")" | cut -f1) / 1000000 )) ;;
    *) size=$(( $(stat -c %s "$cert") / 1000000 )) ;;
  esac
  for label in chamber baseline; do
    binary=$chamber
    if [ $label = baseline ]; then
      [ -n "${BASELINE:-}" ] || continue
      binary=$BASELINE
    fi
    /usr/bin/time -f "%e %M" -o "$work/time" "$binary" check "$cert" --arrangement "$arr" > "$work/check.out" 2>&1
    verdict=valid; [ $? -eq 0 ] || { verdict=REJECTED; status=1; }
    read -r seconds kb < "$work/time"
    form=single; case "$cert" in *manifest.json) form=sharded ;; esac
    [ $form = sharded ] && [ $label = baseline ] && continue  # (earlier checkers read no shards)
    echo "| $name | $form | $size | $label | $seconds | $((kb / 1000)) | $verdict |"
  done
  done
done
echo

echo "### Replay of the 2-rank job logs on simulated ranks (latency ${latency} s per job, rank 0's link ${bandwidth} B/s)"
echo
echo "| job log | ranks | jobs | makespan s | speed-up | efficiency |"
echo "|---|---:|---:|---:|---:|---:|"
for arr in "${instances[@]}"; do
  name=$(basename "$arr" .arr)
  for task in $tasks; do
    /usr/bin/python3 "$script_dir/mpi_replay.py" "$work/$name.$task.2.log" --latency "$latency" --bandwidth "$bandwidth" \
      --ranks 16,64,256,1024 --markdown "$name $task" || status=1
  done
done
exit $status
