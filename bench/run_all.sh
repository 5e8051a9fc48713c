#!/usr/bin/env bash
# Runs every benchmark script in bench/ (each prints its own table).
set -euo pipefail
build=${1:-build}
for script in "$(dirname "$0")"/*.sh; do
  case "$(basename "$script")" in run_all.sh | elastix_maps.sh) continue ;; esac  # elastix_maps.sh is sourced
  echo "== $(basename "$script")"
  bash "$script" "$build"
done
