#!/usr/bin/env bash
# bench/fuzz.sh: runs the libFuzzer harnesses of chamber's input readers (bench/fuzz/, one per entry of the reader
# table in bench/fuzz/readers.cpp) and reports executions and findings.
#
#   bench/fuzz.sh                       every harness, each until 1,000,000 executions or 300 seconds
#   bench/fuzz.sh --runs N --time S     other budgets (whichever comes first)
#   bench/fuzz.sh --jobs J              harnesses run J at a time (default: the number of cores)
#   bench/fuzz.sh arr box               only these harnesses
#
# Builds build-fuzz/ with clang (-DCHAMBER_FUZZ=ON: AddressSanitizer + UndefinedBehaviorSanitizer + libFuzzer
# coverage over the whole tree) and build/bin/fuzz_replay (the same readers in the Release tree). Each harness starts
# from its seed corpus bench/fuzz/corpus/<name>/ (read only) and grows a working corpus in build-fuzz/fuzz/corpus/<name>/.
# Findings: a contract break (printed as "==chamber-fuzz== FINDING": an exception other than InputError/LimitReached
# out of a reader, anything out of a checker), a sanitizer report, a crash, a leak, more than 2048 MB resident, and
# any input that takes more than 10 s in the Release build. The instrumented build runs 10-30x slower than Release, so
# libFuzzer saves every input over 2 s there (-report_slow_units) and stops at 60 s (-timeout); bench/fuzz.sh re-times
# each such input with build/bin/fuzz_replay and counts it as a finding only when the Release reader needs over 10 s
# (column "slow": inputs re-timed, and the slowest Release time). Inputs are at most --max-len bytes (default 1 MiB).
# Findings are kept in build-fuzz/fuzz/findings/<name>/; copy each into bench/fuzz/corpus/<name>/regression-<what>
# so that tests_readers (and tests/cli/hostile.sh) replay it in the ordinary suite. Exit 0 with no findings, 1 with
# findings, 2 on usage errors.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

runs=1000000
seconds=300
jobs=$(nproc 2> /dev/null || echo 2)
max_len=1048576
selected=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --time) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --max-len) max_len=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) selected+=("$1"); shift ;;
  esac
done
for value in "$runs" "$seconds" "$jobs" "$max_len"; do
  [[ "$value" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: budgets must be positive integers, got '$value'" >&2; exit 2; }
done

all=()
for dir in bench/fuzz/corpus/*/; do all+=("$(basename "$dir")"); done
[ ${#selected[@]} -eq 0 ] && selected=("${all[@]}")
for name in "${selected[@]}"; do
  [ -d "bench/fuzz/corpus/$name" ] || { echo "fuzz.sh: no harness '$name' (have: ${all[*]})" >&2; exit 2; }
done

command -v clang++ > /dev/null || { echo "fuzz.sh: needs clang (apt-get install clang libfuzzer-14-dev)" >&2; exit 2; }
echo "building build-fuzz/ (clang, ASan + UBSan + libFuzzer; log in build-fuzz.log)..." >&2
if ! { CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHAMBER_FUZZ=ON \
         -DCHAMBER_TEST=OFF > build-fuzz.log 2>&1 &&
       cmake --build build-fuzz -j "$jobs" --target fuzzers >> build-fuzz.log 2>&1; }; then
  tail -30 build-fuzz.log >&2
  exit 2
fi
echo "building build/bin/fuzz_replay (Release; log in build.log)..." >&2
if ! { cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >> build.log 2>&1 &&
       cmake --build build -j "$jobs" --target fuzz_replay >> build.log 2>&1; }; then
  tail -30 build.log >&2
  exit 2
fi

out=$root/build-fuzz/fuzz
mkdir -p "$out"
# ASan: report and abort on the first error; LeakSanitizer on. UBSan: every report is fatal (-fno-sanitize-recover).
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {
  local name=$1
  local corpus=$out/corpus/$name findings=$out/findings/$name log=$out/$name.log
  mkdir -p "$corpus" "$findings"
  local start end
  start=$(date +%s)
  "$root/build-fuzz/bin/fuzz_$name" -runs="$runs" -max_total_time="$seconds" -timeout=60 -report_slow_units=2 \
    -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$findings/" \
    "$corpus" "$root/bench/fuzz/corpus/$name" > "$log" 2>&1
  local status=$?
  end=$(date +%s)
  echo "$status $((end - start))" > "$out/$name.status"
}

for name in "${selected[@]}"; do
  rm -rf "$out/findings/$name"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 1; done
  echo "fuzzing $name (runs $runs, at most $seconds s)..." >&2
  run_one "$name" &
done
wait

printf '%-24s %11s %7s %7s %7s %7s %13s %8s  %s\n' harness executions exec/s seconds rss_mb corpus slow findings status
total_findings=0
for name in "${selected[@]}"; do
  log=$out/$name.log
  read -r status elapsed < "$out/$name.status"
  executions=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' | tail -1)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | awk '{print $2}' | tail -1)
  rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | awk '{print $2}' | tail -1)
  corpus=$(find "$out/corpus/$name" -type f | wc -l)
  # Slow inputs (and timeouts) of the instrumented build, re-timed in Release.
  slow=0 slowest=0 release_findings=0
  for unit in "$out/findings/$name"/slow-unit-* "$out/findings/$name"/timeout-*; do
    [ -f "$unit" ] || continue
    slow=$((slow + 1))
    line=$(timeout -s KILL 30 "$root/build/bin/fuzz_replay" "$name" "$unit" 2>&1 | tail -1)
    seconds_release=$(printf '%s' "$line" | awk '{print $3}')
    if [[ ! "$seconds_release" =~ ^[0-9.]+$ ]] || [[ "$line" == *FINDING* ]] ||
       awk -v s="$seconds_release" 'BEGIN { exit !(s > 10) }'; then
      release_findings=$((release_findings + 1))
      echo "$name: $(basename "$unit") in Release: ${line:-killed after 30 s}" >&2
    else
      rm -f "$unit"  # under 10 s in Release: not a finding
    fi
    slowest=$(awk -v a="$slowest" -v b="${seconds_release:-0}" 'BEGIN { print (b > a ? b : a) }')
  done
  findings=$(find "$out/findings/$name" -type f | wc -l)
  state=ok
  if [ "$findings" -gt 0 ] || { [ "$status" -ne 0 ] && [ "$release_findings" -eq 0 ] && ! grep -q "ERROR: libFuzzer: timeout" "$log"; }; then
    state="FINDING (exit $status): $(grep -m1 -E 'FINDING|ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error' "$log" | cut -c1-120)"
    [ "$findings" -eq 0 ] && findings=1
  elif [ "$status" -ne 0 ]; then
    state="stopped early by a timeout of the instrumented build (${slowest} s in Release)"
  fi
  total_findings=$((total_findings + findings))
  printf '%-24s %11s %7s %7s %7s %7s %13s %8s  %s\n' "$name" "${executions:-?}" "${rate:-?}" "$elapsed" "${rss:-?}" "$corpus" \
    "$slow/${slowest}s" "$findings" "$state"
done
echo "logs and findings: $out/ (runs $runs or $seconds s per harness, max_len $max_len, rss 2048 MB; slow: inputs over"
echo "2 s in the instrumented build, re-timed in Release, and the slowest Release time; a finding when over 10 s)"
[ "$total_findings" -eq 0 ]
