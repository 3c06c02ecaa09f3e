# Sourced by run.sh and test.sh: installs the Debian packages chamber needs (only the missing ones)
# and builds a Release tree in build/.
set -euo pipefail

CHAMBER_PACKAGES=(cmake g++ make pkg-config libcgal-dev libbliss-dev libgmp-dev libmpfr-dev zlib1g-dev libboost-graph-dev catch2
                  libcli11-dev nlohmann-json3-dev libglpk-dev python3 python3-torch python3-pil librsvg2-bin
                  clang libclang-rt-14-dev libfuzzer-14-dev pybind11-dev python3-pybind11 python3-pytest python3-numpy
                  python3-matplotlib python3-sklearn openmpi-bin libopenmpi-dev)

chamber_install_missing() {
  local missing=()
  for package in "${CHAMBER_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" < /dev/null
}

chamber_build() {
  local jobs
  jobs=$(nproc 2>/dev/null || echo 2)
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > build.log 2>&1 || { cat build.log >&2; return 1; }
  cmake --build build -j "$jobs" >> build.log 2>&1 || { tail -50 build.log >&2; return 1; }
}

# The sanitizer tree of test.sh (CI=true or CHAMBER_SANITIZE=1): clang with AddressSanitizer and
# UndefinedBehaviorSanitizer, warnings as errors (so CI also proves the clang build warning-free), in build-sanitize/.
chamber_build_sanitize() {
  local jobs
  jobs=$(nproc 2>/dev/null || echo 2)
  # -O0: less than half the compile time of -O1 under the sanitizers, which matters more here than the run time.
  CC=clang CXX=clang++ cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O0 -gline-tables-only" \
    -DCGAL_DO_NOT_WARN_ABOUT_CMAKE_BUILD_TYPE=TRUE -DCHAMBER_SANITIZE=ON -DCHAMBER_WERROR=ON > build-sanitize.log 2>&1 || { cat build-sanitize.log >&2; return 1; }
  cmake --build build-sanitize -j "$jobs" >> build-sanitize.log 2>&1 || { grep -E "error|warning" build-sanitize.log | head -40 >&2; tail -20 build-sanitize.log >&2; return 1; }
}
