#!/usr/bin/env bash
# Benchmark: runs `chamber count FILE --json` (enumeration + Zaslavsky) on every instance of the shared benchmark
# set, then `chamber enumerate --certificate` and `chamber check` on the certificate, and prints one table row per
# instance, compared with the expected counts in expected.txt.
#
# usage: bench/run.sh [--all] [--time-limit S] [--no-certificate] [INSTANCE ...]
#   --all             also run the instances marked `large` in expected.txt (skipped by default)
#   --time-limit S    per-run limit in seconds passed to chamber as --time-limit (default 600); a run that hits it
#                     (exit 4) shows "timeout"
#   --no-certificate  skip `enumerate --certificate` and `check`
#   INSTANCE ...      run only these instances (names without .arr)
# Environment: CHAMBER (default: build/bin/chamber of this checkout), BENCH_DIR (default: ../shared/bench beside
# the checkout, i.e. "$(dirname "$0")/../../shared/bench").
# Exit status: 0 all counts match, 1 a count mismatches expected.txt (or enumeration and Zaslavsky disagree, a
# certificate is invalid, or a run failed), 2 usage error or missing files.
#
# Columns: expected / exp_bnd = regions / bounded regions from expected.txt ('-' unknown); found / bounded = what
# `count` found; agree = enumeration and Zaslavsky (|chi(-1)|, |chi(1)|) agree; count_s = wall seconds of `count`
# (intersection lattice + enumeration + boundedness of every region); lp/reg = enumeration LP solves per region of
# `count` (boundedness costs one or two certified float LPs per region on essential, non-central arrangements,
# reported as boundedness_paths by count --json);
# regions/s = found / count_s; cert = verdict of `chamber check` on the certificate written by
# `enumerate --certificate`; cert_s = seconds of enumerate --certificate + check; check_s = seconds of the check
# alone; status = OK / MISMATCH against expected.txt (or timeout, DISAGREE, ERROR).
set -uo pipefail

script_dir="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(cd "$script_dir/.." && pwd)"
chamber="${CHAMBER:-$repo_root/build/bin/chamber}"
bench_dir="${BENCH_DIR:-$script_dir/../../shared/bench}"
# A clean clone without ../shared uses the copy kept in the repository.
[ -z "${BENCH_DIR:-}" ] && [ ! -d "$bench_dir" ] && bench_dir="$script_dir/shared"

all=0
time_limit=600
certificate=1
only=()
usage() { sed -n '6,13p' "$0" | sed 's/^# \{0,1\}//' >&2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --all) all=1 ;;
    --no-certificate) certificate=0 ;;
    --time-limit)
      [ $# -ge 2 ] || { echo "bench/run.sh: --time-limit needs a value" >&2; exit 2; }
      time_limit="$2"; shift ;;
    --time-limit=*) time_limit="${1#*=}" ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "bench/run.sh: unknown option $1" >&2; usage; exit 2 ;;
    *) only+=("${1%.arr}") ;;
  esac
  shift
done
if ! [[ "$time_limit" =~ ^[0-9]+([.][0-9]+)?$ ]] || ! awk -v t="$time_limit" 'BEGIN { exit !(t > 0) }'; then
  echo "bench/run.sh: --time-limit needs a positive number of seconds, got '$time_limit'" >&2; exit 2
fi
[ -x "$chamber" ] || { echo "bench/run.sh: $chamber not found; build first (./run.sh)" >&2; exit 2; }
[ -d "$bench_dir/instances" ] || { echo "bench/run.sh: no instances in $bench_dir/instances" >&2; exit 2; }
expected_file="$bench_dir/expected.txt"
[ -f "$expected_file" ] || { echo "bench/run.sh: $expected_file not found" >&2; exit 2; }
command -v python3 > /dev/null || { echo "bench/run.sh: python3 is needed to read chamber's JSON" >&2; exit 2; }

