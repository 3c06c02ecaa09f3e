#!/usr/bin/env bash
# The paper's tables reproduced with exact counts, plus timings of certified network runs.
# usage: bench/networks.sh [--quick]    (--quick: Table 2 with 3 seeds and d2 <= 4)
# Environment: CHAMBER (default build/bin/chamber); BASELINE (optional: another chamber binary, e.g. a build of an
# earlier commit, run on the trained models beside CHAMBER). Prints markdown tables; exit 1 if any check fails
# (a count outside a bound that must hold, a certificate rejected, two engines disagreeing).
set -uo pipefail
script_dir="$(cd "$(dirname "$0")" && pwd)"
chamber="${CHAMBER:-$script_dir/../build/bin/chamber}"
quick=0
[ "${1:-}" = "--quick" ] && quick=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
big="int:-1000000:1000000"
field() { grep -Eo "\"$1\": \"?[0-9]+" "$2" | head -1 | grep -Eo '[0-9]+$'; }

echo "### Table 1: input 1x3, d1 filters 1x2, stride 1 (weights uniform in -10^6..10^6, seed 1)"
echo
echo "| d1 | exact | eq. (4) = (1+d1)(1+d1^2) | Theorem 1 | Lemma 2 | verdict |"
echo "|---|---|---|---|---|---|"
for d1 in 1 2 3 4 5 6 7 8; do
  "$chamber" random --input 1x1x3 --conv "$d1:1x2:1" --seed 1 --weights "$big" -o "$work/t1.json" > /dev/null
  "$chamber" cnn "$work/t1.json" --json --quiet > "$work/t1.out" || status=1
  verdict=$(grep -Eo '"verdict": "[a-z-]+"' "$work/t1.out" | cut -d'"' -f4)
  echo "| $d1 | $(field regions "$work/t1.out") | $(field eq4 "$work/t1.out") | $(field theorem1 "$work/t1.out") | $(field lemma2 "$work/t1.out") | $verdict |"
done
echo

seeds=5; top=6
[ $quick -eq 1 ] && { seeds=3; top=4; }
echo "### Table 2: input 1x4, 2 filters 1x2, then d2 filters 1x2x2 (weights uniform in -10^6..10^6, seeds 1..$seeds)"
echo
echo "| d2 | lower (8) | exact, per seed | max | upper (9) | max >= (8) |"
echo "|---|---|---|---|---|---|"
for d2 in $(seq 1 $top); do
  counts=""; max=0; lower=0; upper=0
  for seed in $(seq 1 $seeds); do
    "$chamber" random --input 1x1x4 --conv 2:1x2:1 --conv "$d2:1x2:1" --seed "$seed" --weights "$big" -o "$work/t2.json" > /dev/null
    "$chamber" cnn "$work/t2.json" --json --quiet > "$work/t2.out" || status=1
    r=$(field regions "$work/t2.out"); lower=$(field theorem5_lower "$work/t2.out"); upper=$(field theorem5_upper "$work/t2.out")
    counts="$counts $r"; [ "$r" -gt "$max" ] && max=$r
    [ "$r" -le "$upper" ] || { echo "upper bound (9) violated: d2=$d2 seed=$seed $r > $upper" >&2; status=1; }
  done
  ok=yes; [ "$max" -ge "$lower" ] || ok=no
  echo "| $d2 | $lower |$counts | $max | $upper | $ok |"
done
echo

echo "### Certified runs (cnn --certificate, then check)"
echo
echo "| network | engine | regions | cnn + certificate s | check s | lp solves (+ certificate) | lp/region | regions/s | verdict |"
echo "|---|---|---|---|---|---|---|---|---|"
run_certified() {
  local name=$1; shift
  "$chamber" random "$@" -o "$work/$name.json" > /dev/null
  local start end mid
  start=$(date +%s.%N)
  "$chamber" cnn "$work/$name.json" --json --quiet --certificate "$work/$name.cert" ${engine_args[@]+"${engine_args[@]}"} \
    > "$work/$name.out" || status=1
  mid=$(date +%s.%N)
  "$chamber" check "$work/$name.cert" --network "$work/$name.json" > "$work/$name.check" || { status=1; cat "$work/$name.check"; }
  end=$(date +%s.%N)
  local verdict
  verdict=$(grep -Eo '"verdict": "[a-z-]+"' "$work/$name.out" | cut -d'"' -f4)
  local regions lps cert_lps engine
  regions=$(field regions "$work/$name.out"); lps=$(field lp_solves "$work/$name.out")
  cert_lps=$(field certificate_lp_solves "$work/$name.out")
  engine=$(grep -Eo '"engine": "[a-z]+"' "$work/$name.out" | cut -d'"' -f4)
  printf '| %s | %s | %s | %.2f | %.2f | %s + %s | %.2f | %.0f | %s |\n' "$name" "$engine" "$regions" \
    "$(awk "BEGIN{print $mid - $start}")" "$(awk "BEGIN{print $end - $mid}")" "$lps" "${cert_lps:-0}" \
    "$(awk "BEGIN{print ($lps + ${cert_lps:-0}) / $regions}")" "$(awk "BEGIN{print $regions / ($mid - $start)}")" "${verdict:--}"
}
# Each network with the automatic engine, then (for the deeper ones) with the LP engine alone, the engine before issue 14.
for engine in auto lp; do
  engine_args=(--engine "$engine")
  [ "$engine" = lp ] || {
    run_certified "conv 1x3x3 2:2x2:1 (refutation)" --input 1x3x3 --conv 2:2x2:1 --seed 1 --weights "$big"
    run_certified "conv 1x1x7 3:1x3:1" --input 1x1x7 --conv 3:1x3:1 --seed 1 --weights "$big"
    run_certified "conv 2x2x3 3:2x2:1" --input 2x2x3 --conv 3:2x2:1 --seed 1 --weights "$big"
  }
  run_certified "fc 3-8-8" --input 1x1x3 --linear 8 --linear 8 --seed 1 --weights he:16
  run_certified "conv->fc 1x3x3 2:2x2:1, 6" --input 1x3x3 --conv 2:2x2:1 --linear 6 --seed 1 --weights he:16
  run_certified "conv->conv 1x4x4 2:2x2:2, 3:2x2:1" --input 1x4x4 --conv 2:2x2:2 --conv 3:2x2:1 --seed 1 --weights he:16
  run_certified "fc 4-10-10-10" --input 1x1x4 --linear 10 --linear 10 --linear 10 --seed 1 --weights he:16
