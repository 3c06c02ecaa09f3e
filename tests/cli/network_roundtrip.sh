#!/usr/bin/env bash
# Network certificate round trip through the command line: `chamber cnn` writes a certificate, `chamber check`
# accepts it (also against its network file) and rejects each tampered copy with exit 1. Layout: line 1 the
# header with the network, line 2 `"regions": [`, then one region per line.
# Usage: network_roundtrip.sh CHAMBER NET.json WORKDIR
set -u
chamber=$1
network=$2
work=$3
mkdir -p "$work"
certificate="$work/network_certificate.json"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

"$chamber" cnn "$network" --certificate "$certificate" --quiet > "$work/cnn.txt" \
  || { echo "FAIL: cnn exited $?"; cat "$work/cnn.txt"; exit 1; }
"$chamber" check "$certificate" > "$work/out.txt" || fail "valid certificate rejected: $(cat "$work/out.txt")"
grep -q '^valid: proven 255 linear regions' "$work/out.txt" || fail "no 'valid: proven 255' line: $(cat "$work/out.txt")"
"$chamber" check "$certificate" --network "$network" > /dev/null || fail "certificate does not match its network"

"$chamber" random --input 1x3x3 --conv 2:2x2:1 --seed 5 -o "$work/other.json" > /dev/null || fail "random failed"
"$chamber" check "$certificate" --network "$work/other.json" > "$work/other.txt"
[ $? -eq 1 ] || fail "certificate accepted for another network"

expect_invalid() {
  local name=$1 expression=$2
  sed -E "$expression" "$certificate" > "$work/$name.json"
  if cmp -s "$certificate" "$work/$name.json"; then fail "$name: the tampering changed nothing"; return; fi
  "$chamber" check "$work/$name.json" > "$work/$name.txt"
  local status=$?
  [ "$status" -eq 1 ] || fail "$name: expected exit 1, got $status: $(cat "$work/$name.txt")"
  grep -q '^invalid: ' "$work/$name.txt" || fail "$name: no 'invalid:' line"
}
expect_invalid drop_region '3{/"pattern"/d}'
expect_invalid count '1s/"region_count":255/"region_count":256/'
expect_invalid weight '1s/-12/-11/'
expect_invalid witness '3s/"witness":\["/"witness":["1000/'
expect_invalid pattern '3s/"pattern":"./"pattern":"0/'
expect_invalid multiplier '0,/"multipliers":\["[0-9]/s//"multipliers":["0/'

printf 'not json' > "$work/garbage.json"
"$chamber" check "$work/garbage.json" > /dev/null 2>&1
[ $? -eq 2 ] || fail "non-JSON certificate: expected exit 2"
[ "$failures" -eq 0 ] && echo "network certificate round trip: all checks passed"
exit "$failures"
