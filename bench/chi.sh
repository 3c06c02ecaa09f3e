#!/usr/bin/env bash
# Zaslavsky's χ two ways: the intersection lattice (every flat) against the sweep (Whitney's subsets merged into
# states, hyperplane by hyperplane). Prints a markdown table: seconds, flats or states, and whether χ agrees.
# usage: bench/chi.sh [--quick]     (--quick: skip the instances that take more than a few seconds)
# Environment: CHAMBER (default build/bin/chamber), LIMIT (seconds per sweep, default 300), LATTICE_LIMIT (seconds per
# lattice, default 60: the lattice of a wide 1-D convolution has as many flats as regions).
set -uo pipefail
script_dir="$(cd "$(dirname "$0")" && pwd)"
chamber="${CHAMBER:-$script_dir/../build/bin/chamber}"
limit="${LIMIT:-300}"
lattice_limit="${LATTICE_LIMIT:-60}"
quick=0
[ "${1:-}" = "--quick" ] && quick=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
big="int:-1000000:1000000"
value() { grep -Eo "\"$1\": -?[0-9.e+-]+" "$2" | head -1 | awk '{print $2}'; }
chi() { tr -d ' \n' < "$1" | grep -Eo '"characteristic_polynomial":\[[-0-9,]*\]'; }

# One conv layer on a 1-D input of width W: 1-D bands, where the lattice has about as many flats as regions.
instances=()
for spec in "9:3:1x2" "9:3:1x3" "10:3:1x3" "11:3:1x3" "12:3:1x2" "12:3:1x3"; do
  IFS=: read -r width filters kernel <<< "$spec"
  [ $quick -eq 1 ] && [ "$width" -gt 10 ] && continue
  name="conv1d_w${width}_f${filters}_k${kernel}"
  "$chamber" random --input "1x1x$width" --conv "$filters:$kernel:1" --seed 1 --weights "$big" -o "$work/$name.json" > /dev/null
  "$chamber" cnn "$work/$name.json" --arrangement "$work/$name.arr" --no-verdict --max-regions 1 --threads 1 -q \
    > /dev/null 2>&1
  instances+=("$work/$name.arr")
done
# Shared instances: dense normals, where the sweep has no variable to close early.
for name in resonance4 resonance5 threshold4 generic_d6_m24 cnn_3x3x1_f2x2_s1_c3 cnn_3x4x1_f2x2_s1_c2 cnn_1x8x1_f1x3_s1_c3; do
  [ -f "$script_dir/shared/instances/$name.arr" ] && instances+=("$script_dir/shared/instances/$name.arr")
done

echo "| instance | n | m | regions | lattice s | flats | sweep s | max states | max open variables | χ agrees |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for arr in "${instances[@]}"; do
  name=$(basename "$arr" .arr)
  timeout "$limit" "$chamber" count "$arr" --method zaslavsky --chi sweep --json -q > "$work/sweep.out" 2> /dev/null
  sweep_status=$?
  timeout "$lattice_limit" "$chamber" count "$arr" --method zaslavsky --chi lattice --json -q > "$work/lattice.out" 2> /dev/null
  lattice_status=$?
  if [ $sweep_status -ne 0 ]; then
    echo "| $name | | | | | | over ${limit} s or failed | | | |"
    continue
  fi
  lattice_s="over ${lattice_limit} s"; flats="-"; agree="(lattice did not finish)"
  if [ $lattice_status -eq 0 ]; then
    lattice_s=$(printf '%.3f' "$(value zaslavsky_seconds "$work/lattice.out")")
    flats=$(value flats "$work/lattice.out")
    if [ "$(chi "$work/sweep.out")" = "$(chi "$work/lattice.out")" ]; then agree=yes; else agree=NO; status=1; fi
  fi
  echo "| $name | $(value dimension "$work/sweep.out") | $(value hyperplanes "$work/sweep.out") | $(value regions "$work/sweep.out") | $lattice_s | $flats | $(printf '%.3f' "$(value zaslavsky_seconds "$work/sweep.out")") | $(value max_states "$work/sweep.out") | $(value max_open_variables "$work/sweep.out") | $agree |"
done
exit $status
