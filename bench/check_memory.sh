#!/usr/bin/env bash
# The checker's time and peak memory on a certificate it streams (issue 15): `chamber enumerate --certificate` on a
# benchmark instance, then `chamber check` under /usr/bin/time, on the certificate as written (Farkas entries first)
# and with its regions moved before the entries (the order of certificates written before the streaming checker,
# whose blocked pairs must then be kept until the entries are read). BASELINE=path/to/chamber adds an earlier
# binary's checker (one that parses the whole JSON) on the same file.
# usage: bench/check_memory.sh [INSTANCE]    (default resonance6: 1,066,044 regions, a 724 MB certificate)
set -uo pipefail
script_dir="$(cd "$(dirname "$0")" && pwd)"
chamber="${CHAMBER:-$script_dir/../build/bin/chamber}"
bench_dir="${BENCH_DIR:-$script_dir/../../shared/bench}"
instance=${1:-resonance6}
file="$bench_dir/instances/$instance.arr"
[ -f "$file" ] || { echo "bench/check_memory.sh: no instance $file" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
"$chamber" enumerate "$file" --certificate "$work/cert.json" --regions /dev/null --quiet > /dev/null || exit 1
# The same certificate with "regions" before "farkas" (the keys' order is free in JSON).
/usr/bin/python3 - "$work/cert.json" "$work/regions-first.json" <<'PY'
import sys
text = open(sys.argv[1]).read()
farkas = text.index('"farkas": [')
regions = text.index('"regions": [')
head, farkas_part, regions_part = text[:farkas], text[farkas:regions], text[regions:]
body = regions_part.rstrip()
assert body.endswith("}")
open(sys.argv[2], "w").write(head + body[:-1].rstrip() + ",\n" + farkas_part.rstrip().rstrip(",") + "\n}\n")
PY
echo "| checker | certificate | MB | seconds | peak MB | verdict |"
echo "|---|---|---|---|---|---|"
row() {  # label binary file layout
  local out
  out=$(/usr/bin/time -f "%e %M" "$2" check "$3" 2>&1 > "$work/verdict")
  local verdict
  verdict=$(cut -d: -f1 "$work/verdict")
  [ "$verdict" = valid ] || status=1
  printf '| %s | %s | %.0f | %s | %.0f | %s |\n' "$1" "$4" "$(($(stat -c %s "$3") / 1000000))" \
    "$(echo "$out" | tail -1 | cut -d' ' -f1)" "$(awk "BEGIN{print $(echo "$out" | tail -1 | cut -d' ' -f2) / 1024}")" \
    "$verdict"
}
row chamber "$chamber" "$work/cert.json" "farkas first (as written)"
row chamber "$chamber" "$work/regions-first.json" "regions first"
[ -n "${BASELINE:-}" ] && row baseline "$BASELINE" "$work/regions-first.json" "regions first"
exit $status
