#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite through CTest.
cd "$(dirname "$0")"
source scripts/setup.sh
chamber_install_missing
echo "building (log in build.log)..." >&2
chamber_build
jobs=$(nproc 2>/dev/null || echo 2)
(cd build && ctest --output-on-failure -j "$jobs" "$@") || exit 1
# Under CI (or CHAMBER_SANITIZE=1): the unit and CLI tests once more in a clang ASan + UBSan tree (build-sanitize/,
# warnings as errors; a sanitizer report exits 99, which no test expects). Left out there, as the same code paths
# as above only 10-50x slower: the exact-LP replays, the Python tests, the shipped datasets' regeneration and the
# architecture reader's corpus (closed forms of every mutation; bench/fuzz.sh fuzzes it under the same sanitizers), and
# chamber-mpi (not built there: OpenMPI's runtime keeps allocations LeakSanitizer reports as leaks), cli:engines (3 min
# there; the same engines run under the sanitizers in tests_plane [cone] and tests_cnn [linear_regions]) and cli:shards
# (threshold5 three times; the shards' writer and checker run under the sanitizers in tests_arrangement [shards]).
# CHAMBER_SANITIZER_TREE=1 also makes the heaviest randomized test cases run only their first trials (tests/trials.hpp).
if [ "${CI:-}" = "true" ] || [ "${CHAMBER_SANITIZE:-0}" = "1" ]; then
  echo "building the sanitizer tree (clang, ASan + UBSan; log in build-sanitize.log)..." >&2
  chamber_build_sanitize
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:exitcode=99}
  export CHAMBER_TIME_SCALE=${CHAMBER_TIME_SCALE:-10}
  export CHAMBER_SANITIZER_TREE=1
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=99}
  cd build-sanitize && ctest --output-on-failure -j "$jobs" -E "exact-lp|^python:|^cli:shipped_data$|^cli:engines$|^cli:shards$|reader architecture" "$@"
fi
