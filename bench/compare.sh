#!/usr/bin/env bash
# Side by side with the peers, on the same files, one run after another: chamber's certified enumeration
# (`enumerate --certificate`, then `check`) against Sage's exact `regions()` and polymake's chamber decomposition,
# and chamber's Zaslavsky count (`count --method zaslavsky`) against Sage's `n_regions()`.
#
# usage: bench/compare.sh [--time-limit S] [--no-polymake] [--no-sage] [INSTANCE ...]
#   --time-limit S   per peer run (default 240); a run that does not finish shows ">S"
#   INSTANCE ...     names from the shared benchmark set (default: all but resonance6, threshold5 and generic_d6_m24,
#                    which no peer finishes)
# Installs sagemath, polymake and GNU time from Debian when missing (a large download the first time).
# Environment: CHAMBER (default build/bin/chamber), BENCH_DIR (default ../shared/bench, else bench/shared).
# Columns: regions; chamber_s = certified enumeration (enumerate --certificate: regions and certificate written), check_s =
# the independent check of that certificate (chamber check), seconds as each reports them (start-up excluded);
# lp/reg = enumeration LPs per region;
# peak_MB = chamber's peak memory (enumerate); regions/s = regions / chamber_s; sage_s / pm_s = the peers'
# computation time (their start-up excluded); x_sage, x_pm = ratio to chamber_s; zas_s = chamber count --method
# zaslavsky; nreg_s = Sage n_regions(); x_nreg = ratio. No tool's start-up time is counted (Sage needs ~2 s,
# polymake ~2 s, chamber ~5 ms). Every tool's run that takes under 1 s is repeated up to 3 times and the fastest counts.
set -uo pipefail
script_dir="$(cd "$(dirname "$0")" && pwd)"
chamber="${CHAMBER:-$script_dir/../build/bin/chamber}"
bench_dir="${BENCH_DIR:-$script_dir/../../shared/bench}"
[ -d "$bench_dir/instances" ] || bench_dir="$script_dir/shared"
limit=240
use_sage=1
use_polymake=1
only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time-limit) limit="$2"; shift ;;
    --no-sage) use_sage=0 ;;
    --no-polymake) use_polymake=0 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench/compare.sh: unknown option $1" >&2; exit 2 ;;
    *) only+=("${1%.arr}") ;;
  esac
  shift
done
[ -x "$chamber" ] || { echo "bench/compare.sh: $chamber not found; build first (./run.sh)" >&2; exit 2; }

missing=()
command -v /usr/bin/time > /dev/null || missing+=(time)
[ $use_sage -eq 1 ] && ! command -v sage > /dev/null && missing+=(sagemath)
[ $use_polymake -eq 1 ] && ! command -v polymake > /dev/null && missing+=(polymake)
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench/compare.sh: installing ${missing[*]} (this can take a while)" >&2
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" < /dev/null > /dev/null || { echo "bench/compare.sh: install failed" >&2; exit 2; }
fi

