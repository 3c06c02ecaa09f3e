#!/usr/bin/env bash
# expect.sh CODE REGEX COMMAND...: runs COMMAND and passes when it exits with CODE and its output
# (stdout and stderr together) matches the extended regular expression REGEX.
code=$1
regex=$2
shift 2
output=$("$@" 2>&1 < /dev/null)
status=$?
if [ "$status" -ne "$code" ]; then
  printf 'expected exit %s, got %s from: %s\n%s\n' "$code" "$status" "$*" "$output"
  exit 1
fi
if ! printf '%s\n' "$output" | grep -Eq -- "$regex"; then
  printf 'output does not match /%s/ from: %s\n%s\n' "$regex" "$*" "$output"
  exit 1
fi
exit 0
