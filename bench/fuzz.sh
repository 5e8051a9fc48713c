#!/usr/bin/env bash
# Fuzzes axon's readers with libFuzzer: builds the harnesses of tests/fuzz/
# (clang, AddressSanitizer + UndefinedBehaviorSanitizer) into build-fuzz/
# and runs each for MINUTES_PER_TARGET minutes, one after another, printing
# the executions it survived and any crash file. Not part of ctest or
# `make bench` (it needs clang and minutes per target); docs/development.md#fuzzing.
#
#   bench/fuzz.sh [MINUTES_PER_TARGET] [TARGET...]   (default: 5 minutes, every target)
#   targets: nifti gzip_stream tsv label_table pipeline_file model_card
#
# Each target starts from its committed seeds (tests/fuzz/corpus/<target>,
# never written to) and the corpus earlier runs grew (build-fuzz/corpus/
# <target>). A crash, hang (-timeout=10 s), sanitizer report or memory
# blow-up (-rss_limit_mb=2048) leaves its input in build-fuzz/crashes/
# <target>/; replay one with `build-fuzz/fuzz_<target> FILE`. Exit status 1
# when any target failed. Everything runs under `nice -n 19`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
minutes=${1:-5}
shift || true
# bench/run_all.sh (make bench) passes its build folder: a short run then,
# and no failure on a machine without clang (scripts/bootstrap installs none).
from_run_all=0
if [ -d "$minutes" ]; then
  minutes=1
  from_run_all=1
  targets=()
fi
all=(nifti gzip_stream tsv label_table pipeline_file model_card)
[ $from_run_all -eq 1 ] || targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
case $minutes in '' | *[!0-9.]*) echo "usage: $0 [MINUTES_PER_TARGET] [TARGET...]" >&2; exit 2 ;; esac
seconds=$(awk -v m="$minutes" 'BEGIN { s = int(m * 60 + 0.5); print (s < 1 ? 1 : s) }')
build=$root/build-fuzz

if ! command -v "${FUZZ_CXX:-clang++}" > /dev/null; then
  echo "$0: needs clang++ with libFuzzer (Debian: apt-get install clang)" >&2
  [ $from_run_all -eq 1 ] && exit 0
  exit 1
fi
nice -n 19 cmake -S "$root/tests/fuzz" -B "$build" -DCMAKE_CXX_COMPILER="${FUZZ_CXX:-clang++}" > /dev/null
nice -n 19 cmake --build "$build" -j "${FUZZ_JOBS:-2}" -- --no-print-directory > "$build/build.log" 2>&1 ||
  { cat "$build/build.log" >&2; exit 1; }

# The harnesses write each input to a file: in memory (/dev/shm), removed at the end.
scratch=$(mktemp -d "${FUZZ_TMP:-/dev/shm}/axon-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

failed=0
printf '%-14s %14s %9s %6s  %s\n' target executions exec/s cov result
for t in "${targets[@]}"; do
  [ -x "$build/fuzz_$t" ] || { echo "$0: unknown target '$t' (targets: ${all[*]})" >&2; exit 2; }
  mkdir -p "$build/corpus/$t" "$build/crashes/$t" "$build/logs"
  log=$build/logs/$t.log
  status=0
  AXON_FUZZ_TMP=$scratch nice -n 19 "$build/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/crashes/$t/" "$build/corpus/$t" "$root/tests/fuzz/corpus/$t" \
    > "$log" 2>&1 || status=$?
  execs=$(awk '/^stat::number_of_executed_units:/ { print $2 }' "$log" | tail -1)
  speed=$(awk '/^stat::average_exec_per_sec:/ { print $2 }' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
  if [ "$status" -eq 0 ] && [ -z "$artifact" ]; then
    result="no crash in ${minutes} min"
  else
    failed=1
    kind=$(grep -m1 -oE 'ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer): [a-z-]+( [a-z-]+)*|runtime error: .*|==axon-fuzz== .*' "$log" || true)
    result="FAILED (${kind:-exit $status}): ${artifact:-no input saved} (log: $log)"
  fi
  printf '%-14s %14s %9s %6s  %s\n' "$t" "${execs:-?}" "${speed:-?}" "${cov:-?}" "$result"
done
exit $failed
