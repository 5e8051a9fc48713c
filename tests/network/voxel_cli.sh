#!/bin/bash
# axon-connectivity voxel end to end: on a synthetic run under a small mask
# (~1,000 voxels), the degree, weighted degree and triangle maps equal a
# numpy brute force (nibabel read, scipy linear detrend, full correlation
# matrix, diag(A^3)/2); ALFF/fALFF/ReHo maps exist and are finite; thread
# counts give identical bytes; bad inputs give one clear error line.
source "$(dirname "$0")/../cli/lib.sh"
C="$AXON_BIN/axon-connectivity"
"$AXON_TESTDATA_BIN/axon-testdata" fmri "$work/sim" --volumes 80 --seed 3 --motion none -q || { echo "testdata failed"; exit 1; }
"$AXON_PYTHON" - "$work" <<'PY' || { echo "making the small mask failed"; exit 1; }
import sys, numpy as np, nibabel as nib
w = sys.argv[1]
m = nib.load(f"{w}/sim/brainmask.nii.gz")
a = np.asanyarray(m.dataobj) > 0
box = np.zeros_like(a)
c = np.array(np.nonzero(a)).mean(axis=1).astype(int)
box[c[0]-6:c[0]+6, c[1]-6:c[1]+6, c[2]-4:c[2]+4] = True
nib.save(nib.Nifti1Image((a & box).astype(np.uint8), m.affine), f"{w}/small.nii.gz")
# The same grid with the TR removed, and a mask on another grid.
b = nib.load(f"{w}/sim/bold.nii.gz")
h = b.header.copy(); h["pixdim"][4] = 0
nib.save(nib.Nifti1Image(np.asanyarray(b.dataobj)[..., :10], b.affine, h), f"{w}/no_tr.nii.gz")
nib.save(nib.Nifti1Image((a & box)[::2].astype(np.uint8), m.affine), f"{w}/other_grid.nii.gz")
PY
mkdir -p "$work/out1"  # out/ is made by the tool (mkdir -p semantics)
run() { "$C" voxel --bold "$work/sim/bold.nii.gz" --mask "$work/small.nii.gz" --strategy none \
  --maps degree,wdegree,triangles,alff,falff,reho --sparsity 0.05 --zscore -q "$@"; }
run --out "$work/out" || fail "voxel failed"
OMP_NUM_THREADS=1 run --out "$work/out1" --threads 1 || fail "voxel with 1 thread failed"
for f in "$work"/out/*.nii.gz; do
  cmp -s "$f" "$work/out1/$(basename "$f")" || fail "$(basename "$f") differs between 2 threads and 1"
done
"$AXON_PYTHON" - "$work" <<'PY' || fail "voxel maps differ from the numpy brute force"
import sys, glob, json, numpy as np, nibabel as nib
from scipy.signal import detrend
w = sys.argv[1]
mask = np.asanyarray(nib.load(f"{w}/small.nii.gz").dataobj) > 0
x = np.asanyarray(nib.load(f"{w}/sim/bold.nii.gz").dataobj)[mask].astype(np.float64).T  # time x voxels
x = detrend(x, axis=0)  # --detrend linear (default)
r = np.corrcoef(x, rowvar=False)
n = r.shape[0]
np.fill_diagonal(r, -np.inf)
iu = np.triu_indices(n, 1)
k = int(round(0.05 * n * (n - 1) / 2))
t = np.sort(r[iu])[::-1][k - 1]
a = (r >= t).astype(np.float64)
def load(m):
    (p,) = glob.glob(f"{w}/out/*_stat-{m}_boldmap.nii.gz")
    return np.asanyarray(nib.load(p).dataobj)[mask]
deg, wdeg, tri = load("degree"), load("wdegree"), load("triangles")
assert np.array_equal(deg, a.sum(1)), "degree"
assert np.allclose(wdeg, np.where(a > 0, r, 0).sum(1), atol=1e-3, rtol=1e-5), "weighted degree"
assert np.array_equal(tri, np.rint(np.einsum("ij,ji->i", a @ a, a) / 2)), "triangles"
side = json.load(open(glob.glob(f"{w}/out/*_stat-degree_boldmap.json")[0]))
assert abs(side["Threshold"] - t) < 1e-12, (side["Threshold"], t)
for m in ("alff", "falff", "reho"):
    v = load(m)
    assert np.isfinite(v).all() and (v > 0).all(), m
    z = load(m)  # z maps
(zp,) = glob.glob(f"{w}/out/*_stat-reho_desc-z_boldmap.nii.gz")
z = np.asanyarray(nib.load(zp).dataobj)[mask]
assert abs(z.mean()) < 1e-4 and abs(z.std(ddof=1) - 1) < 1e-4
print(f"{n} voxels, threshold {t:.4f}: degree and triangles equal the brute force; {int(a.sum() / 2)} edges")
PY

# Bad input: one error line, the documented exit code, no output.
mkdir -p "$work/bad"
B="$work/sim/bold.nii.gz"
expect_error 2 "$work/bad/bold_stat-degree_boldmap.nii.gz" "$C" voxel --bold "$B" --mask "$work/small.nii.gz" \
  --threshold 0.3 --sparsity 0.1 --out "$work/bad"
expect_error 2 "$work/bad/bold_stat-degree_boldmap.nii.gz" "$C" voxel --bold "$B" --mask "$work/small.nii.gz" \
  --maps degree,hubs --out "$work/bad"
expect_error 2 "$work/bad/bold_stat-alff_boldmap.nii.gz" "$C" voxel --bold "$B" --mask "$work/small.nii.gz" \
  --maps alff --band 0.01 0.4 --out "$work/bad"
expect_error 2 "$work/bad/bold_stat-degree_boldmap.nii.gz" "$C" voxel --bold "$B" --mask "$work/small.nii.gz" \
  --sparsity 1.5 --out "$work/bad"
expect_error 3 "$work/bad/bold_stat-degree_boldmap.nii.gz" "$C" voxel --bold "$B" --mask "$work/other_grid.nii.gz" \
  --out "$work/bad"
expect_error 3 "$work/bad/no_tr_stat-alff_boldmap.nii.gz" "$C" voxel --bold "$work/no_tr.nii.gz" \
  --mask "$work/small.nii.gz" --maps alff --out "$work/bad"
expect_error 4 "" "$C" voxel --bold "$B" --mask "$work/small.nii.gz" --maps reho --out "$work/out"
# A failed run leaves no folder of its own behind.
expect_error 3 "" "$C" voxel --bold "$B" --mask "$work/other_grid.nii.gz" --out "$work/bad/made/here"
[ ! -e "$work/bad/made" ] || fail "a failed run left the --out folder it made"
finish
