#!/usr/bin/env bash
# axon-denoise mppca on dipy's real diffusion series small_64D.nii (65
# volumes): it runs, keeps the grid, and agrees with MRtrix3's dwidenoise on
# the same input (same default extent and estimator): outputs correlated,
# noise maps alike. Series of 2 volumes are refused (exit 3), fewer than 10
# warned about.
source "$AXON_SOURCE/tests/cli/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
dn="$AXON_BIN/axon-denoise"
dwi=/usr/lib/python3/dist-packages/dipy/data/files/small_64D.nii
"$dn" mppca -q "$dwi" "$work/dn.nii.gz" --noise-map "$work/sigma.nii.gz" --rank-map "$work/rank.nii.gz" ||
  fail "mppca exited $?"
if command -v dwidenoise >/dev/null; then
  dwidenoise -quiet -nthreads 2 "$dwi" "$work/mr.nii" -noise "$work/mr_sigma.nii" || fail "dwidenoise exited $?"
  "$AXON_PYTHON" - "$work" "$dwi" <<'PY' || fail "mppca does not agree with dwidenoise"
import sys, nibabel as nib, numpy as np
w, src = sys.argv[1], sys.argv[2]
x = nib.load(src).get_fdata()
a, b = nib.load(f"{w}/dn.nii.gz").get_fdata(), nib.load(f"{w}/mr.nii").get_fdata()
sa, sb = nib.load(f"{w}/sigma.nii.gz").get_fdata(), nib.load(f"{w}/mr_sigma.nii").get_fdata()
assert a.shape == x.shape, a.shape
r = np.corrcoef(a.ravel(), b.ravel())[0, 1]
# agreement of the removed noise, a stricter check than of the outputs
rn = np.corrcoef((x - a).ravel(), (x - b).ravel())[0, 1]
ratio = np.median(sa[sb > 0] / sb[sb > 0])
print(f"corr(axon, dwidenoise) {r:.5f}; corr of removed noise {rn:.3f}; median noise-map ratio {ratio:.3f}")
assert r > 0.999 and rn > 0.99 and 0.97 < ratio < 1.03
PY
else
  echo "dwidenoise not installed: peer comparison skipped"
fi
# Short series.
"$AXON_PYTHON" - "$work" "$dwi" <<'PY'
import sys, nibabel as nib, numpy as np
img = nib.load(sys.argv[2]); x = img.get_fdata()
for n in (2, 6):
    nib.save(nib.Nifti1Image(x[..., :n].astype(np.float32), img.affine), f"{sys.argv[1]}/v{n}.nii.gz")
PY
expect_error 3 "$work/bad.nii.gz" "$dn" mppca "$work/v2.nii.gz" "$work/bad.nii.gz"
"$dn" mppca "$work/v6.nii.gz" "$work/v6dn.nii.gz" 2>"$work/err" || fail "6 volumes exited $?"
grep -q "warning" "$work/err" || fail "no warning for 6 volumes"
expect_error 2 "$work/bad.nii.gz" "$dn" mppca "$dwi" "$work/bad.nii.gz" --extent 4
finish
