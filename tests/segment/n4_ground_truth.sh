#!/usr/bin/env bash
# axon-segment bias on ground truth: Colin27's brain (ch2bet, every second
# voxel: 2 mm, so the test takes seconds) multiplied by a known smooth field
# (0.6 to 1.6). Inside white matter (the brightest third of the clean brain,
# eroded once) the coefficient of variation of the corrected image must be at
# most half that of the biased input, and the estimated field must correlate
# > 0.9 with the true one inside the brain (N4 recovers it up to a scale).
# Also: the same bytes for 1 and 2 threads, and zeros stay zero.
source "$AXON_SOURCE/tests/cli/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
sg="$AXON_BIN/axon-segment"
"$AXON_PYTHON" - "$work" <<'PY' || { echo "FAIL: making inputs"; exit 1; }
import sys, numpy as np, nibabel as nib
from scipy import ndimage as ndi
work = sys.argv[1]
img = nib.load("/usr/share/mricron/templates/ch2bet.nii.gz")
clean = np.asarray(img.dataobj).astype(np.float32)[::2, ::2, ::2]
aff = img.affine.copy(); aff[:3, :3] *= 2
brain = clean > 0
g = np.meshgrid(*[np.linspace(-1, 1, n) for n in clean.shape], indexing="ij")
log_field = 0.3 * g[0] + 0.2 * g[1] - 0.25 * g[2] + 0.25 * np.exp(-((g[0] - 0.3) ** 2 + g[1] ** 2 + (g[2] + 0.2) ** 2) / 0.5)
field = np.exp(log_field).astype(np.float32)
wm = ndi.binary_erosion(clean > np.percentile(clean[brain], 66.7))
save = lambda x, name: nib.save(nib.Nifti1Image(x, aff), f"{work}/{name}.nii.gz")
save(clean, "clean"); save(clean * field, "biased"); save(field, "true_field")
save(brain.astype(np.uint8), "brain"); save(wm.astype(np.uint8), "wm")
PY
"$sg" bias -q "$work/biased.nii.gz" "$work/n4.nii.gz" --mask "$work/brain.nii.gz" --bias-field "$work/field.nii.gz" \
  --threads 2 || fail "bias exited $?"
"$sg" bias -q "$work/biased.nii.gz" "$work/n4_t1.nii.gz" --mask "$work/brain.nii.gz" --threads 1 || fail "bias (1 thread)"
if ! cmp -s "$work/n4.nii.gz" "$work/n4_t1.nii.gz"; then
  # Say whether the voxels differ or only the compressed bytes, and by how much.
  how=$("$AXON_PYTHON" -c '
import sys, numpy as np, nibabel as nib
a, b = (nib.load(p) for p in sys.argv[1:3])
x, y = np.asarray(a.dataobj), np.asarray(b.dataobj)
d = np.abs(x.astype(np.float64) - y)
print(f"{int((d > 0).sum())} voxels differ, max {d.max():.3g}; headers equal: {a.header.binaryblock == b.header.binaryblock}")
' "$work/n4.nii.gz" "$work/n4_t1.nii.gz" 2>&1)
  fail "output differs between 1 and 2 threads: $how"
fi
"$AXON_PYTHON" - "$work" <<'PY' || fail "N4 does not recover the known field"
import sys, numpy as np, nibabel as nib
work = sys.argv[1]
load = lambda n: np.asarray(nib.load(f"{work}/{n}.nii.gz").dataobj).astype(np.float64)
biased, n4, wm, brain = load("biased"), load("n4"), load("wm") > 0, load("brain") > 0
est, true = load("field"), load("true_field")
cv = lambda x: x[wm].std() / x[wm].mean()
r = np.corrcoef(np.log(est[brain]), np.log(true[brain]))[0, 1]
print(f"WM CV clean {cv(biased / true):.4f} biased {cv(biased):.4f} corrected {cv(n4):.4f} "
      f"ratio {cv(n4) / cv(biased):.3f}; field correlation {r:.4f}")
ok = cv(n4) <= 0.5 * cv(biased) and r > 0.9 and np.all(n4[biased == 0] == 0)
sys.exit(0 if ok else 1)
PY
finish