if [ ${#only[@]} -eq 0 ]; then
  for f in "$bench_dir"/instances/*.arr; do
    name=$(basename "$f" .arr)
    case "$name" in resonance6|threshold5|generic_d6_m24) continue ;; esac
    only+=("$name")
  done
fi
work=$(mktemp -d -p /dev/shm 2> /dev/null || mktemp -d)
trap 'rm -rf "$work"' EXIT

# peer COMMAND... : runs a peer with the time limit; prints "count seconds" or "- >limit".
peer() {
  local out
  if out=$(timeout "$limit" "$@" 2> "$work/peer.err" | tail -1) && [ -n "$out" ]; then echo "$out"; else echo "- >$limit"; fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b <= 0) printf "-"; else if (a ~ /^>/) printf ">%.0f", substr(a, 2) / b; else printf "%.0f", a / b }'; }
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ''))" "$1" "$2"; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "chamber: $("$chamber" --version)"
echo
printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' instance regions chamber_s check_s \
  lp/reg peak_MB regions/s sage_s x_sage pm_s x_pm zas_s nreg_s x_nreg
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
status=0
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }
for name in "${only[@]}"; do
  file="$bench_dir/instances/$name.arr"
  [ -f "$file" ] || { echo "bench/compare.sh: no instance $name" >&2; status=2; continue; }
  # A run under 1 s is repeated up to 3 times and the fastest counts (the peers' scripts do the same). The
  # certificate is written to a fresh file each time (overwriting a file costs the file system more than
  # enumerating a small instance).
  chamber_s=""; check_s=""
  for attempt in 1 2 3; do
    rm -f "$work/c.json"
    /usr/bin/time -f "%M" -o "$work/mem" "$chamber" enumerate "$file" --certificate "$work/c.json" --regions /dev/null \
      --json --quiet > "$work/e.json" || status=1
    "$chamber" check "$work/c.json" --json > "$work/k.json" || { echo "certificate of $name rejected" >&2; status=1; }
    run_s=$(field "$work/e.json" seconds)
    chamber_s=$(best "$chamber_s" "$run_s")
    check_s=$(best "$check_s" "$(field "$work/k.json" seconds)")
    awk -v s="$run_s" 'BEGIN { exit !(s >= 1) }' && break
  done
  regions=$(field "$work/e.json" regions)
  lpreg=$(awk -v l="$(field "$work/e.json" enumeration_lp_solves)" -v r="$regions" 'BEGIN { printf "%.2f", l / r }')
  peak=$(awk '{ printf "%.0f", $1 / 1024 }' "$work/mem")
  rate=$(awk -v r="$regions" -v s="$chamber_s" 'BEGIN { printf "%.0f", r / s }')
  zas_s=""
  for attempt in 1 2 3; do
    "$chamber" count "$file" --method zaslavsky --json --quiet > "$work/z.json" || status=1
    run_s=$(field "$work/z.json" seconds)
    zas_s=$(best "$zas_s" "$run_s")
    awk -v s="$run_s" 'BEGIN { exit !(s >= 1) }' && break
  done
  [ "$(field "$work/z.json" regions)" = "$regions" ] || { echo "$name: enumeration and Zaslavsky disagree" >&2; status=1; }
  sage_s="-"; nreg_s="-"; pm_s="-"
  if [ $use_sage -eq 1 ]; then
    read -r count sage_s <<< "$(peer sage -python "$script_dir/peers/sage_regions.py" "$file" regions)"
    [ "$count" = "-" ] || [ "$count" = "$regions" ] || { echo "$name: Sage regions() says $count" >&2; status=1; }
    read -r count nreg_s <<< "$(peer sage -python "$script_dir/peers/sage_regions.py" "$file" n_regions)"
    [ "$count" = "-" ] || [ "$count" = "$regions" ] || { echo "$name: Sage n_regions() says $count" >&2; status=1; }
  fi
  if [ $use_polymake -eq 1 ]; then
    read -r count pm_s <<< "$(peer polymake --script "$script_dir/peers/polymake_chambers.pl" "$file")"
    [ "$count" = "-" ] || [ "$count" = "$regions" ] || { echo "$name: polymake says $count" >&2; status=1; }
  fi
  fmt() { [[ "$1" =~ ^[0-9][0-9.eE+-]*$ ]] && printf '%.3g' "$1" || printf '%s' "$1"; }
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$regions" "$(fmt "$chamber_s")" \
    "$(fmt "$check_s")" "$lpreg" "$peak" "$rate" "$(fmt "$sage_s")" "$(ratio "$sage_s" "$chamber_s")" "$(fmt "$pm_s")" \
    "$(ratio "$pm_s" "$chamber_s")" "$(fmt "$zas_s")" "$(fmt "$nreg_s")" "$(ratio "$nreg_s" "$zas_s")"
done
exit $status
