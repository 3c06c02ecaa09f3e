#!/usr/bin/env bash
# chamber-mpi under real mpirun with 1, 2 and 3 ranks on this machine gives what chamber gives: the same regions file
# and certificate byte for byte (arrangements and a network), the same count; a killed rank ends the run with a
# non-zero exit within seconds, never a hang.
# Usage: mpi.sh CHAMBER CHAMBER_MPI ARRANGEMENTS_DIR WORKDIR   (ARRANGEMENTS_DIR: data/families/arrangements)
set -u
chamber=$1 chamber_mpi=$2 instances=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
mpi() { local np=$1; shift; timeout 300 mpirun --oversubscribe -np "$np" "$chamber_mpi" "$@"; }
strip() { grep -v '"seconds"\|_seconds"\|"threads"' "$1"; }

# Arrangements: enumerate with certificate and regions, then count (enumeration and Zaslavsky).
for name in 0007-threshold4 0003-resonance5; do
  "$chamber" enumerate "$instances/$name.arr" --certificate "$work/$name.cert" --regions "$work/$name.regions" \
    --json -q --threads 1 > "$work/$name.json" || fail "chamber enumerate $name"
  "$chamber" count "$instances/$name.arr" --json -q --threads 1 > "$work/$name.count" || fail "chamber count $name"
  for np in 1 2 3; do
    mpi "$np" enumerate "$instances/$name.arr" --certificate "$work/$name.$np.cert" --regions "$work/$name.$np.regions" \
      --json -q > "$work/$name.$np.json" || fail "chamber-mpi -np $np enumerate $name exited $?"
    cmp -s "$work/$name.cert" "$work/$name.$np.cert" || fail "$name: certificate with $np ranks differs"
    cmp -s "$work/$name.regions" "$work/$name.$np.regions" || fail "$name: regions with $np ranks differ"
    diff <(strip "$work/$name.json" | grep -v certificate\"\\\|regions_file) \
         <(strip "$work/$name.$np.json" | grep -v certificate\"\\\|regions_file) > /dev/null ||
      fail "$name: enumerate --json with $np ranks differs"
    mpi "$np" count "$instances/$name.arr" --json -q > "$work/$name.$np.count" || fail "chamber-mpi -np $np count $name"
    diff <(strip "$work/$name.count") <(strip "$work/$name.$np.count") > /dev/null ||
      fail "$name: count --json with $np ranks differs"
  done
  "$chamber" check "$work/$name.3.cert" --arrangement "$instances/$name.arr" > /dev/null || fail "$name: certificate rejected"
done

# A network whose first layer (12 neurons in R^3) splits its search tree: cnn with a certificate.
"$chamber" random --input 1x1x3 --linear 12 --linear 5 --seed 3 --weights he:16 -o "$work/net.json" > /dev/null
"$chamber" cnn "$work/net.json" --no-verdict --certificate "$work/net.cert" --regions "$work/net.regions" --json -q \
  --threads 1 > "$work/net.out" || fail "chamber cnn"
for np in 1 2 3; do
  mpi "$np" cnn "$work/net.json" --no-verdict --certificate "$work/net.$np.cert" --regions "$work/net.$np.regions" \
    --json -q > "$work/net.$np.out" || fail "chamber-mpi -np $np cnn exited $?"
  cmp -s "$work/net.cert" "$work/net.$np.cert" || fail "network certificate with $np ranks differs"
  cmp -s "$work/net.regions" "$work/net.$np.regions" || fail "network regions with $np ranks differ"
done
"$chamber" check "$work/net.3.cert" --network "$work/net.json" > /dev/null || fail "network certificate rejected"

# Bad input is exit 2 under MPI too.
mpi 2 count "$work/missing.arr" > /dev/null 2> "$work/missing.err"
code=$?
[ $code -eq 2 ] || fail "a missing file under chamber-mpi exited $code, expected 2"

# A worker killed mid-run: mpirun ends the run, non-zero, within seconds.
mpi 3 enumerate "$instances/0004-resonance6.arr" --regions /dev/null -q > /dev/null 2> "$work/killed.err" &
runner=$!
for _ in $(seq 50); do
  [ "$(pgrep -f "chamber-mpi enumerate $instances/0004-resonance6.arr" | wc -l)" -ge 3 ] && break
  sleep 0.1
done
sleep 1
victim=$(pgrep -f "chamber-mpi enumerate $instances/0004-resonance6.arr" | sort -n | tail -1)
[ -n "$victim" ] || fail "no chamber-mpi rank to kill"
kill -9 "$victim"
start=$(date +%s)
wait $runner
code=$?
took=$(($(date +%s) - start))
[ $code -ne 0 ] || fail "a killed rank: exit 0"
[ $took -le 20 ] || fail "a killed rank: the run took $took s to end"
echo "ok: 1-3 ranks give chamber's certificates, regions and counts; a killed rank ends the run (exit $code after ${took}s)"
