#!/usr/bin/env bash
# Would the seed paper's model class (a 2D CNN) generalise better than the
# shipped XGBoost regressor? A probe, not a product: the CNN is a small
# PyTorch network (bench/quality_cnn_probe/cnn.py) trained on crops of
# motion simulated by axon-motion simulate, with an augmentation written
# independently of axon's (make_samples.py). Both models are scored on the
# same held-out draws: (a) unseen motion on the training volumes, (b) nipy's
# anatomical T1, never used in training. Needs python3-torch (apt-get install
# python3-torch; not in scripts/bootstrap, since no test uses it).
# About 35 minutes on 2 cores, so it lives in its own folder, outside
# `make bench` (bench/run_all.sh runs bench/*.sh only).
# Usage: bench/quality_cnn_probe/run.sh [BUILD_DIR] [WORK_DIR] [STEPS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
work=${2:-/tmp/axon_cnn_probe}
steps=${3:-4000}
tool=$build/apps/axon-motion
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "quality_cnn_probe: skipped, needs python3-torch (apt-get install python3-torch)"
  exit 0
fi
t=/usr/share/mricron/templates
train=$t/ch2.nii.gz,$t/ch2bet.nii.gz,$t/ch2better.nii.gz,$t/inia19-t1-brain.nii.gz
holdout=/usr/lib/python3/dist-packages/nipy/testing/anatomical.nii.gz
make=$here/make_samples.py
mkdir -p "$work"
# Two generators at a time (2 cores); a re-run resumes where one stopped.
pair() {  # two make_samples.py runs side by side: "N SEED DIR [crop]" each
  /usr/bin/python3 "$make" "$tool" "$train" $1 & local a=$!
  /usr/bin/python3 "$make" "$tool" "$train" $2 & local b=$!
  wait $a && wait $b
}
pair "200 0 $work/train" "200 1000 $work/train"
pair "200 300000 $work/train crop" "120 100000 $work/unseen_motion"
/usr/bin/python3 "$make" "$tool" "$holdout" 120 500000 "$work/unseen_volume"
for set in unseen_motion unseen_volume; do
  for f in "$work/$set"/corr_*.nii.gz; do
    s=${f##*_}; s=${s%.nii.gz}
    "$tool" score "$f" --json --threads 1 -q --force \
      | /usr/bin/python3 -c "import json,sys; print('$s', json.load(sys.stdin)['predicted_ssim'])"
  done > "$work/$set/xgboost.tsv"
done
cd "$here" && /usr/bin/python3 train_and_compare.py "$work" "$steps" 2
