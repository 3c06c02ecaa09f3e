#!/usr/bin/env bash
# Zaslavsky's χ three ways, side by side (issue 17): the intersection lattice (every flat), the sweep (Whitney's
# subsets merged into states, hyperplane by hyperplane) and the symmetric lattice (one flat per orbit of the
# arrangement's symmetry group, found automatically), on the resonance arrangements R5-R8, the threshold arrangements
# T4-T7, braid and Shi arrangements (written by bench/families.py), and, for arrangements whose symmetry group is
# trivial (generic arrangements, conv layers), `--chi auto` against the lattice. Each run is timed (zaslavsky_seconds
# of `count --json`: symmetry detection included) and its peak memory measured (/usr/bin/time %M). Prints a markdown
# table, then the targets of issue 17 with "met" / "not met" computed from the measured figures.
#
# usage: bench/chi.sh [--quick] [INSTANCE ...]
#   --quick     skip every run that takes more than a few seconds (R7 and T6 by lattice and sweep, R8 at all, the 1-D
#               conv layer of width 9, the sweep of generic_d6_m24): about a minute
#   INSTANCE    only these rows (names as in the table, e.g. resonance7 threshold6)
# Environment:
#   CHAMBER           binary (default build/bin/chamber; copy it elsewhere if the build directory may be rebuilt)
#   LATTICE_LIMIT     seconds per lattice or auto run (default 300; R7's lattice: 110-230 s and 2.7 GB)
#   SWEEP_LIMIT       seconds per sweep (default 120; LIMIT is read too, for the older name; R7's sweep: about 540 s)
#   SYMMETRIC_LIMIT   seconds per symmetric run (default 3600: issue 17 asks R8 and T7 in at most an hour)
#   QUICK_LIMIT       seconds per run with --quick (default 20)
#   MEMORY_LIMIT_MB   address-space cap per run (ulimit -v; default 16384, issue 17's memory bound; 0: none)
#   REPEAT            runs under a second are repeated this many times and the fastest kept (default 3)
#   R9_LIMIT          seconds for R9 by the symmetric lattice (default 0: R9 is not run; lattice and sweep never)
# Exit status: 0; 1 when two methods give different χ, a count differs from the published one, or a run fails
# otherwise than by its time or memory limit; 2 usage error. A target not met does not change the exit status.
set -uo pipefail
script_dir="$(cd "$(dirname "$0")" && pwd)"
chamber="${CHAMBER:-$script_dir/../build/bin/chamber}"
lattice_limit="${LATTICE_LIMIT:-300}"
sweep_limit="${SWEEP_LIMIT:-${LIMIT:-120}}"
symmetric_limit="${SYMMETRIC_LIMIT:-3600}"
quick_limit="${QUICK_LIMIT:-20}"
memory_mb="${MEMORY_LIMIT_MB:-16384}"
repeat="${REPEAT:-3}"
r9_limit="${R9_LIMIT:-0}"
quick=0
only=()
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "chi.sh: unknown option $arg" >&2; exit 2 ;;
    *) only+=("$arg") ;;
  esac
