#!/usr/bin/env bash
# axon-segment evaluate against an independent numpy/scipy implementation
# (scipy.ndimage.binary_erosion for surfaces, distance_transform_edt with
# sampling = voxel sizes for distances, numpy.percentile for HD95) on random
# blobs with anisotropic voxels (0.8 x 1.1 x 2.5 mm, x flipped): Dice and
# Jaccard to 1e-9, HD95, ASSD and volumes to 1e-3 (mm, mm^3), including a
# label present in the prediction only and one absent from both, and the
# BraTS regions.
source "$AXON_SOURCE/tests/cli/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
sg="$AXON_BIN/axon-segment"
"$AXON_PYTHON" - "$work" <<'PY' || { echo "FAIL: making inputs"; exit 1; }
import sys, numpy as np, nibabel as nib
from scipy import ndimage as ndi
work = sys.argv[1]
rng = np.random.default_rng(11)
shape = (40, 36, 24)
affine = np.diag([-0.8, 1.1, 2.5, 1.0]); affine[:3, 3] = [30, -20, -25]
def field(sigma=(3, 3, 1.5)):
    f = ndi.gaussian_filter(rng.standard_normal(shape), sigma)
    return f / f.std()
ref = np.zeros(shape, np.int16); pred = np.zeros(shape, np.int16)
for label, level in ((1, 0.9), (2, 1.1), (4, 1.3)):
    f, e = field(), 0.35 * field((1.5, 1.5, 1)) 
    ref[f > level] = label
    pred[f + e > level] = label
pred[field() > 2.2] = 5  # a label the reference lacks
for name, img in (("ref", ref), ("pred", pred)):
    nib.save(nib.Nifti1Image(img, affine), f"{work}/{name}.nii.gz")
PY
"$sg" evaluate --json -q "$work/pred.nii.gz" "$work/ref.nii.gz" > "$work/default.json" || fail "evaluate (default labels)"
"$sg" evaluate --json -q "$work/pred.nii.gz" "$work/ref.nii.gz" --labels 1,2,4,5,6 > "$work/listed.json" || fail "evaluate --labels"
"$sg" evaluate --json -q "$work/pred.nii.gz" "$work/ref.nii.gz" --brats > "$work/brats.json" || fail "evaluate --brats"
"$AXON_PYTHON" - "$work" <<'PY' || fail "disagreement with numpy/scipy"
import json, sys, numpy as np, nibabel as nib
from scipy import ndimage as ndi
work = sys.argv[1]
ref_img = nib.load(f"{work}/ref.nii.gz")
ref = np.asarray(ref_img.dataobj); pred = np.asarray(nib.load(f"{work}/pred.nii.gz").dataobj)
spacing = ref_img.header.get_zooms()[:3]
diagonal = float(np.sqrt(sum((n * s) ** 2 for n, s in zip(ref.shape, spacing))))
cross = ndi.generate_binary_structure(3, 1)
def surface(m):
    return m & ~ndi.binary_erosion(m, structure=cross)  # border_value 0: the outside is background
def directed(a, b):  # distances from a's surface voxels to b's surface
    return ndi.distance_transform_edt(~surface(b), sampling=spacing)[surface(a)]
def metrics(p, r):
    vox = float(np.prod(spacing))
    out = dict(pred_volume_mm3=p.sum() * vox, ref_volume_mm3=r.sum() * vox,
               volume_difference_mm3=(p.sum() - r.sum()) * vox)
    if not p.any() and not r.any():
        return dict(out, dice=1.0, jaccard=1.0, hd95_mm=0.0, assd_mm=0.0)
    inter = (p & r).sum()
    out.update(dice=2 * inter / (p.sum() + r.sum()), jaccard=inter / (p | r).sum())
    if not p.any() or not r.any():
        return dict(out, hd95_mm=diagonal, assd_mm=diagonal)
    d1, d2 = directed(p, r), directed(r, p)
    return dict(out, hd95_mm=np.percentile(np.hstack((d1, d2)), 95), assd_mm=(d1.mean() + d2.mean()) / 2)
bad = 0
def check(case, regions):
    global bad
    got = {r["region"]: r for r in json.load(open(f"{work}/{case}.json"))["regions"]}
    if sorted(got) != sorted(regions):
        print(case, "regions", sorted(got), "expected", sorted(regions)); bad += 1; return
    for name, labels in regions.items():
        want = metrics(np.isin(pred, labels), np.isin(ref, labels))
        for key, value in want.items():
            tol = 1e-9 if key in ("dice", "jaccard") else 1e-3
            ok = abs(got[name][key] - value) <= tol
            print(f"{case:8s} {name:3s} {key:22s} scipy {value:12.6f} axon {got[name][key]:12.6f} {'ok' if ok else 'FAIL'}")
            bad += not ok
check("default", {str(l): [l] for l in (1, 2, 4, 5)})
check("listed", {str(l): [l] for l in (1, 2, 4, 5, 6)})
check("brats", {"WT": [1, 2, 4], "TC": [1, 4], "ET": [4]})
listed = {r["region"]: r for r in json.load(open(f"{work}/listed.json"))["regions"]}
if not (listed["6"]["dice"] == 1 and listed["6"]["hd95_mm"] == 0 and listed["5"]["dice"] == 0
        and abs(listed["5"]["hd95_mm"] - diagonal) < 1e-9):
    print("empty-region conventions not followed"); bad += 1
sys.exit(1 if bad else 0)
PY
# The text table has one row per region.
"$sg" evaluate -q "$work/pred.nii.gz" "$work/ref.nii.gz" --brats > "$work/text.tsv" || fail "text output"
[ "$(cut -f1 "$work/text.tsv" | tr '\n' ' ')" = "region WT TC ET " ] || fail "text table: $(cat "$work/text.tsv")"
finish
