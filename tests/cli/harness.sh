# Sourced by the CLI test scripts that take CHAMBER ROOT WORKDIR: sets chamber, root and work (emptied, made the
# current directory), and fail/finish, which count failures and end the script with exit 0 or 1.
set -u
chamber=$1
root=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1
failures=0
# seconds a single command may take before it counts as a hang: 10, times CHAMBER_TIME_SCALE (test.sh sets it for
# the sanitizer tree, whose -O0 ASan + UBSan binaries are 10-50x slower than Release).
limit=$((10 * ${CHAMBER_TIME_SCALE:-1}))
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
# finish MESSAGE: exit 1 with the number of failures, else print MESSAGE and exit 0.
finish() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
  fi
  echo "$1"
  exit 0
}
