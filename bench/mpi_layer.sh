#!/usr/bin/env bash
# The 1x4x4 one-conv-layer network of issue 15 (3 filters 2x2, weights in ±10^6: bench/layer_1x4x4.json; its first
# layer's 27 hyperplanes in bench/layer_1x4x4.arr), counted by enumeration under chamber-mpi as a tree of budgeted jobs
# with checkpoints, so that the run (about 5 CPU hours) can span sessions: run this script again after a kill and it
# resumes, appending to the job log. When the count is done it is compared with Zaslavsky's |χ(−1)| (the sweep), and
# the job log is replayed on 16 to 1,024 simulated ranks (bench/mpi_replay.py).
# usage: bench/mpi_layer.sh DIR   (DIR keeps count.ck, count.log, count.json, count.err between runs)
# Environment: ARR (another .arr), CHAMBER, CHAMBER_MPI (default build/bin/...), NP (ranks, default the cores), BUDGET (--job-budget,
# default 10000), EVERY (seconds between checkpoints, default 300), LATENCY, BANDWIDTH (of the replay).
set -uo pipefail
script_dir="$(cd "$(dirname "$0")" && pwd)"
chamber="${CHAMBER:-$script_dir/../build/bin/chamber}"
chamber_mpi="${CHAMBER_MPI:-$script_dir/../build/bin/chamber-mpi}"
[ $# -eq 1 ] || { echo "usage: bench/mpi_layer.sh DIR" >&2; exit 2; }
dir=$1
mkdir -p "$dir" || exit 2
arr="${ARR:-$script_dir/layer_1x4x4.arr}"  # (ARR: another arrangement, to try the script)
np="${NP:-$(nproc)}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
done_already() { [ -s "$dir/count.json" ] && grep -q '"regions"' "$dir/count.json"; }
if ! done_already; then
  resume=() how="counting"
  [ -f "$dir/count.ck" ] && resume=(--resume "$dir/count.ck") how="resuming $dir/count.ck:"
  echo "$how $arr on $np ranks; progress in $dir/count.err" >&2
  mpirun --oversubscribe -np "$np" "$chamber_mpi" --job-budget "${BUDGET:-10000}" --job-log "$dir/count.log" \
    count "$arr" --method enumerate --no-bounded --checkpoint "$dir/count.ck" --checkpoint-every "${EVERY:-300}" \
    ${resume[@]+"${resume[@]}"} --json > "$dir/count.json" 2>> "$dir/count.err" || { echo "the count stopped" >&2; exit 1; }
fi
value() { /usr/bin/python3 -c 'import json, sys; d = json.load(open(sys.argv[2])); print(eval(sys.argv[1], {}, d))' "$1" "$2"; }
"$chamber" count "$arr" --method zaslavsky --chi sweep --json -q > "$dir/chi.json" || exit 1
regions=$(value regions "$dir/count.json")
[ "$regions" = "$(value regions "$dir/chi.json")" ] ||
  { echo "enumeration $regions regions, Zaslavsky $(value regions "$dir/chi.json")" >&2; exit 3; }
echo "regions: $regions (enumeration = Zaslavsky), LP solves: $(value lp_solves "$dir/count.json"), jobs:" \
  "$(value 'jobs["jobs"] + jobs["resumed_jobs"]' "$dir/count.json"), job budget $(value 'jobs["job_budget"]' "$dir/count.json")"
echo
echo "| job log | ranks | jobs | makespan s | speed-up | efficiency |"
echo "|---|---:|---:|---:|---:|---:|"
/usr/bin/python3 "$script_dir/mpi_replay.py" "$dir/count.log" --ranks 16,64,256,1024 --latency "${LATENCY:-50e-6}" \
  --bandwidth "${BANDWIDTH:-1.25e9}" --markdown "$(basename "$arr" .arr)"
