#!/usr/bin/env bash
# chamber-mpi under real mpirun with 1, 2 and 3 ranks on this machine: the regions of chamber in chamber's order (the
# same file byte for byte), and the same certificate, counts and LP counts for any number of ranks (they depend on the
# job budget only), certificates that check; bad options are exit 2; a killed rank ends the run with a non-zero exit
# within seconds, never a hang; the job log replays (bench/mpi_replay.py).
# Usage: mpi.sh CHAMBER CHAMBER_MPI ARRANGEMENTS_DIR WORKDIR   (ARRANGEMENTS_DIR: data/families/arrangements)
set -u
chamber=$1 chamber_mpi=$2 instances=$3 work=$4
replay="$(cd "$(dirname "$0")/../.." && pwd)/bench/mpi_replay.py"
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
source "$(dirname "$0")/kill_after_checkpoint.sh"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
mpi() { local np=$1; shift; timeout 300 mpirun --oversubscribe -np "$np" "$chamber_mpi" "$@"; }
strip() { grep -v '"seconds"\|_seconds"\|"threads"\|certificate"\|regions_file' "$1"; }

# Arrangements: enumerate with certificate and regions, then count (enumeration and Zaslavsky). A small budget makes
# many jobs (hundreds for resonance5).
for name in 0007-threshold4 0003-resonance5; do
  "$chamber" enumerate "$instances/$name.arr" --regions "$work/$name.regions" --json -q --threads 1 > "$work/$name.json" ||
    fail "chamber enumerate $name"
  "$chamber" count "$instances/$name.arr" --json -q --threads 1 > "$work/$name.count" || fail "chamber count $name"
  for np in 1 2 3; do
    mpi "$np" enumerate "$instances/$name.arr" --certificate "$work/$name.$np.cert" --regions "$work/$name.$np.regions" \
      --json -q --job-budget 50 --job-log "$work/$name.$np.log" > "$work/$name.$np.json" ||
      fail "chamber-mpi -np $np enumerate $name exited $?"
    cmp -s "$work/$name.regions" "$work/$name.$np.regions" || fail "$name: regions with $np ranks differ from chamber's"
    cmp -s "$work/$name.1.cert" "$work/$name.$np.cert" || fail "$name: certificate with $np ranks differs from 1 rank's"
    diff <(strip "$work/$name.1.json") <(strip "$work/$name.$np.json") > /dev/null ||
      fail "$name: enumerate --json with $np ranks differs from 1 rank's"
    [ "$(grep -c . "$work/$name.$np.log")" -gt 1 ] || fail "$name: the job log of $np ranks holds one job or none"
    mpi "$np" count "$instances/$name.arr" --json -q > "$work/$name.$np.count" || fail "chamber-mpi -np $np count $name"
    diff <(strip "$work/$name.count" | grep -Ev 'lp_|float_|"exact"') <(strip "$work/$name.$np.count" | grep -Ev 'lp_|float_|"exact"') > /dev/null ||
      fail "$name: count --json with $np ranks differs from chamber's (LP counts aside)"
  done
  "$chamber" check "$work/$name.3.cert" --arrangement "$instances/$name.arr" > /dev/null || fail "$name: certificate rejected"
  /usr/bin/python3 "$replay" "$work/$name.3.log" --ranks 2,16 > "$work/$name.replay" || fail "$name: the job log does not replay"
done
[ "$(grep -c . "$work/0003-resonance5.3.log")" -gt 100 ] || fail "resonance5 in budgets of 50 nodes: under 100 jobs"

# A network whose first layer (12 neurons in R^3) splits its search tree: cnn with a certificate.
"$chamber" random --input 1x1x3 --linear 12 --linear 5 --seed 3 --weights he:16 -o "$work/net.json" > /dev/null
"$chamber" cnn "$work/net.json" --no-verdict --regions "$work/net.regions" --json -q --threads 1 > "$work/net.out" ||
  fail "chamber cnn"
for np in 1 2 3; do
  mpi "$np" cnn "$work/net.json" --no-verdict --certificate "$work/net.$np.cert" --regions "$work/net.$np.regions" \
    --json -q --job-budget 20 > "$work/net.$np.out" || fail "chamber-mpi -np $np cnn exited $?"
  cmp -s "$work/net.regions" "$work/net.$np.regions" || fail "network regions with $np ranks differ from chamber's"
  cmp -s "$work/net.1.cert" "$work/net.$np.cert" || fail "network certificate with $np ranks differs from 1 rank's"
done
"$chamber" check "$work/net.3.cert" --network "$work/net.json" > /dev/null || fail "network certificate rejected"

# Sharded certificates written by the ranks: the manifest of chamber's threads with the same budget, for any N; a run
# killed under mpirun and resumed from its checkpoint with another N: the manifest of an uninterrupted run.
sharded="$instances/0003-resonance5.arr"
"$chamber" enumerate "$sharded" --shards "$work/sh.ref" --job-budget 200 --threads 2 -q > /dev/null || fail "chamber --shards"
for np in 1 3; do
  mpi "$np" enumerate "$sharded" --shards "$work/sh.$np" --job-budget 200 -q > /dev/null || fail "chamber-mpi -np $np --shards"
  cmp -s "$work/sh.ref/manifest.json" "$work/sh.$np/manifest.json" || fail "--shards with $np ranks: another manifest"
