# Helpers shared by the CLI tests (sourced).
set -uo pipefail
: "${AXON_BIN:?AXON_BIN must point at the built executables}"
T=/usr/share/mricron/templates
NIPY=/usr/lib/python3/dist-packages/nipy/testing
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect_error CODE OUTPUT_THAT_MUST_NOT_EXIST COMMAND...: the command exits
# with CODE, prints exactly one line on stderr starting "axon-X: error: ",
# and leaves neither the output nor a temporary behind.
expect_error() {
  local code=$1 output=$2; shift 2
  local err="$work/stderr"
  "$@" >/dev/null 2>"$err"
  local rc=$?
  [ "$rc" -eq "$code" ] || fail "$* exited $rc, expected $code: $(cat "$err")"
  [ "$(wc -l <"$err")" -eq 1 ] || fail "$* printed $(wc -l <"$err") lines on stderr: $(cat "$err")"
  grep -q '^axon-[a-z]*: error: ' "$err" || fail "$* error line has the wrong form: $(cat "$err")"
  [ -n "$output" ] && [ -e "$output" ] && fail "$* left its output $output"
  if [ -n "$output" ] && ls -a "$(dirname "$output")" | grep -q 'axon-tmp'; then
    fail "$* left a temporary file in $(dirname "$output")"
  fi
  return 0
}

finish() {
  if [ "$failures" -gt 0 ]; then echo "$failures failure(s)"; exit 1; fi
  echo "all checks passed"
}
