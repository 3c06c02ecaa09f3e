#!/usr/bin/env bash
# faults.sh CHAMBER ROOT WORKDIR: outputs appear whole or not at all.
#  - a full disk (/dev/full, and a file-size limit for the temporary-file path) and an unwritable path are exit 2
#    naming the path, leaving no file and no temporary file behind;
#  - a run that fails or stops (--max-regions) leaves an existing file under the final name untouched;
#  - SIGINT/SIGTERM during a long enumeration, a network run and a dataset stop it within a second with exit 130/143,
#    nothing under the final names, no temporary files; a stopped dataset keeps only complete rows (resuming is
#    dataset_resume.sh's test).
source "$(dirname "$0")/harness.sh"

arr=$root/examples/cnn_3x3x1_f2x2_s1_c2.arr
net=$root/examples/cnn_3x3x1_f2x2_s1_c2.json
long_arr=$root/bench/shared/instances/resonance6.arr

# expect CODE REGEX COMMAND...: exit code and a line of stderr+stdout.
expect() {
  local code=$1 regex=$2
  shift 2
  local output status
  output=$("$@" 2>&1 < /dev/null)
  status=$?
  [ "$status" -eq "$code" ] || fail "expected exit $code, got $status: $* :: $(printf '%s' "$output" | tail -3)"
  printf '%s\n' "$output" | grep -Eq -- "$regex" || fail "no /$regex/ in the output of: $* :: $(printf '%s' "$output" | tail -3)"
}

# no_temporaries DIR: no .NAME.tmp-* file left in DIR.
no_temporaries() {
  local left
  left=$(find "$1" -maxdepth 1 -name '.*.tmp-*' | head -5)
  [ -z "$left" ] || fail "temporary files left in $1: $left"
}

echo "== a full disk and unwritable paths: exit 2 naming the path"
expect 2 "/dev/full: write error: No space left on device" "$chamber" enumerate "$arr" --certificate /dev/full -q
expect 2 "/dev/full: write error: No space left on device" "$chamber" enumerate "$arr" --regions /dev/full -q
expect 2 "/dev/full: write error: No space left on device" "$chamber" cnn "$net" --no-verdict --certificate /dev/full -q
expect 2 "/dev/full: write error: No space left on device" "$chamber" cnn "$net" --no-verdict --regions /dev/full -q
expect 2 "/dev/full: write error: No space left on device" "$chamber" cnn "$net" --no-verdict --arrangement /dev/full -q
expect 2 "/dev/full: write error: No space left on device" "$chamber" slice "$net" --random-plane 1 --svg /dev/full -q
expect 2 "/dev/full: write error: No space left on device" "$chamber" random --input 1x3x3 --conv 2:2x2:1 -o /dev/full -q
expect 2 "no-such-dir/c.json: cannot open for writing: No such file or directory" \
  "$chamber" enumerate "$arr" --certificate "$work/no-such-dir/c.json" -q
mkdir -p "$work/a-directory"
expect 2 "a-directory: cannot write: it is a directory" "$chamber" enumerate "$arr" --certificate "$work/a-directory" -q
# The temporary-file path under a full disk: a file-size limit makes write() fail with EFBIG (SIGXFSZ ignored).
expect 2 "big.json: write error: File too large" \
  bash -c "ulimit -f 8; trap '' XFSZ; exec '$chamber' enumerate '$arr' --certificate '$work/big.json' -q"
[ -e "$work/big.json" ] && fail "a certificate that could not be written exists under its final name"
expect 2 "rows.jsonl: write error: File too large|manifest.json: write error: File too large|: write error: File too large" \
  bash -c "ulimit -f 8; trap '' XFSZ; exec '$chamber' dataset '$root/tests/data/dataset/small.json' --out '$work/full-dataset' -q"
no_temporaries "$work"
[ -d "$work/full-dataset" ] && no_temporaries "$work/full-dataset"

echo "== a failed or stopped run leaves an existing file untouched"
echo "old certificate" > "$work/kept.json"
echo "old regions" > "$work/kept.jsonl"
expect 4 "region limit of 5" "$chamber" enumerate "$arr" --max-regions 5 --certificate "$work/kept.json" \
  --regions "$work/kept.jsonl" -q
