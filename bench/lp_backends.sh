#!/usr/bin/env bash
# GLPK or CLP as the floating-point LP that proposes (the choice behind arrangement/float_lp.cpp).
# Both get the same programs, the ones an incremental enumeration asks (bench/lp_backends/lp_backends.cpp),
# solved in-process one after another; the truth comes from chamber's certified solver.
#
# usage: bench/lp_backends.sh [INSTANCE ...]   (default: the small shared instances)
# Installs Debian's coinor-libclp-dev when missing and builds the optional lp_backends program.
# Columns: LPs measured; µs per LP (build + solve) for GLPK, CLP dual simplex, CLP primal simplex; wrong
# verdicts (t > 1e-9 read as feasible, compared with the truth) and LPs without an answer, per library.
set -uo pipefail
script_dir="$(cd "$(dirname "$0")" && pwd)"
root="$script_dir/.."
bench_dir="${BENCH_DIR:-$root/../shared/bench}"
[ -d "$bench_dir/instances" ] || bench_dir="$script_dir/shared"
if [ ! -e /usr/include/coin/ClpSimplex.hpp ]; then
  echo "bench/lp_backends.sh: installing coinor-libclp-dev" >&2
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    coinor-libclp-dev < /dev/null > /dev/null || { echo "bench/lp_backends.sh: install failed" >&2; exit 2; }
fi
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release > /dev/null &&
  cmake --build "$root/build" -j2 --target lp_backends > /dev/null || { echo "bench/lp_backends.sh: build failed" >&2; exit 2; }
names=("$@")
[ ${#names[@]} -eq 0 ] && names=(cnn_3x3x1_f2x2_s1_c2 cnn_4x4x1_f2x2_s2_c3 generic_d4_m20 resonance4 resonance5 threshold4)
printf '| instance | LPs | GLPK µs/LP | CLP dual µs/LP | CLP primal µs/LP | wrong (GLPK/dual/primal) | no answer (GLPK/dual/primal) |\n'
printf '|---|---:|---:|---:|---:|---|---|\n'
for name in "${names[@]}"; do
  "$root/build/bin/lp_backends" "$bench_dir/instances/${name%.arr}.arr" 20000 | python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
tools = [d[k] for k in ("glpk", "clp_dual", "clp_primal")]
cells = [sys.argv[1], str(d["lps"])] + ["%.1f" % t["us_per_lp"] for t in tools]
cells += ["/".join(str(t[key]) for t in tools) for key in ("wrong_verdicts", "no_answer")]
print("| " + " | ".join(cells) + " |")' "${name%.arr}"
done
