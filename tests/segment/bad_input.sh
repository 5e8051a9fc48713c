#!/usr/bin/env bash
# axon-segment refuses unusable input with exit 3 and one error line naming
# the file (a 4D image, a label image with non-integer values, images or
# masks on another grid, an empty mask, negative intensities for N4), and
# bad option values with exit 2; no output is left behind.
source "$AXON_SOURCE/tests/cli/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
sg="$AXON_BIN/axon-segment"
"$AXON_PYTHON" - "$work" <<'PY' || { echo "FAIL: making inputs"; exit 1; }
import sys, numpy as np, nibabel as nib
work = sys.argv[1]
rng = np.random.default_rng(5)
save = lambda x, name, aff=np.eye(4): nib.save(nib.Nifti1Image(x, aff), f"{work}/{name}.nii.gz")
labels = rng.integers(0, 3, (24, 20, 16)).astype(np.int16)
save(labels, "labels")
save(labels.astype(np.float32) + 0.5, "float_labels")
save(np.stack([labels, labels], -1), "four_d_labels")
save(rng.integers(0, 3, (24, 20, 17)).astype(np.int16), "other_grid_labels")
t1 = rng.uniform(50, 150, (24, 20, 16)).astype(np.float32)
save(t1, "t1")
save(np.stack([t1, t1], -1), "four_d")
neg = t1.copy(); neg[3, 4, 5] = -10; save(neg, "negative")
save(np.ones((24, 20, 16), np.uint8), "mask")
save(np.zeros((24, 20, 16), np.uint8), "empty_mask")
save(np.ones((24, 20, 17), np.uint8), "other_grid_mask")
save(np.ones((24, 20, 16), np.uint8), "shifted_mask", np.diag([2.0, 2.0, 2.0, 1.0]))
PY
out="$work/out/o.nii.gz"; mkdir -p "$work/out"

# evaluate
expect_error 3 "" "$sg" evaluate "$work/float_labels.nii.gz" "$work/labels.nii.gz"
grep -q "float_labels" "$work/stderr" || fail "float labels: error does not name the file"
expect_error 3 "" "$sg" evaluate "$work/labels.nii.gz" "$work/four_d_labels.nii.gz"
grep -q "four_d_labels" "$work/stderr" || fail "4D labels: error does not name the file"
expect_error 3 "" "$sg" evaluate "$work/other_grid_labels.nii.gz" "$work/labels.nii.gz"
grep -q "other_grid_labels" "$work/stderr" || fail "grid mismatch: error does not name the file"
expect_error 3 "" "$sg" evaluate "$work/empty_mask.nii.gz" "$work/empty_mask.nii.gz"
expect_error 2 "" "$sg" evaluate "$work/labels.nii.gz" "$work/labels.nii.gz" --labels 1,x
expect_error 2 "" "$sg" evaluate "$work/labels.nii.gz" "$work/labels.nii.gz" --brats --labels 1
expect_error 2 "" "$sg" evaluate "$work/labels.nii.gz" "$work/labels.nii.gz" --brats --et-label 2
"$sg" evaluate -q "$work/empty_mask.nii.gz" "$work/empty_mask.nii.gz" --labels 1 >/dev/null ||
  fail "two empty images with --labels must evaluate (Dice 1)"

# bias
expect_error 3 "$out" "$sg" bias "$work/four_d.nii.gz" "$out"
grep -q "four_d" "$work/stderr" || fail "bias 4D: error does not name the file"
expect_error 3 "$out" "$sg" bias "$work/negative.nii.gz" "$out"
grep -q "negative.nii.gz.*negative" "$work/stderr" || fail "bias negative: error does not name the file and the problem"
expect_error 3 "$out" "$sg" bias "$work/t1.nii.gz" "$out" --mask "$work/empty_mask.nii.gz"
grep -q "empty_mask.*empty" "$work/stderr" || fail "bias empty mask: error does not say so"
expect_error 3 "$out" "$sg" bias "$work/t1.nii.gz" "$out" --mask "$work/other_grid_mask.nii.gz"
expect_error 3 "$out" "$sg" bias "$work/t1.nii.gz" "$out" --mask "$work/shifted_mask.nii.gz"
expect_error 2 "$out" "$sg" bias "$work/t1.nii.gz" "$out" --iterations 50x0
expect_error 2 "$out" "$sg" bias "$work/t1.nii.gz" "$out" --shrink 0
expect_error 2 "$out" "$sg" bias "$work/t1.nii.gz" "$out" --spline-distance -5

# tissue
expect_error 3 "$out" "$sg" tissue "$work/four_d.nii.gz" --mask "$work/mask.nii.gz" --out-labels "$out"
expect_error 3 "$out" "$sg" tissue "$work/t1.nii.gz" --mask "$work/empty_mask.nii.gz" --out-labels "$out"
grep -q "empty_mask.*empty" "$work/stderr" || fail "tissue empty mask: error does not say so"
expect_error 3 "$out" "$sg" tissue "$work/t1.nii.gz" --mask "$work/other_grid_mask.nii.gz" --out-labels "$out"
expect_error 2 "$out" "$sg" tissue "$work/t1.nii.gz" --out-labels "$out"
expect_error 2 "$out" "$sg" tissue "$work/t1.nii.gz" --mask "$work/mask.nii.gz" --out-labels "$out" --classes 1
expect_error 2 "$out" "$sg" tissue "$work/t1.nii.gz" --mask "$work/mask.nii.gz" --out-labels "$out" --mrf -1

# brain
expect_error 3 "$out" "$sg" brain "$work/four_d.nii.gz" --out-mask "$out"
expect_error 3 "$out" "$sg" brain "$work/empty_mask.nii.gz" --out-mask "$out"
expect_error 2 "$out" "$sg" brain "$work/t1.nii.gz" --out-mask "$out" --border 100
finish
