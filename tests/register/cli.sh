#!/usr/bin/env bash
# axon-register end to end on Colin27 at 4 mm: rigid + affine + SyN give the
# same bytes with 1 and 2 threads; the transforms written are read back by
# `apply` (forward, --inverse); label interpolation keeps AAL's labels
# exact; --json is one object.
source "$AXON_SOURCE/tests/cli/lib.sh"
rg="$AXON_BIN/axon-register"
PY=${AXON_PYTHON:-/usr/bin/python3}
"$PY" "$AXON_SOURCE/tests/register/make_inputs.py" "$work" || { fail "inputs"; finish; }

# (Into files: grep -q closing a pipe early fails the pipeline under pipefail.)
"$rg" --help >"$work/help.txt" && grep -q "apply" "$work/help.txt" || fail "axon-register --help lists no apply"
"$rg" run --help >"$work/help.txt" && grep -q -- "--out-transform PREFIX" "$work/help.txt" || fail "run --help lacks --out-transform"
"$rg" apply --describe >/dev/null || fail "apply --describe"

# A known affine moves the head; registration brings it back.
cat >"$work/truth.txt" <<'TXT'
#Insight Transform File V1.0
#Transform 0
Transform: AffineTransform_double_3_3
Parameters: 1.04 0.03 -0.02 -0.04 0.97 0.05 0.01 -0.03 1.02 3 -4 5
FixedParameters: 0 18 18
TXT
"$rg" apply -q "$work/head.nii.gz" "$work/moving.nii.gz" --reference "$work/head.nii.gz" --transform "$work/truth.txt" \
  --interpolation bspline || fail "apply of the true transform"

# The documented convention, checked by an independent implementation
# (scipy): a constant field d (LPS mm, ANTs' 5D layout) then truth.txt give
# out(x) = head(A(x + d)), A the affine of truth.txt, points in LPS.
"$PY" - "$work" <<'PY' || fail "could not write the constant field"
import sys
import nibabel as nib, numpy as np
w = sys.argv[1]
head = nib.load(f"{w}/head.nii.gz")
d = np.zeros(head.shape + (1, 3), np.float32)
d[..., 0, :] = [4.0, -2.5, 1.5]
f = nib.Nifti1Image(d, head.affine)
f.header.set_intent(1007)
nib.save(f, f"{w}/constWarp.nii.gz")
PY
"$rg" apply -q "$work/head.nii.gz" "$work/convention.nii.gz" --reference "$work/head.nii.gz" \
  --transform "$work/constWarp.nii.gz" --transform "$work/truth.txt" || fail "apply of a field and an affine"
"$PY" - "$work" <<'PY' || fail "apply does not follow the documented (ANTs/ITK) convention"
import sys
import nibabel as nib, numpy as np
from scipy.ndimage import map_coordinates
w = sys.argv[1]
img = nib.load(f"{w}/head.nii.gz")
head = np.asarray(img.dataobj).astype(np.float64)
out = np.asarray(nib.load(f"{w}/convention.nii.gz").dataobj).astype(np.float64)
lines = open(f"{w}/truth.txt").read().splitlines()
par = np.array([float(v) for v in next(l for l in lines if l.startswith("Parameters:")).split()[1:]])
centre = np.array([float(v) for v in next(l for l in lines if l.startswith("FixedParameters:")).split()[1:]])
A, t = par[:9].reshape(3, 3), par[9:]
ijk = np.indices(head.shape).reshape(3, -1).T.astype(np.float64)
flip = np.array([-1.0, -1.0, 1.0])
lps = (ijk @ img.affine[:3, :3].T + img.affine[:3, 3]) * flip
moved = (lps + [4.0, -2.5, 1.5] - centre) @ A.T + centre + t
src = np.linalg.solve(img.affine[:3, :3], (moved * flip - img.affine[:3, 3]).T)
expected = map_coordinates(head, src, order=1, mode="constant", cval=0.0)
inside = np.all((src >= 0) & (src <= np.array(head.shape)[:, None] - 1), axis=0)
err = np.abs(expected[inside] - out.reshape(-1)[inside])
assert inside.sum() > 0.5 * head.size and err.max() < 1e-3, (inside.sum(), err.max())  # float32 rounding: ~1e-5
PY

for t in 1 2; do
  mkdir -p "$work/t$t"
  "$rg" run -q --threads $t "$work/head.nii.gz" "$work/moving.nii.gz" --out-transform "$work/t$t/r_" \
    --out-warped "$work/t$t/warped.nii.gz" --out-inverse-warped "$work/t$t/inverse.nii.gz" --json >"$work/t$t/summary.json" ||
    fail "run --threads $t"
