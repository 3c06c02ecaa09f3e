#!/usr/bin/env bash
# Certificate round trip through the command line: enumerate writes a certificate, check accepts it, and
# check rejects (exit 1, with a reason) each tampered copy. Usage: certificate_roundtrip.sh CHAMBER FILE.arr WORKDIR
set -u
chamber=$1
arrangement=$2
work=$3
mkdir -p "$work"
certificate="$work/certificate.json"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

"$chamber" enumerate "$arrangement" --certificate "$certificate" --regions "$work/regions.jsonl" --quiet \
  || { echo "FAIL: enumerate exited $?"; exit 1; }
[ -s "$work/regions.jsonl" ] || fail "no regions file"
"$chamber" check "$certificate" > "$work/out.txt" || fail "valid certificate rejected: $(cat "$work/out.txt")"
grep -q '^valid: proven' "$work/out.txt" || fail "no 'valid' line"
"$chamber" check "$certificate" --arrangement "$arrangement" > /dev/null || fail "certificate does not match its input"

# Each tampering is a sed expression on the certificate (one region per line, one Farkas entry per line).
expect_invalid() {
  local name=$1 expression=$2 reason=$3
  sed -E "$expression" "$certificate" > "$work/$name.json"
  if cmp -s "$certificate" "$work/$name.json"; then fail "$name: the tampering changed nothing"; return; fi
  "$chamber" check "$work/$name.json" > "$work/$name.txt"
  local status=$?
  [ "$status" -eq 1 ] || fail "$name: expected exit 1, got $status"
  grep -Eq "^invalid: .*$reason" "$work/$name.txt" || fail "$name: reason does not match /$reason/: $(cat "$work/$name.txt")"
}
count=$(grep -Eo '"region_count": [0-9]+' "$certificate" | grep -Eo '[0-9]+')
# A missing region: the second region's line deleted, the count lowered to match.
second=$(grep -m 2 -Eo '^\{"signs": "[+-]*"' "$certificate" | tail -1 | grep -Eo '[+-]+')
expect_invalid missing_region "/^\{\"signs\": \"$second\"/d;s/\"region_count\": $count/\"region_count\": $((count - 1))/" \
  "is not a region"
# A witness outside its region: the first region's witness moved far away.
expect_invalid bad_witness '0,/"witness": \[[^]]*\]/s//"witness": ["1000","-1000","1000","-1000","1000","-1000","1000","-1000","1000"]/' \
  "witness violates hyperplane"
# A wrong sign: the first region's first sign flipped.
expect_invalid wrong_sign '0,/\{"signs": "\+/s//{"signs": "-/' "witness violates|same sign vector"
# A duplicate region: the first region line repeated, count raised.
expect_invalid duplicate_region "0,/^(\{\"signs\".*\}),\$/s//\1,\n\1,/;s/\"region_count\": $count/\"region_count\": $((count + 1))/" \
  "same sign vector"
# A Farkas vector that does not verify: the first multiplier of the first entry changed.
expect_invalid bad_farkas '0,/"multipliers": \["[0-9]+"/s//"multipliers": ["987654321"/' "farkas\[0\]"
# A wrong count.
expect_invalid wrong_count "s/\"region_count\": $count/\"region_count\": $((count + 1))/" "region_count"

# Not JSON at all is bad input (exit 2), not a verdict.
echo "not json" > "$work/garbage.json"
"$chamber" check "$work/garbage.json" > /dev/null 2>&1
status=$?
[ "$status" -eq 2 ] || fail "garbage: expected exit 2, got $status"
"$chamber" check "$work/does-not-exist.json" > /dev/null 2>&1
status=$?
[ "$status" -eq 2 ] || fail "missing file: expected exit 2, got $status"

# gzip-compressed certificates (as datasets store them) are read as well; a corrupt stream is bad input.
gzip -c "$certificate" > "$work/certificate.json.gz"
"$chamber" check "$work/certificate.json.gz" | grep -q "^valid" || fail "gzip: the compressed certificate is not valid"
head -c 200 "$work/certificate.json.gz" > "$work/truncated.json.gz"
message=$("$chamber" check "$work/truncated.json.gz" 2>&1)
status=$?
[ "$status" -eq 2 ] || fail "truncated gzip: expected exit 2, got $status"
echo "$message" | grep -q "truncated.json.gz: gzip" || fail "truncated gzip: the message does not name the file: $message"

[ "$failures" -eq 0 ] && echo "certificate round trip: all checks passed"
exit "$failures"
