#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite through CTest.
cd "$(dirname "$0")"
source scripts/setup.sh
chamber_install_missing
echo "building (log in build.log)..." >&2
chamber_build
jobs=$(nproc 2>/dev/null || echo 2)
cd build && ctest --output-on-failure -j "$jobs" "$@"