done
echo

# Trained models (examples/train_models.py): the moons MLP (2-D input), the iris MLP (4-D) and the 4x4-digits CNN
# (16-D) certified on all of their input space, and the digits CNN on the plane through three digit images. Each
# engine and binary must give the same count per task; `lp` is the LP engine alone (the engine before issue 14).
examples="$script_dir/../examples"
digits_plane=$(grep -v '^#' "$examples/digits_points.txt" | paste -sd';')
echo "### Trained models, engine by engine"
echo
echo "| binary | task | engine | regions | lp solves (+ certificate) | lp/region | seconds | regions/s | check |"
echo "|---|---|---|---|---|---|---|---|---|"
trained_row() {  # binary-label binary task engine-args...
  local label=$1 bin=$2 task=$3; shift 3
  local out="$work/trained.out" cert="$work/trained.cert" start end check="-" net
  case "$task" in
    "moons certified") net=moons_mlp ;;
    "iris certified") net=iris_mlp ;;
    "digits4 certified") net=digits4_cnn ;;
    *) net=digits_cnn ;;
  esac
  local file="$examples/$net.json"
  if [ "$label" = baseline ]; then  # binaries before the read-out entered the format read the file without it
    file="$work/$net.noreadout.json"
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d.pop("readout", None); json.dump(d, open(sys.argv[2], "w"))' \
      "$examples/$net.json" "$file"
  fi
  # Runs under 2 s are repeated (three in all) and the fastest is kept: at a tenth of a second one run is mostly noise.
  local seconds="" run took
  for run in 1 2 3; do
    start=$(date +%s.%N)
    if [ "$net" = digits_cnn ]; then
      "$bin" slice "$file" --through "$digits_plane" --json --quiet "$@" > "$out" || status=1
    else
      "$bin" cnn "$file" --no-verdict --json --quiet --certificate "$cert" "$@" > "$out" || status=1
    fi
    end=$(date +%s.%N)
    took=$(awk "BEGIN{print $end - $start}")
    if [ -z "$seconds" ]; then seconds=$took; else seconds=$(awk "BEGIN{print ($took < $seconds) ? $took : $seconds}"); fi
    awk "BEGIN{exit !($took >= 2)}" && break
  done
  if [ "$net" != digits_cnn ]; then
    "$bin" check "$cert" --network "$file" > /dev/null && check=valid || { check=INVALID; status=1; }
  fi
  local regions lps cert_lps engine
  regions=$(field regions "$out"); lps=$(field lp_solves "$out"); cert_lps=$(field certificate_lp_solves "$out")
  engine=$(grep -Eo '"engine": "[a-z]+"' "$out" | cut -d'"' -f4)
  printf '| %s | %s | %s | %s | %s%s | %.2f | %.2f | %.0f | %s |\n' "$label" "$task" "${engine:-lp}" "$regions" "$lps" \
    "${cert_lps:+ + $cert_lps}" "$(awk "BEGIN{print ($lps + ${cert_lps:-0}) / $regions}")" \
    "$seconds" "$(awk "BEGIN{print $regions / $seconds}")" "$check"
  echo "$task $regions" >> "$work/trained.counts"
  echo "$label|$task|$*|$seconds" >> "$work/trained.times"
}
for task in "moons certified" "iris certified" "digits4 certified" "digits slice"; do
  trained_row chamber "$chamber" "$task"
  # (slice has no --engine: on a plane it is always the 2-D engine; the baseline binary shows the LP engine there)
  [ "$task" = "digits slice" ] || trained_row chamber "$chamber" "$task" --engine lp
  [ -n "${BASELINE:-}" ] && trained_row baseline "$BASELINE" "$task"
done
# The targets of issue 14, side by side: the default engine against the baseline binary on the same task.
if [ -n "${BASELINE:-}" ]; then
  echo
  echo "| task | baseline s | chamber s (default engine) | speed-up |"
  echo "|---|---|---|---|"
  for task in "moons certified" "iris certified" "digits4 certified" "digits slice"; do
    now=$(awk -F'|' -v t="$task" '$1 == "chamber" && $2 == t && $3 == "" {print $4}' "$work/trained.times")
    then=$(awk -F'|' -v t="$task" '$1 == "baseline" && $2 == t {print $4}' "$work/trained.times")
    printf '| %s | %.2f | %.3f | %.1fx |\n' "$task" "$then" "$now" "$(awk "BEGIN{print $then / $now}")"
  done
fi
# Every engine and binary must give the same count per task.
if [ "$(sort -u "$work/trained.counts" | awk '{print $1, $2}' | uniq -d | wc -l)" -ne 0 ]; then
  echo "engines disagree:" >&2; sort -u "$work/trained.counts" >&2; status=1
fi
exit $status
