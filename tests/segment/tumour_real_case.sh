#!/usr/bin/env bash
# The shipped ensemble (models/brats-tumour) segments a real BraTS 2018 case
# from ../shared/data (AXON_SHARED_DATA): labels on the input's exact grid,
# only BraTS labels, WT Dice >= 0.80 against the expert labels (the case is
# held out by one fold and seen by four, so this checks the shipped weights
# load and run end to end; out-of-fold accuracy is bench/segment_tumour_cv.sh).
# Skips (exit 77) when the shared data or the shipped weights are absent.
source "$AXON_SOURCE/tests/cli/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
data="${AXON_SHARED_DATA:-$AXON_SOURCE/../shared/data}/brats2018"
c=Brats18_TCIA03_265_1 d="$data/Brats18_TCIA03_265_1"
[ -d "$d" ] || { echo "SKIP: no BraTS data at $d (set AXON_SHARED_DATA)"; exit 77; }
for k in 0 1 2 3 4; do
  [ -f "$AXON_SOURCE/models/brats-tumour/fold$k.pt" ] || { echo "SKIP: shipped fold $k not trained yet"; exit 77; }
done
"$AXON_BIN/axon-segment" tumour -q --threads 2 --tta none --t1 "$d/${c}_t1.nii.gz" --t1ce "$d/${c}_t1ce.nii.gz" \
  --t2 "$d/${c}_t2.nii.gz" --flair "$d/${c}_flair.nii.gz" --out-labels "$work/labels.nii.gz" ||
  { echo "FAIL: axon-segment tumour with the shipped model"; exit 1; }
"$AXON_BIN/axon-segment" evaluate -q --json --brats "$work/labels.nii.gz" "$d/${c}_seg.nii.gz" > "$work/eval.json" ||
  fail "evaluate --brats (grids differ?)"
"$AXON_PYTHON" - "$work" "$d/${c}_seg.nii.gz" <<'PY' || fail "labels or Dice"
import json, sys
import nibabel as nib, numpy as np
work, ref = sys.argv[1:]
out, truth = nib.load(work + "/labels.nii.gz"), nib.load(ref)
assert out.shape == truth.shape and np.allclose(out.affine, truth.affine), "grid differs from the input's"
labels = set(np.unique(np.asarray(out.dataobj)).tolist())
assert labels <= {0, 1, 2, 4}, f"labels {labels}"
wt = {r["region"]: r for r in json.load(open(work + "/eval.json"))["regions"]}["WT"]["dice"]
print(f"WT Dice {wt:.3f}")
assert wt >= 0.80, f"WT Dice {wt:.3f} < 0.80"
PY
finish
