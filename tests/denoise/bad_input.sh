#!/usr/bin/env bash
# axon-denoise refuses unusable input with exit 3 and one error line naming
# the file: grids that differ, NaNs, 4D where 3D is needed, a constant
# reference without --data-range, a mask on another grid; and bad option
# values with exit 2.
source "$AXON_SOURCE/tests/cli/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
dn="$AXON_BIN/axon-denoise"
"$AXON_PYTHON" - "$work" <<'PY' || { echo "FAIL: making inputs"; exit 1; }
import sys, numpy as np, nibabel as nib
work = sys.argv[1]
rng = np.random.default_rng(7)
a = rng.uniform(0, 100, (24, 20, 16)).astype(np.float32)
save = lambda x, name: nib.save(nib.Nifti1Image(x, np.eye(4)), f"{work}/{name}.nii.gz")
save(a, "a"); save(a + 1, "b")
save(rng.uniform(0, 100, (24, 20, 17)).astype(np.float32), "other_grid")
n = a.copy(); n[3, 4, 5] = np.nan; save(n, "nan")
save(np.stack([a, a], -1), "four_d")
save(np.full_like(a, 5), "constant")
shifted = nib.Nifti1Image(a, np.diag([2.0, 2.0, 2.0, 1.0])); nib.save(shifted, f"{work}/other_space.nii.gz")
PY
out="$work/out/d.nii.gz"; mkdir -p "$work/out"
expect_error 3 "" "$dn" compare "$work/other_grid.nii.gz" "$work/a.nii.gz"
grep -q other_grid "$work/stderr" || fail "grid mismatch: error does not name the file"
expect_error 3 "" "$dn" compare "$work/other_space.nii.gz" "$work/a.nii.gz"
expect_error 3 "" "$dn" compare "$work/nan.nii.gz" "$work/a.nii.gz"
grep -q "nan.nii.gz.*NaN" "$work/stderr" || fail "NaN: error does not name the file and the problem"
expect_error 3 "" "$dn" compare "$work/a.nii.gz" "$work/nan.nii.gz"
expect_error 3 "" "$dn" compare "$work/four_d.nii.gz" "$work/a.nii.gz"
expect_error 3 "" "$dn" compare "$work/a.nii.gz" "$work/constant.nii.gz"
grep -q "data-range" "$work/stderr" || fail "constant reference: error does not suggest --data-range"
"$dn" compare -q "$work/a.nii.gz" "$work/constant.nii.gz" --data-range 100 >/dev/null || fail "constant reference with --data-range"
expect_error 3 "" "$dn" compare "$work/b.nii.gz" "$work/a.nii.gz" --mask "$work/other_grid.nii.gz"
expect_error 2 "" "$dn" compare "$work/b.nii.gz" "$work/a.nii.gz" --data-range -1
# wavelet: 3D only (a 4D series is refused, not silently split), finite values, valid options.
expect_error 3 "$out" "$dn" wavelet "$work/four_d.nii.gz" "$out"
grep -q "four_d" "$work/stderr" || fail "4D: error does not name the file"
expect_error 3 "$out" "$dn" wavelet "$work/nan.nii.gz" "$out"
expect_error 2 "$out" "$dn" wavelet "$work/a.nii.gz" "$out" --wavelet db7
expect_error 2 "$out" "$dn" wavelet "$work/a.nii.gz" "$out" --levels 0
expect_error 2 "$out" "$dn" wavelet "$work/a.nii.gz" "$out" --sigma -3
expect_error 2 "$out" "$dn" wavelet "$work/a.nii.gz" "$out" --sigma lots
finish
