#!/usr/bin/env bash
# realize.sh CHAMBER WORK: chamber realize builds a network; chamber cnn and chamber line, run on the file it wrote,
# find exactly the given breakpoints, and the JSON says the minimum with its reason.
set -euo pipefail
chamber=$1
work=$2
rm -rf "$work" && mkdir -p "$work"
fail() { echo "realize.sh: $*" >&2; exit 1; }

# k neurons suffice (the jumps at -1 and 2 sum to -s0 = -1).
"$chamber" realize --breakpoints -1,1/2,2 --slopes 1,-1,2,0 --value-at-0 3 -o "$work/a.json" --json > "$work/a.out"
/usr/bin/python3 - "$work/a.out" <<'PY' || fail "realize --json (k neurons)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["neurons"] == 3 and d["lower_bound"] == 3 and d["extra_neuron"] is False, d
assert d["check"]["breakpoints_match"] and d["check"]["values_match"], d["check"]
assert d["check"]["enumerated_breakpoints"] == ["-1", "1/2", "2"]
PY
"$chamber" cnn "$work/a.json" --json > "$work/a.cnn"
grep -q '"regions": 4' "$work/a.cnn" || fail "chamber cnn: not 4 regions"
/usr/bin/python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["breakpoints"]; assert b==["-1","1/2","2"], b' \
  "$work/a.cnn" || fail "chamber cnn: breakpoints differ"
"$chamber" line "$work/a.json" --through "-10;10" --json > "$work/a.line"
/usr/bin/python3 - "$work/a.line" <<'PY' || fail "chamber line: breakpoints differ"
import json, sys
from fractions import Fraction
segment = json.load(open(sys.argv[1]))["segments"][0]
xs = [Fraction(b["x"][0]) for b in segment["breakpoints"]]
assert xs == [Fraction(-1), Fraction(1, 2), Fraction(2)], xs
PY

# One more neuron: a single breakpoint whose jump 3 is not -s0 = -2.
"$chamber" realize --breakpoints 1/3 --slopes 2,5 -o "$work/b.json" > "$work/b.out"
grep -q "minimum hidden neurons (one hidden layer): 2" "$work/b.out" || fail "extra neuron case"
grep -q "one more is needed" "$work/b.out" || fail "extra neuron reason"
"$chamber" cnn "$work/b.json" --json | grep -q '"1/3"' || fail "extra neuron: breakpoint 1/3 not found by chamber cnn"

# A points file.
printf '# x, y\n0,0\n1,1\n2,0\n3,0\n4,1/2\n' > "$work/points.csv"
"$chamber" realize --points "$work/points.csv" > "$work/c.out"
grep -q "breakpoints \[1, 2, 3\]" "$work/c.out" || fail "points file breakpoints"

# Bad input exits 2 naming the option or file.
expect2() {
  local regex=$1; shift
  set +e; out=$("$chamber" realize "$@" 2>&1); code=$?; set -e
  [ "$code" -eq 2 ] || fail "exit $code (not 2) from realize $*: $out"
  printf '%s\n' "$out" | grep -Eq -- "$regex" || fail "message /$regex/ not in: $out"
}
expect2 "--breakpoints: not strictly ascending" --breakpoints 1,1 --slopes 1,2,3
expect2 "--slopes: expected 3 slopes" --breakpoints 1,2 --slopes 1,2
expect2 "--slopes: s0 = s1 = 2" --breakpoints 1 --slopes 2,2
expect2 "--breakpoints: column 1" --breakpoints x --slopes 1,2
expect2 "--value-at-0" --breakpoints 1 --slopes 1,2 --value-at-0 1,2
expect2 "give either" --breakpoints 1 --slopes 1,2 --points "$work/points.csv"
expect2 "missing.csv: cannot open" --points "$work/missing.csv"
printf '0,0\n1,1\n1,2\n' > "$work/same_x.csv"
expect2 "same_x.csv:3: x = 1 also at .*same_x.csv:2" --points "$work/same_x.csv"
printf '0,0\n1,1\n2,2\n' > "$work/line.csv"
expect2 "collinear" --points "$work/line.csv"
echo "realize.sh: ok"
