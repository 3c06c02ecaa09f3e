#!/usr/bin/env bash
# dataset_resume.sh CHAMBER SPEC WORK: `chamber dataset` killed (SIGKILL) at random moments and rerun gives the same
# rows as an uninterrupted run (timing aside): none lost, none duplicated, none half-written; --verify passes, and
# fails (exit 1) once a file is tampered with; plot-dataset draws every row; summary.md names the budgets that left a row
# uncounted, or a failure of eq. (4) without a certificate.
set -uo pipefail
chamber=$1 spec=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
strip() { sed 's/,"seconds":[0-9.e+-]*}$/}/' "$1"; }

"$chamber" dataset "$spec" --out "$work/whole" --quiet > /dev/null || fail "uninterrupted run"
total=$(wc -l < "$work/whole/rows.jsonl")
[ "$total" -eq 10 ] || fail "expected 10 rows, got $total"

for delay in 0.05 0.1 0.15 0.2 0.3 0.4; do
  "$chamber" dataset "$spec" --out "$work/killed" --jobs 2 --quiet > /dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
done
"$chamber" dataset "$spec" --out "$work/killed" --jobs 2 --quiet > /dev/null || fail "resumed run"
diff <(strip "$work/whole/rows.jsonl") <(strip "$work/killed/rows.jsonl") > /dev/null ||
  fail "resumed rows differ from the uninterrupted run"
cmp -s "$work/whole/summary.md" "$work/killed/summary.md" || fail "summary.md differs"
cmp -s "$work/whole/manifest.json" "$work/killed/manifest.json" || fail "manifest.json differs"
ids=$(grep -o '"id":"[^"]*"' "$work/killed/rows.jsonl" | sort | uniq -d)
[ -z "$ids" ] || fail "duplicated rows: $ids"
# Same spec, same rows: a second uninterrupted run is byte-identical apart from the seconds. Not in the sanitizer tree
# (CHAMBER_SANITIZER_TREE=1), where the two runs above already take the same paths, on 1 and 2 threads.
if [ "${CHAMBER_SANITIZER_TREE:-0}" != 1 ]; then
  "$chamber" dataset "$spec" --out "$work/again" --jobs 3 --quiet > /dev/null || fail "third run"
  diff <(strip "$work/whole/rows.jsonl") <(strip "$work/again/rows.jsonl") > /dev/null || fail "not deterministic"
fi
"$chamber" dataset --verify "$work/killed" --quiet > /dev/null || fail "--verify rejects a good dataset"
# A rerun of a finished dataset computes nothing and changes no row.
"$chamber" dataset "$spec" --out "$work/killed" --quiet | grep -q "0 computed now" || fail "rerun recomputed"
certificate=$(ls "$work/killed/certificates" | head -1)
# Certificates are stored gzip-compressed: change one byte of the stream.
printf 'Z' | dd of="$work/killed/certificates/$certificate" bs=1 seek=40 conv=notrunc status=none
"$chamber" dataset --verify "$work/killed" --quiet > "$work/verify.txt"
[ $? -eq 1 ] || fail "--verify accepted a tampered certificate"
grep -q "sha256 differs" "$work/verify.txt" || fail "--verify does not name the tampered file"
# The chart: one dot per row, an eq. (4) bar per one-conv-layer architecture; it renders.
"$chamber" plot-dataset "$work/whole" --svg "$work/plot.svg" --quiet > /dev/null || fail "plot-dataset"
[ "$(grep -c 'class="exact"' "$work/plot.svg")" -eq "$total" ] || fail "plot: not one dot per row"
[ "$(grep -c 'class="eq4"' "$work/plot.svg")" -eq 2 ] || fail "plot: expected 2 eq. (4) bars"
if command -v rsvg-convert > /dev/null; then rsvg-convert "$work/plot.svg" -o "$work/plot.png" || fail "plot does not render"; fi
# Over max_enumerated_regions: one layer counted by Zaslavsky alone (no certificate), deeper networks not counted.
"$chamber" dataset "$(dirname "$spec")/limited.json" --out "$work/limited" --quiet > /dev/null || fail "limited run"
sed -n 1p "$work/limited/rows.jsonl" | grep -q '"regions":255,"method":"zaslavsky"' || fail "limited: 1x3x3 not by Zaslavsky"
sed -n 1p "$work/limited/rows.jsonl" | grep -q '"certificate":null' || fail "limited: certificate over the limit"
sed -n 2p "$work/limited/rows.jsonl" | grep -q '"regions":null,"method":"over-limit"' || fail "limited: deep net not over-limit"
sed -n 3p "$work/limited/rows.jsonl" | grep -q '"method":"enumeration+zaslavsky"' || fail "limited: small net not enumerated"
"$chamber" dataset --verify "$work/limited" --quiet > /dev/null || fail "--verify rejects the limited dataset"
# The summary names the budgets: a failure of eq. (4) above max_certified_regions (no certificate, the verdict's verified
# dependency instead) and a one-layer network beyond max_flats, max_sweep_states and max_enumerated_regions (over-limit,
# its enumeration not even started: more flats than the limit means more regions).
"$chamber" dataset "$(dirname "$spec")/budgets.json" --out "$work/budgets" --quiet > /dev/null || fail "budgets run"
summary=$work/budgets/summary.md
grep -q '255 < 256, fails-structural; no certificate: 255 regions > max_certified_regions = 200; .*verified by expansion' \
  "$summary" || fail "budgets: the failure without a certificate is not named with its budget and dependency"
sed -n 2p "$work/budgets/rows.jsonl" | grep -q '"regions":null,"method":"over-limit"' || fail "budgets: 1x1x6 not over-limit"
sed -n 2p "$work/budgets/rows.jsonl" | grep -q '"certificate":null,"certificate_sha256":null,"lp_solves":null' ||
  fail "budgets: an enumeration was run beyond max_flats"
grep -q 'max_flats = 300 flats .* max_sweep_states = 5 states .* max_enumerated_regions = 100 regions' "$summary" ||
  fail "budgets: the budgets of the uncounted rows are not named"
grep -q '^- \*\*1x1x6 conv 2:1x2:1\*\*: 0001-1x1x6-conv-2-1x2-1' "$summary" || fail "budgets: the uncounted row is not listed"
"$chamber" dataset --verify "$work/budgets" --quiet > /dev/null || fail "--verify rejects the budgets dataset"
echo "ok: resumed after 6 kills, same rows; --verify passes, and catches a tampered certificate; the summary names the budgets"
