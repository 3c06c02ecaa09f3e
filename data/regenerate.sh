#!/usr/bin/env bash
# Regenerates the shipped datasets from their specs (data/specs/), resuming whatever is already there, then verifies
# each (every hash, every certificate). Rows are byte-identical to the shipped ones apart from the `seconds` field.
# usage: data/regenerate.sh [--jobs N] [NAME ...]    NAME: xiong_table1, xiong_table2, families, one_layer (default: all)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
chamber="${CHAMBER:-$root/build/bin/chamber}"
jobs=$(nproc 2> /dev/null || echo 2)
names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs="$2"; shift ;;
    *) names+=("$1") ;;
  esac
  shift
done
[ ${#names[@]} -eq 0 ] && names=(xiong_table1 xiong_table2 families one_layer)
out_of() {
  case "$1" in
    xiong_table1) echo "$root/data/xiong_tables/table1" ;;
    xiong_table2) echo "$root/data/xiong_tables/table2" ;;
    *) echo "$root/data/$1" ;;
  esac
}
for name in "${names[@]}"; do
  spec="$root/data/specs/$name.json"
  [ -f "$spec" ] || { echo "data/regenerate.sh: no spec $spec" >&2; exit 2; }
  "$chamber" dataset "$spec" --out "$(out_of "$name")" --jobs "$jobs"
  "$chamber" dataset --verify "$(out_of "$name")" --quiet
done