done
[ -x "$chamber" ] || { echo "chi.sh: no chamber binary at $chamber (set CHAMBER)" >&2; exit 2; }
command -v python3 > /dev/null || { echo "chi.sh: needs python3" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "chi.sh: needs GNU time at /usr/bin/time" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

# Instances: name, file, then what to do with each method: "." run it, "q" run it but not with --quick, "x" out of
# reach (never run), "-" not asked (auto on arrangements with symmetries, where it is the symmetric run).
plan=()
add() { plan+=("$*"); }
families_out=$(python3 "$script_dir/families.py" "$work" resonance5 resonance6 resonance7 resonance8 resonance9 \
  threshold4 threshold5 threshold6 threshold7 braid6 braid8 braid10 shi5 shi6 shi8) || exit 2
declare -A published
while read -r name count; do published[$name]=$count; done <<< "$families_out"
add "resonance5 $work/resonance5.arr . . . -"
add "resonance6 $work/resonance6.arr . . . -"
add "resonance7 $work/resonance7.arr q q . -"
add "resonance8 $work/resonance8.arr x x q -"
[ "$r9_limit" != 0 ] && add "resonance9 $work/resonance9.arr x x r9 -"
add "threshold4 $work/threshold4.arr . . . -"
add "threshold5 $work/threshold5.arr . . . -"
add "threshold6 $work/threshold6.arr q q . -"
add "threshold7 $work/threshold7.arr x x . -"
for name in braid6 braid8 braid10 shi5 shi6 shi8; do add "$name $work/$name.arr . . . -"; done
# Trivial symmetry group: generic arrangements, conv layers (one with many symmetries: stride 2, disjoint windows).
shared="$script_dir/shared/instances"
for name in generic_d4_m20 cnn_3x3x1_f2x2_s1_c3 cnn_1x8x1_f1x3_s1_c3; do add "$name $shared/$name.arr . . . ."; done
add "generic_d6_m24 $shared/generic_d6_m24.arr . q . ."
add "cnn_4x4x1_f2x2_s2_c3 $shared/cnn_4x4x1_f2x2_s2_c3.arr . . . ."
# A conv layer on a 1-D input of width 9 (3 filters 1x2): its lattice has as many flats as regions (919,480).
conv=conv1d_w9_f3_k1x2
if [ $quick -eq 0 ]; then
  "$chamber" random --input 1x1x9 --conv 3:1x2:1 --seed 1 --weights int:-1000000:1000000 -o "$work/$conv.json" \
    > /dev/null && "$chamber" cnn "$work/$conv.json" --arrangement "$work/$conv.arr" --no-verdict --max-regions 1 \
    --threads 1 -q > /dev/null 2>&1
  add "$conv $work/$conv.arr q q q q"
fi

# fields FILE: regions|chi|zaslavsky_seconds|flats|orbits|group order|dimension|hyperplanes of a count --json output.
fields() {
  python3 - "$1" << 'EOF'
import json, sys
try:
    j = json.load(open(sys.argv[1]))
except Exception:
    sys.exit(1)
symmetry = j.get("symmetry") or {}
values = [j.get("regions"), ",".join(str(c) for c in j.get("characteristic_polynomial") or []),
          j.get("zaslavsky_seconds"), j.get("flats"), j.get("flat_orbits"), symmetry.get("order"),
          j.get("dimension"), j.get("hyperplanes")]
print("|".join("" if v is None else str(v) for v in values))
EOF
}

# run FILE METHOD LIMIT: one `count --method zaslavsky --chi METHOD`, repeated while fast; sets r_cell (table cell),
# r_ok (1 if it finished), r_seconds, r_mb and r_fields (see fields).
run() {
  local file=$1 method=$2 limit=$3 attempt code seconds kb
  r_ok=0; r_cell=""; r_seconds=""; r_mb=""; r_fields=""
  for ((attempt = 1; attempt <= repeat; attempt++)); do
    (
      [ "$memory_mb" != 0 ] && ulimit -v $((memory_mb * 1024))
      exec /usr/bin/time -f "%M" -o "$work/time.out" timeout "$limit" "$chamber" count "$file" --method zaslavsky \
        --chi "$method" --json -q > "$work/run.json" 2> "$work/run.err"
    )
    code=$?
    kb=$(tail -n 1 "$work/time.out" 2> /dev/null)
    if [ $code -eq 124 ]; then
      r_cell="over $limit s"; return
    elif [ $code -ne 0 ]; then
      if grep -qiE "memory|bad_alloc" "$work/run.err"; then
        r_cell="over $memory_mb MB"
      else
        r_cell="failed (exit $code)"; status=1
        sed 's/^/    /' "$work/run.err" | head -5 >&2
      fi
      return
    fi
    local got
    got=$(fields "$work/run.json") || { r_cell="failed (bad JSON)"; status=1; return; }
    seconds=$(cut -d'|' -f3 <<< "$got")
    if [ $r_ok -eq 0 ] || awk -v a="$seconds" -v b="$r_seconds" 'BEGIN { exit !(a < b) }'; then
      r_seconds=$seconds; r_fields=$got
      if [[ "$kb" =~ ^[0-9]+$ ]]; then r_mb=$(( (kb + 1023) / 1024 )); else r_mb="?"; fi
    fi
    r_ok=1
    awk -v s="$seconds" 'BEGIN { exit !(s < 1) }' || break
  done
  r_cell="$(seconds "$r_seconds") s / $(commas "$r_mb") MB"
}

commas() { sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta' <<< "$1"; }
seconds() { awk -v s="$1" 'BEGIN { printf (s < 0.01 ? "%.4f" : "%.3f"), s }'; }

declare -A seconds_of mb_of regions_of order_of
for o in "${only[@]}"; do
  known=0; for entry in "${plan[@]}"; do [ "${entry%% *}" = "$o" ] && known=1; done
  [ $known -eq 1 ] || { echo "chi.sh: no instance $o$([ $quick -eq 1 ] && echo ' with --quick')" >&2; exit 2; }
done
echo "| instance | n | m | regions | published | group order | lattice s / MB | sweep s / MB | symmetric s / MB | auto s / MB | orbits / flats | χ agrees |"
echo "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|"
for entry in "${plan[@]}"; do
  read -r name file lattice_plan sweep_plan symmetric_plan auto_plan <<< "$entry"
  if [ ${#only[@]} -gt 0 ]; then
    wanted=0; for o in "${only[@]}"; do [ "$o" = "$name" ] && wanted=1; done
    [ $wanted -eq 1 ] || continue
  fi
  cells=(); chis=(); all_regions=(); dims=""; regions=""; order=""; orbits=""; flats=""
  for method in lattice sweep symmetric auto; do
    case $method in
      lattice) what=$lattice_plan limit=$lattice_limit ;;
      sweep) what=$sweep_plan limit=$sweep_limit ;;
      symmetric) what=$symmetric_plan limit=$symmetric_limit ;;
      auto) what=$auto_plan limit=$lattice_limit ;;
    esac
    [ "$what" = r9 ] && { what=.; limit=$r9_limit; }
    [ $quick -eq 1 ] && [ "$limit" -gt "$quick_limit" ] && limit=$quick_limit
    case $what in
      -) cells+=("-"); continue ;;
      x) cells+=("out of reach, not run"); continue ;;
      q) if [ $quick -eq 1 ]; then cells+=("skipped (--quick)"); continue; fi ;;
    esac
    run "$file" "$method" "$limit"
    cells+=("$r_cell")
    [ $r_ok -eq 1 ] || continue
    IFS='|' read -r f_regions f_chi f_seconds f_flats f_orbits f_order f_dim f_m <<< "$r_fields"
    seconds_of[$name.$method]=$r_seconds; mb_of[$name.$method]=$r_mb
    chis+=("$f_chi"); all_regions+=("$f_regions"); regions=$f_regions; dims="$f_dim|$f_m"
    [ -n "$f_flats" ] && flats=$f_flats
    [ -n "$f_order" ] && order=$f_order
    [ -n "$f_orbits" ] && orbits=$f_orbits
  done
  if [ -z "$dims" ]; then  # nothing finished: dimension and size from the file
    dims=$(grep -v '^#' "$file" | head -1 | tr ' ' '|')
  fi
  regions_of[$name]=$regions; order_of[$name]=$order
  agree="-"
  if [ ${#chis[@]} -ge 2 ]; then
    agree=yes
    for c in "${chis[@]}"; do [ "$c" = "${chis[0]}" ] || agree=NO; done
    [ $agree = NO ] && status=1
  elif [ ${#chis[@]} -eq 1 ]; then
    agree="(one method)"
  fi
  pub="${published[$name]:--}"
  if [ "$pub" = "-" ]; then
    match="-"
  elif [ -z "$regions" ]; then
    match="not checked ($(commas "$pub"))"
  else
    match=yes
    for r in "${all_regions[@]}"; do [ "$r" = "$pub" ] || match="NO (published $(commas "$pub"))"; done
    [ "$match" = yes ] || status=1
  fi
  orbit_cell="-"
  [ -n "$orbits" ] && orbit_cell="$(commas "$orbits") / $(commas "$flats")"
  [ -z "$orbits" ] && [ -n "$flats" ] && orbit_cell="- / $(commas "$flats")"
  echo "| $name | ${dims%%|*} | ${dims#*|} | $([ -n "$regions" ] && commas "$regions") | $match | $([ -n "$order" ] && commas "$order") | ${cells[0]} | ${cells[1]} | ${cells[2]} | ${cells[3]} | $orbit_cell | $agree |"
done

# The targets of issue 17, from the figures above.
echo
echo "Targets (issue 17):"
verdict() { if [ "$1" = 1 ]; then echo met; else echo "not met"; fi; }
measured() { [ -n "${seconds_of[$1]:-}" ]; }
target_time() {  # target_time NAME BOUND_SECONDS LABEL
  local key="$1.symmetric"
  if ! measured "$key"; then echo "- $3: not measured"; return; fi
  local ok; ok=$(awk -v s="${seconds_of[$key]}" -v b="$2" 'BEGIN { print (s <= b) ? 1 : 0 }')
  echo "- $3: $(seconds "${seconds_of[$key]}") s, ${mb_of[$key]} MB: $(verdict "$ok")"
}
target_count() {  # target_count NAME LABEL: published count in at most an hour and 16 GB
  local key="$1.symmetric"
  if ! measured "$key"; then echo "- $2: not measured"; return; fi
  local ok=0
  [ "${regions_of[$1]}" = "${published[$1]}" ] && awk -v s="${seconds_of[$key]}" -v m="${mb_of[$key]}" \
    'BEGIN { exit !(s <= 3600 && m <= 16384) }' && ok=1
  echo "- $2: $(commas "${regions_of[$1]}") regions (published $(commas "${published[$1]}")) in $(seconds \
    "${seconds_of[$key]}") s and ${mb_of[$key]} MB: $(verdict $ok)"
}
target_time resonance7 3 "R7 by the symmetric lattice in at most 3 s"
target_time threshold6 1 "T6 in at most 1 s"
target_count resonance8 "R8 with its published count in at most 1 hour and 16 GB"
target_count threshold7 "T7 with its published count in at most 1 hour and 16 GB"
# auto against lattice where the group is trivial (order 1): the fastest of REPEAT runs each (runs over a second once), within
# 10%, with 10 ms of slack for timer and scheduler noise on runs of a few milliseconds.
compared=0; all_ok=1; details=""
for entry in "${plan[@]}"; do
  read -r name _ <<< "$entry"
  measured "$name.auto" && measured "$name.lattice" || continue
  [ "${order_of[$name]:-}" = 1 ] || continue
  lat=${seconds_of[$name.lattice]}; aut=${seconds_of[$name.auto]}
  ok=$(awk -v a="$aut" -v l="$lat" 'BEGIN { print (a <= 1.10 * l + 0.010) ? 1 : 0 }')
  ratio=$(awk -v a="$aut" -v l="$lat" 'BEGIN { if (l > 0) printf "%.2f", a / l; else print "-" }')
  details+="$name $(seconds "$lat") → $(seconds "$aut") s (×$ratio)$([ "$ok" = 1 ] || echo ' SLOWER'); "
  compared=$((compared + 1)); [ "$ok" = 1 ] || all_ok=0
done
if [ $compared -eq 0 ]; then
  echo "- trivial group, auto no slower than lattice (±10%): not measured"
else
  echo "- trivial group, auto no slower than lattice (±10%, +10 ms): $(verdict $all_ok) (lattice → auto: ${details%; })"
fi
exit $status
