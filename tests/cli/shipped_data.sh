#!/usr/bin/env bash
# shipped_data.sh CHAMBER ROOT WORK: the shipped datasets verify (every hash, every certificate), and the small ones
# regenerate from their specs byte-identically (rows apart from `seconds`; networks, arrangements, certificates,
# summary and manifest exactly), families also from the spec copy inside it.
set -uo pipefail
chamber=$1 root=$2 work=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work"
for dir in xiong_tables/table1 xiong_tables/table2 families one_layer one_layer_16; do
  "$chamber" dataset --verify "$root/data/$dir" --quiet > "$work/verify.txt" || { cat "$work/verify.txt"; fail "$dir does not verify"; }
done
strip() { sed 's/,"seconds":[0-9.e+-]*}$/}/' "$1"; }
# The spec copy inside a dataset (DIR/spec.json, paths resolved) regenerates it too: families-again.
for pair in xiong_table1:xiong_tables/table1 families:families families-again:families; do
  spec=${pair%%:*} dir=${pair#*:}
  spec_file=$root/data/specs/$spec.json
  [ "$spec" = families-again ] && spec_file=$root/data/families/spec.json
  "$chamber" dataset "$spec_file" --out "$work/$spec" --quiet > /dev/null || fail "$spec does not regenerate"
  diff <(strip "$work/$spec/rows.jsonl") <(strip "$root/data/$dir/rows.jsonl") > /dev/null || fail "$spec: rows differ"
  for f in summary.md manifest.json spec.json; do
    cmp -s "$work/$spec/$f" "$root/data/$dir/$f" || fail "$spec: $f differs"
  done
  for sub in networks arrangements certificates; do
    [ -d "$root/data/$dir/$sub" ] || continue
    diff -r "$work/$spec/$sub" "$root/data/$dir/$sub" > /dev/null || fail "$spec: $sub differ"
  done
done
echo "ok: shipped datasets verify; xiong_table1 and families regenerate byte-identically, families also from its own spec.json"
