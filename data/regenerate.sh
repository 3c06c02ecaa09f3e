#!/usr/bin/env bash
# Regenerates the shipped datasets from their specs (data/specs/), resuming whatever is already there, then verifies
# each (every hash, every certificate). Rows are byte-identical to the shipped ones apart from the `seconds` field.
# one_layer_16 (only when named: about 19,400 CPU-seconds; a rerun resumes it) is produced with chamber-mpi:
# `mpirun -np N+1 chamber-mpi dataset` (rank 0 writes the rows, N ranks compute them) when build/bin/chamber-mpi and
# mpirun exist, else `chamber dataset --jobs N`; the rows are the same.
# usage: data/regenerate.sh [--jobs N] [NAME ...]
#        NAME: xiong_table1, xiong_table2, families, one_layer (default: these four), one_layer_16
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
chamber="${CHAMBER:-$root/build/bin/chamber}"
chamber_mpi="${CHAMBER_MPI:-$root/build/bin/chamber-mpi}"
jobs=$(nproc 2> /dev/null || echo 2)
names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs="$2"; shift ;;
    *) names+=("$1") ;;
  esac
  shift
done
[ ${#names[@]} -eq 0 ] && names=(xiong_table1 xiong_table2 families one_layer)
out_of() {
  case "$1" in
    xiong_table1) echo "$root/data/xiong_tables/table1" ;;
    xiong_table2) echo "$root/data/xiong_tables/table2" ;;
    *) echo "$root/data/$1" ;;
  esac
}
for name in "${names[@]}"; do
  spec="$root/data/specs/$name.json"
  [ -f "$spec" ] || { echo "data/regenerate.sh: no spec $spec" >&2; exit 2; }
  if [ "$name" = one_layer_16 ] && [ -x "$chamber_mpi" ] && command -v mpirun > /dev/null; then
    # As root, OpenMPI needs its consent; an idle rank 0 yields the core to the computing ranks.
    [ "$(id -u)" -eq 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    mpirun --oversubscribe --mca mpi_yield_when_idle 1 -np $((jobs + 1)) "$chamber_mpi" dataset "$spec" \
      --out "$(out_of "$name")"
  else
    "$chamber" dataset "$spec" --out "$(out_of "$name")" --jobs "$jobs"
  fi
  "$chamber" dataset --verify "$(out_of "$name")" --quiet
done