for o in ${only[@]+"${only[@]}"}; do
  [ -f "$bench_dir/instances/$o.arr" ] || { echo "bench/run.sh: no instance $o in $bench_dir/instances" >&2; exit 2; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/chamber-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# json_fields FILE KEY... : prints the values of top-level KEYs, tab separated ("" for missing/null).
json_fields() {
  python3 - "$@" <<'EOF'
import json, sys
try:
    with open(sys.argv[1]) as f:
        data = json.load(f)
except (OSError, ValueError):
    data = {}
out = []
for key in sys.argv[2:]:
    v = data.get(key)
    if v is None:
        out.append("")
    elif isinstance(v, bool):
        out.append("true" if v else "false")
    elif isinstance(v, float):
        out.append("%.6g" % v)
    else:
        out.append(str(v))
print("\t".join(out))
EOF
}

# expected.txt: instance regions bounded size source...
lookup_expected() {  # NAME -> "regions bounded size" or nothing
  awk -v name="$1" '$1 !~ /^#/ && $1 == name { print $2, $3, $4; exit }' "$expected_file"
}

row_format="%-22s %9s %9s %9s %9s %6s %9s %8s %9s %8s %9s %8s  %s\n"
printf "$row_format" instance expected found exp_bnd bounded agree count_s lp/reg regions/s cert cert_s check_s status
failures=0
ran=0

for file in "$bench_dir"/instances/*.arr; do
  name="$(basename "$file" .arr)"
  if [ ${#only[@]} -gt 0 ]; then
    wanted=0
    for o in "${only[@]}"; do [ "$o" = "$name" ] && wanted=1; done
    [ $wanted -eq 1 ] || continue
  fi
  read -r exp_regions exp_bounded size <<< "$(lookup_expected "$name")"
  exp_regions="${exp_regions:-?}"
  exp_bounded="${exp_bounded:--}"
  size="${size:-?}"
  if [ "$size" = "large" ] && [ $all -eq 0 ]; then
    echo "$name: skipped (large; expected $exp_regions regions; use --all)"
    continue
  fi
  ran=$((ran + 1))

  # 1. count: enumeration + Zaslavsky, with bounded regions.
  "$chamber" count "$file" --json --quiet --time-limit "$time_limit" > "$work/count.json" 2> "$work/count.err"
  rc=$?
  found="" bounded="" agree="" seconds="" lp_per_region="" rate="-" status=""
  IFS=$'\t' read -r found bounded agree seconds lp_per_region < <(json_fields "$work/count.json" \
    regions bounded_regions agree seconds lp_solves_per_region)
  case $rc in
    0) ;;
    4) found="timeout"; status="timeout" ;;
    3) status="DISAGREE" ;;
    *) found="error"; status="ERROR(exit $rc)" ;;
  esac
  if [ $rc -eq 0 ] || [ $rc -eq 3 ]; then
    rate="$(python3 -c 'import sys; r, s = sys.argv[1:]; print("%.0f" % (int(r) / float(s)) if float(s) > 0 else "-")' \
      "$found" "$seconds" 2> /dev/null || echo -)"
  fi
  [ -n "$lp_per_region" ] && lp_per_region="$(printf '%.3f' "$lp_per_region")"
  [ -n "$seconds" ] && seconds="$(printf '%.3f' "$seconds")"

  # 2. certificate: enumerate --certificate, then the independent checker.
  cert="-" cert_seconds="-" check_seconds="-"
  if [ $certificate -eq 1 ] && [ $rc -ne 4 ]; then
    start=$(date +%s.%N)
    "$chamber" enumerate "$file" --certificate "$work/$name.cert.json" --regions /dev/null --json --quiet \
      --time-limit "$time_limit" > "$work/enumerate.json" 2> "$work/enumerate.err"
    erc=$?
    if [ $erc -eq 0 ]; then
      "$chamber" check "$work/$name.cert.json" --arrangement "$file" --json > "$work/check.json" 2> "$work/check.err"
      crc=$?
      check_seconds="$(json_fields "$work/check.json" seconds)"
      [ -n "$check_seconds" ] && check_seconds="$(printf '%.3f' "$check_seconds")" || check_seconds="-"
      case $crc in
        0) cert="valid" ;;
        1) cert="INVALID" ;;
        *) cert="error($crc)" ;;
      esac
    elif [ $erc -eq 4 ]; then
      cert="timeout"
    else
      cert="error($erc)"
    fi
    cert_seconds="$(python3 -c 'import sys; print("%.3f" % (float(sys.argv[2]) - float(sys.argv[1])))' \
      "$start" "$(date +%s.%N)")"
    rm -f "$work/$name.cert.json"
  fi

  # 3. verdict against expected.txt.
  if [ -z "$status" ]; then
    if [ "$exp_regions" = "?" ]; then
      status="-"
    elif [ "$found" = "$exp_regions" ] && { [ "$exp_bounded" = "-" ] || [ "$bounded" = "$exp_bounded" ]; }; then
      status="OK"
    else
      status="MISMATCH"
    fi
  fi
  case "$status" in
    MISMATCH|DISAGREE|ERROR*) failures=$((failures + 1)) ;;
  esac
  case "$cert" in
    INVALID|error*) failures=$((failures + 1)) ;;
  esac

  printf "$row_format" "$name" "$exp_regions" "${found:--}" "$exp_bounded" "${bounded:--}" "${agree:--}" \
    "${seconds:--}" "${lp_per_region:--}" "$rate" "$cert" "$cert_seconds" "$check_seconds" "$status"
  for err in "$work/count.err" "$work/enumerate.err" "$work/check.err"; do
    [ -s "$err" ] && sed "s/^/    /" "$err"
    rm -f "$err"
  done
done

echo "$ran instances run, $failures failures (chamber: $chamber; time limit ${time_limit}s per run)"
[ $failures -eq 0 ] || exit 1
exit 0
