#!/usr/bin/env bash
# Out-of-fold accuracy of the shipped tumour ensemble on ../shared/data/brats2018:
# each case is segmented by the one fold model that never saw it (a one-model
# card per fold, built from models/brats-tumour/card.json and fold<k>.json),
# with mirror TTA and post-processing, then scored by `axon-segment evaluate
# --brats` against the expert labels; the first case is cross-checked with
# numpy/scipy. Prints the table beside the seed paper's figures.
# Usage: bench/segment_tumour_cv.sh [BUILD] [THREADS] [--update-card]
set -euo pipefail
build=${1:-build}; threads=${2:-2}; update=${3:-}
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
data="${AXON_SHARED_DATA:-$root/../shared/data}/brats2018"
[ -d "$data" ] || { echo "segment_tumour_cv: SKIP: no BraTS data at $data"; exit 0; }
models="$root/models/brats-tumour"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
sg="$build/apps/axon-segment"
: > "$work/rows.tsv"
for k in 0 1 2 3 4; do
  "$PY" "$root/scripts/learn/fold_card.py" "$models/card.json" "$models/fold$k.pt" "$work/card$k.json"
  for c in $("$PY" -c "import json,sys; print(' '.join(json.load(open(sys.argv[1]))['held_out_cases']))" "$models/fold$k.json"); do
    d="$data/$c"
    /usr/bin/time -f "%e %M" -o "$work/t" "$sg" tumour -q --threads "$threads" --model "$work/card$k.json" \
      --t1 "$d/${c}_t1.nii.gz" --t1ce "$d/${c}_t1ce.nii.gz" --t2 "$d/${c}_t2.nii.gz" --flair "$d/${c}_flair.nii.gz" \
      --out-labels "$work/$c.nii.gz"
    "$sg" evaluate -q --json --brats "$work/$c.nii.gz" "$d/${c}_seg.nii.gz" > "$work/$c.json"
    printf "%s\t%s\t%s\t%s\t%s\n" "$c" "$k" "$work/$c.json" "$work/$c.nii.gz" "$d/${c}_seg.nii.gz" >> "$work/rows.tsv"
    echo "fold $k $c: $(cat "$work/t") (wall s, peak KB)" >&2
  done
done
args=(--rows "$work/rows.tsv")
[ "$update" = "--update-card" ] && args+=(--card "$models/card.json")
"$PY" "$here/tumour_cv_table.py" "${args[@]}"
