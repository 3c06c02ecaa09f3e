# Sourced by run.sh and test.sh: installs the Debian packages chamber needs (only the missing ones)
# and builds a Release tree in build/.
set -euo pipefail

CHAMBER_PACKAGES=(cmake g++ make pkg-config libcgal-dev libgmp-dev libmpfr-dev zlib1g-dev libboost-graph-dev catch2
                  libcli11-dev nlohmann-json3-dev libglpk-dev python3 python3-torch python3-pil librsvg2-bin)

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