done
# The same on a coarser grid than the head's (levels on the images
# resampled to 8 mm, SyN's fields interpolated back onto the 4 mm grid).
for t in 1 2; do
  "$rg" run -q --threads $t "$work/head.nii.gz" "$work/moving.nii.gz" --out-transform "$work/t$t/c_" \
    --grid-spacing 8 --out-warped "$work/t$t/c_warped.nii.gz" || fail "run --grid-spacing 8 --threads $t"
done
for f in r_0GenericAffine.txt r_1Warp.nii.gz r_1InverseWarp.nii.gz warped.nii.gz inverse.nii.gz \
  c_0GenericAffine.txt c_1Warp.nii.gz c_1InverseWarp.nii.gz c_warped.nii.gz; do
  [ -f "$work/t1/$f" ] || { fail "run wrote no $f"; continue; }
  cmp -s "$work/t1/$f" "$work/t2/$f" || fail "$f differs between --threads 1 and 2"
done
[ -f "$work/t1/r_0GenericAffine.txt.json" ] || fail "no sidecar for the affine"

# The transforms read back: apply gives the same warped image as run, and
# --inverse brings the head onto the moving grid.
"$rg" apply -q "$work/moving.nii.gz" "$work/applied.nii.gz" --reference "$work/head.nii.gz" \
  --transform "$work/t1/r_1Warp.nii.gz" --transform "$work/t1/r_0GenericAffine.txt" || fail "apply forward"
"$rg" apply -q "$work/head.nii.gz" "$work/back.nii.gz" --reference "$work/moving.nii.gz" --inverse \
  --transform "$work/t1/r_1Warp.nii.gz" --transform "$work/t1/r_0GenericAffine.txt" || fail "apply --inverse"
# Labels: AAL carried into the moving space with label voting.
"$rg" apply -q "$work/aal.nii.gz" "$work/aal_moving.nii.gz" --reference "$work/moving.nii.gz" --inverse \
  --interpolation label --transform "$work/t1/r_1Warp.nii.gz" --transform "$work/t1/r_0GenericAffine.txt" ||
  fail "apply --interpolation label"

"$PY" - "$work" <<'PY' || fail "outputs do not match what they should"
import json, sys
import nibabel as nib, numpy as np
w = sys.argv[1]
load = lambda p: np.asarray(nib.load(f"{w}/{p}").dataobj).astype(np.float64)
head, warped, applied = load("head.nii.gz"), load("t1/warped.nii.gz"), load("applied.nii.gz")
assert np.allclose(warped, applied, atol=1e-3), "apply of the written transforms differs from --out-warped"
moving, back = load("moving.nii.gz"), load("back.nii.gz")
# The head fills its field of view: judge where the resampled image has data.
brain = (head > 40) & (warped != 0)
before = np.corrcoef(head[brain], moving[brain])[0, 1]
r = np.corrcoef(head[brain], warped[brain])[0, 1]
assert r > 0.93 and r > before + 0.3, f"warped moving image vs fixed: r = {r:.3f} (before: {before:.3f})"
brain = (moving > 40) & (back != 0)
r = np.corrcoef(moving[brain], back[brain])[0, 1]
assert r > 0.93, f"--inverse: fixed on the moving grid vs moving: r = {r:.3f}"
aal, carried = load("aal.nii.gz"), load("aal_moving.nii.gz")
extra = set(np.unique(carried)) - set(np.unique(aal))
assert not extra, f"label interpolation made new values {sorted(extra)[:5]}"
assert nib.load(f"{w}/aal_moving.nii.gz").get_data_dtype() == np.int16
s = json.load(open(f"{w}/t1/summary.json"))
assert [x["stage"] for x in s["stages"]] == ["rigid", "affine", "syn"], s
warp = nib.load(f"{w}/t1/r_1Warp.nii.gz")
assert warp.shape[3:] == (1, 3) and warp.header["intent_code"] == 1007, (warp.shape, warp.header["intent_code"])
# --grid-spacing 8: the fields still on the head's grid, the head still brought back.
coarse = nib.load(f"{w}/t1/c_1Warp.nii.gz")
assert coarse.shape[:3] == head.shape and np.allclose(coarse.affine, nib.load(f"{w}/head.nii.gz").affine), coarse.shape
cw = load("t1/c_warped.nii.gz")
brain = (head > 40) & (cw != 0)
r = np.corrcoef(head[brain], cw[brain])[0, 1]
assert r > 0.9 and r > before + 0.3, f"--grid-spacing 8: warped vs fixed r = {r:.3f} (before: {before:.3f})"
PY
finish