[ "$(cat "$work/kept.json")" = "old certificate" ] || fail "--max-regions replaced an existing certificate"
[ "$(cat "$work/kept.jsonl")" = "old regions" ] || fail "--max-regions replaced an existing regions file"
expect 4 "time limit" "$chamber" cnn "$net" --no-verdict --time-limit 0.000001 --certificate "$work/kept.json" -q
[ "$(cat "$work/kept.json")" = "old certificate" ] || fail "--time-limit replaced an existing certificate"
no_temporaries "$work"
# A run that succeeds replaces it whole.
expect 0 "regions: 255" "$chamber" enumerate "$arr" --certificate "$work/kept.json" --regions "$work/kept.jsonl"
expect 0 "valid: proven 255 regions" "$chamber" check "$work/kept.json" --arrangement "$arr"
[ "$(wc -l < "$work/kept.jsonl")" -eq 255 ] || fail "the regions file does not hold 255 lines"

# stop SIGNAL CODE COMMAND...: starts COMMAND, sends SIGNAL after 1.5 s, expects CODE within a second.
stop() {
  local signal=$1 code=$2
  shift 2
  "$@" 2> "$work/stop.err" > /dev/null < /dev/null &
  local pid=$!
  sleep 1.5
  kill -0 "$pid" 2> /dev/null || { fail "$* ended before the signal"; return; }
  local start end status
  start=$(date +%s%N)
  kill -"$signal" "$pid"
  wait "$pid"
  status=$?
  end=$(date +%s%N)
  local ms=$(((end - start) / 1000000))
  echo "SIG$signal: exit $status after $ms ms: $(tail -1 "$work/stop.err")"
  [ "$status" -eq "$code" ] || fail "SIG$signal to $*: expected exit $code, got $status"
  [ "$ms" -le 1000 ] || fail "SIG$signal to $*: stopped after $ms ms (over a second)"
}

echo "== SIGINT/SIGTERM: exit 130/143 within a second, no partial output"
for signal in INT TERM; do
  code=130
  [ "$signal" = TERM ] && code=143
  rm -f "$work/r6.json" "$work/r6.jsonl"
  stop "$signal" "$code" "$chamber" enumerate "$long_arr" --certificate "$work/r6.json" --regions "$work/r6.jsonl" -q
  [ -e "$work/r6.json" ] || [ -e "$work/r6.jsonl" ] && fail "SIG$signal left output under a final name"
  grep -q "no partial output written" "$work/stop.err" || fail "SIG$signal: no message on stderr"
done
"$chamber" random --input 1x5x5 --conv 3:2x2:1 --linear 10 --seed 1 -o "$work/long-net.json" -q > /dev/null
stop INT 130 "$chamber" cnn "$work/long-net.json" --no-verdict --certificate "$work/net-cert.json" \
  --regions "$work/net.jsonl" --threads 1 -q
[ -e "$work/net-cert.json" ] || [ -e "$work/net.jsonl" ] && fail "SIGINT to cnn left output under a final name"
no_temporaries "$work"

echo "== SIGTERM during a dataset: complete rows only, no manifest"
cat > "$work/long-spec.json" << EOF
{"format": "chamber-dataset-spec", "version": 1, "description": "a long first row",
 "architectures": [{"input": "1x3x3", "conv": ["2:2x2:1"]}, {"input": "1x5x5", "conv": ["3:2x2:1"], "linear": ["10"]}],
 "seeds": [1], "weights": ["int:-9:9"], "samples": [10]}
EOF
"$chamber" dataset "$work/long-spec.json" --out "$work/stopped" -q --jobs 1 > /dev/null 2>&1 &
pid=$!
sleep 2
kill -TERM "$pid"
wait "$pid"
status=$?
[ "$status" -eq 143 ] || fail "SIGTERM to dataset: expected exit 143, got $status"
for dir in "$work/stopped" "$work/stopped/networks" "$work/stopped/certificates"; do
  [ -d "$dir" ] && no_temporaries "$dir"
done
if [ -f "$work/stopped/rows.jsonl" ]; then
  while IFS= read -r line; do
    printf '%s' "$line" | grep -q '}$' || fail "a torn line in rows.jsonl after SIGTERM: $line"
  done < "$work/stopped/rows.jsonl"
fi
[ -e "$work/stopped/manifest.json" ] && fail "a stopped dataset wrote its manifest"

finish "all fault cases behave"
