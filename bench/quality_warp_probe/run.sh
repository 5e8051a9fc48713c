#!/usr/bin/env bash
# Would anatomical variety help the SSIM regressor on the unseen volume?
# The only human T1 volumes packaged are one subject (Colin27, three
# versions) and nipy's held-out volume, so this makes synthetic subjects:
# each training volume under 3 smooth random warps (make_warps.py, 4 mm
# control-point displacements, 12 % stretches), 16 volumes in all. Then
# `axon-motion train` as scripts/train_model runs it (600 samples, 400
# rounds), with and without the warps, for several seeds. Prints the
# Spearman correlation and MAE on (b), nipy's anatomical T1 (the same draws
# for both runs of a seed: the held-out draws depend on the seed only), and
# on (a) (not comparable between the two: its draws come from each run's
# own training volumes). About 15 minutes on 2 cores; a probe, outside
# `make bench`.
# Usage: bench/quality_warp_probe/run.sh [BUILD_DIR] [WORK_DIR] [SEEDS...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
work=${2:-/tmp/axon_warp_probe}
shift $(( $# > 2 ? 2 : $# ))
seeds=(42 1 2 3)
[ $# -gt 0 ] && seeds=("$@")
mkdir -p "$work"
t=/usr/share/mricron/templates
originals=(ch2.nii.gz ch2bet.nii.gz ch2better.nii.gz inia19-t1-brain.nii.gz)
[ -s "$work/list.txt" ] ||
  /usr/bin/python3 "$here/make_warps.py" "$work" 3 4.0 "${originals[@]/#/$t/}"
grep -v '_w[0-9]*\.nii\.gz$' "$work/list.txt" >"$work/originals.txt"
train() {  # train LIST SEED NAME
  "$build/apps/axon-motion" train --images "$1" --holdout "$root/models/holdout_volumes.txt" \
    --samples 600 --eval-samples 100 --rounds 400 --seed "$2" --threads 2 \
    --out "$work/$3.json" --force -q >/dev/null
}
printf '%-6s %-9s %10s %8s %10s\n' seed training b_spearman b_mae a_spearman
for seed in "${seeds[@]}"; do
  for kind in originals warped; do
    list=$work/originals.txt
    [ "$kind" = warped ] && list=$work/list.txt
    [ -s "$work/${kind}_$seed.json" ] || train "$list" "$seed" "${kind}_$seed"
    /usr/bin/python3 - "$work/${kind}_$seed.json" "$seed" "$kind" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["training"]["evaluation"]
b, a = e["unseen_volumes"], e["unseen_motion_training_volumes"]
print(f"{sys.argv[2]:<6} {sys.argv[3]:<9} {b['spearman']:10.3f} {b['mae']:8.3f} {a['spearman']:10.3f}")
PY
  done
done
