#!/usr/bin/env bash
# shipped_data.sh CHAMBER ROOT WORK: the shipped datasets verify (every hash, every certificate), and the small ones
# regenerate from their specs byte-identically (rows apart from `seconds`; networks, arrangements, certificates,
# summary and manifest exactly).
set -uo pipefail
chamber=$1 root=$2 work=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work"
for dir in xiong_tables/table1 xiong_tables/table2 families one_layer; do
  "$chamber" dataset --verify "$root/data/$dir" --quiet > "$work/verify.txt" || { cat "$work/verify.txt"; fail "$dir does not verify"; }
done
strip() { sed 's/,"seconds":[0-9.e+-]*}$/}/' "$1"; }
for pair in xiong_table1:xiong_tables/table1 families:families; do
  spec=${pair%%:*} dir=${pair#*:}
  "$chamber" dataset "$root/data/specs/$spec.json" --out "$work/$spec" --quiet > /dev/null || fail "$spec does not regenerate"
  diff <(strip "$work/$spec/rows.jsonl") <(strip "$root/data/$dir/rows.jsonl") > /dev/null || fail "$spec: rows differ"
  for f in summary.md manifest.json spec.json; do
    cmp -s "$work/$spec/$f" "$root/data/$dir/$f" || fail "$spec: $f differs"
  done
  for sub in networks arrangements certificates; do
    [ -d "$root/data/$dir/$sub" ] || continue
    diff -r "$work/$spec/$sub" "$root/data/$dir/$sub" > /dev/null || fail "$spec: $sub differ"
  done
done
echo "ok: shipped datasets verify; xiong_table1 and families regenerate byte-identically"