done
"$chamber" check "$work/sh.3/manifest.json" --arrangement "$sharded" > /dev/null || fail "the ranks' shards are rejected"
mpi 3 check "$work/sh.3/manifest.json" --arrangement "$sharded" > "$work/sh.check" || fail "chamber-mpi check of shards"
grep -q "valid: proven" "$work/sh.check" || fail "chamber-mpi check: $(cat "$work/sh.check")"
cp -r "$work/sh.3" "$work/sh.bad"
printf 'x' >> "$work/sh.bad/r-000002.jsonl.gz"
mpi 3 check "$work/sh.bad/manifest.json" > "$work/sh.bad.out" 2> /dev/null
code=$?
[ $code -eq 1 ] || fail "chamber-mpi check of a changed shard: exit $code, expected 1"
grep -q "shard r-000002" "$work/sh.bad.out" || fail "chamber-mpi check of a changed shard: $(cat "$work/sh.bad.out")"
big="$instances/0008-threshold5.arr"
"$chamber" enumerate "$big" --shards "$work/big.ref" --threads 2 -q > /dev/null || fail "chamber --shards threshold5"
mpi 2 enumerate "$big" --shards "$work/big" -q --checkpoint "$work/big.ck" --checkpoint-every 0.2 > /dev/null 2>&1 &
runner=$!
kill_after_checkpoint "$work/big.ck" 20 $runner
pkill -9 -f "chamber-mpi enumerate $big" 2> /dev/null
wait $runner 2> /dev/null
[ -f "$work/big/manifest.json" ] && fail "the MPI run finished before it was killed"
mpi 3 enumerate "$big" --shards "$work/big" -q --resume "$work/big.ck" > /dev/null || fail "the resumed MPI run failed"
cmp -s "$work/big.ref/manifest.json" "$work/big/manifest.json" || fail "the resumed MPI run's manifest differs"

# A count killed under mpirun and resumed from its checkpoint with another N: chamber's count and LPs (same budget); the
# job log, written at the checkpoints and appended to by the resumed run, replays as one tree with every job once.
value() { /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[2]))[sys.argv[1]])' "$1" "$2"; }
"$chamber" count "$big" --method enumerate --no-bounded --checkpoint "$work/count.ref.ck" --json -q > "$work/count.ref" ||
  fail "chamber count --checkpoint"
rm -f "$work/count.ck" "$work/count.log"
mpi 2 count "$big" --method enumerate --no-bounded -q --checkpoint "$work/count.ck" --checkpoint-every 0.1 \
  --job-log "$work/count.log" > /dev/null 2>&1 &
runner=$!
kill_after_checkpoint "$work/count.ck" 100 $runner
pkill -9 -f "chamber-mpi count $big" 2> /dev/null
wait $runner 2> /dev/null
[ -s "$work/count.log" ] || fail "the killed count wrote no job log at its checkpoints"
mpi 3 count "$big" --method enumerate --no-bounded -q --json --resume "$work/count.ck" --job-log "$work/count.log" \
  > "$work/count.resumed" || fail "the resumed MPI count failed"
for key in regions lp_solves; do
  [ "$(value $key "$work/count.resumed")" = "$(value $key "$work/count.ref")" ] ||
    fail "the resumed MPI count's $key differs from chamber's: $(cat "$work/count.resumed")"
done
jobs=$(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["jobs"]["jobs"])' "$work/count.ref")
/usr/bin/python3 "$replay" "$work/count.log" --ranks 2,16 > "$work/count.replay" || fail "the resumed job log does not replay"
grep -q "^$jobs jobs" "$work/count.replay" || fail "the resumed job log: $(head -1 "$work/count.replay"), expected $jobs jobs"

# A dataset spread over the ranks: chamber's rows (timing aside), a valid dataset; a rerun resumes it (nothing to do).
spec_dir="$(cd "$(dirname "$0")/../data/dataset" && pwd)"
(cd "$spec_dir" && "$chamber" dataset small.json --out "$work/ds.ref" -q) || fail "chamber dataset"
untimed() { sed 's/"seconds":[0-9.e+-]*//' "$1"; }
for np in 1 3; do
  (cd "$spec_dir" && mpi "$np" dataset small.json --out "$work/ds.$np" -q) || fail "chamber-mpi -np $np dataset"
  diff <(untimed "$work/ds.ref/rows.jsonl") <(untimed "$work/ds.$np/rows.jsonl") > /dev/null ||
    fail "dataset rows with $np ranks differ from chamber's"
  "$chamber" dataset --verify "$work/ds.$np" -q > /dev/null || fail "the dataset of $np ranks does not verify"
done
(cd "$spec_dir" && mpi 2 dataset small.json --out "$work/ds.3" --json -q) > "$work/ds.again" || fail "dataset rerun"
grep -q '"computed": 0' "$work/ds.again" || fail "a rerun under MPI computed rows again: $(cat "$work/ds.again")"

# chamber-mpi's own options: malformed is exit 2.
for bad in "--job-budget 0" "--job-budget x" "--job-budget" "--job-log /nonexistent/dir/log"; do
  # shellcheck disable=SC2086
  mpi 2 count "$instances/0007-threshold4.arr" $bad > /dev/null 2> "$work/bad.err"
  code=$?
  [ $code -eq 2 ] || fail "chamber-mpi $bad exited $code, expected 2"
  grep -q "chamber-mpi: error" "$work/bad.err" || fail "chamber-mpi $bad: no error message"
done

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
echo "ok: 1-3 ranks give chamber's regions and counts, the same certificates for any N; a killed rank ends the run (exit $code after ${took}s)"
