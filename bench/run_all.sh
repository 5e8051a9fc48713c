#!/usr/bin/env bash
# Runs every benchmark script in bench/ (each prints its own table).
set -euo pipefail
build=${1:-build}
for script in "$(dirname "$0")"/*.sh; do
  [ "$(basename "$script")" = run_all.sh ] && continue
  echo "== $(basename "$script")"
  bash "$script" "$build"
done
