#!/usr/bin/env bash
# Every network engine through the CLI gives the same count with a certificate that `chamber check` accepts:
# `--engine auto|lp|cone|hybrid` on random networks of one to three layers (conv, linear, conv->linear, conv->conv),
# with and without a box; auto runs the LP engine on one layer or in a box of more than 6 inputs, else the hybrid, and
# says so in --json; the cone engine refuses a box of more than 2^10 vertices (exit 4), the hybrid takes it.
# Usage: engines.sh CHAMBER WORKDIR
set -u
chamber=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
field() { grep -Eo "\"$1\": \"?[a-z0-9]+" "$2" | head -1 | sed 's/.*: "\{0,1\}//'; }
networks=0
make() {  # name, then the options of chamber random
  local name=$1; shift
  "$chamber" random "$@" -o "$work/$name.json" > /dev/null || fail "chamber random $*"
}
make conv1 --input 1x3x3 --conv 2:2x2:1 --seed 1 --weights int:-1000000:1000000
make fc2 --input 1x1x3 --linear 8 --linear 6 --seed 2 --weights he:16
make fc3 --input 1x1x4 --linear 6 --linear 5 --linear 4 --seed 3 --weights int:-3:3
make convfc --input 1x3x3 --conv 2:2x2:1 --linear 5 --seed 4 --weights he:16
make convconv --input 1x4x4 --conv 2:2x2:2 --conv 3:2x2:1 --seed 5 --weights he:16
for name in conv1 fc2 fc3 convfc convconv; do
  for box in "" "-1,2"; do
    counts=""
    inputs=$(($(tr -d ' \n' < "$work/$name.json" | grep -Eo '"input_shape":\[[0-9]+,[0-9]+,[0-9]+\]' |
      grep -Eo '[0-9]+' | paste -sd'*')))
    huge_box=0; [ -n "$box" ] && [ "$inputs" -gt 10 ] && huge_box=1
    for engine in auto lp cone hybrid; do
      out="$work/$name.$engine.out" cert="$work/$name.$engine.cert"
      "$chamber" cnn "$work/$name.json" --engine "$engine" ${box:+--box "$box"} --no-verdict --json -q \
        --certificate "$cert" > "$out" 2> "$work/stderr"
      code=$?
      if [ $huge_box -eq 1 ] && [ "$engine" = cone ]; then  # the cones would start from 2^n box vertices
        [ $code -eq 4 ] && grep -q "the box has 2^$inputs vertices" "$work/stderr" || fail "$name cone in a box: exit $code"
        continue
      fi
      [ $code -eq 0 ] || fail "$name --engine $engine ${box:+--box $box} exited $code: $(cat "$work/stderr")"
      "$chamber" check "$cert" --network "$work/$name.json" > /dev/null || fail "$name --engine $engine: certificate rejected"
      counts="$counts $(field regions "$out")"
      ran=$(field engine "$out")
      if [ "$engine" = auto ]; then
        layers=$(grep -o '"type": *"[a-z0-9]*"' "$work/$name.json" | wc -l)
        # One layer, or a box of more than 6 inputs (2^n vertices): the LP engine.
        want=hybrid; { [ "$layers" -eq 1 ] || { [ -n "$box" ] && [ "$inputs" -gt 6 ]; }; } && want=lp
        [ "$ran" = "$want" ] || fail "$name: auto ran $ran, expected $want"
      elif [ "$engine" = hybrid ]; then
        [ "$ran" = hybrid ] || fail "$name: --engine hybrid ran $ran"
        # On these networks in all of R^n the hybrid proves every non-facet itself: no LP in the certificate
        [ -n "$box" ] || [ "$(field certificate_lp_solves "$out")" = 0 ] || fail "$name: hybrid certificate LPs"
      else
        [ "$ran" = "$engine" ] || fail "$name: --engine $engine ran $ran"
      fi
    done
    [ "$(echo $counts | tr ' ' '\n' | sort -u | wc -l)" -eq 1 ] || fail "$name ${box:+box $box}: engines disagree:$counts"
    networks=$((networks + 1))
  done
done
"$chamber" cnn "$work/fc2.json" --engine simplex -q > "$work/bad.out" 2>&1
code=$?
[ $code -eq 2 ] || fail "--engine simplex exited $code, expected 2"
grep -q "expected auto, lp, cone, hybrid or plane" "$work/bad.out" || fail "--engine simplex: $(cat "$work/bad.out")"
echo "ok: $networks networks and domains, engines auto, lp, cone and hybrid agree, every certificate checks"
