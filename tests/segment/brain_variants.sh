#!/usr/bin/env bash
# axon-segment brain against known truth: Colin27 with skull (ch2) and
# ch2bet > 0 as the reference, and variants made from them with the truth
# transformed alongside (tests/segment/make_brain_variants.py): a strong
# bias field, Rician noise of 5 % of white matter, a 15-degree rotation,
# 1 x 1 x 3 mm voxels. On a 2 mm grid (every second ch2 voxel) so each case
# takes seconds (VOXEL 1: the full 1 mm images, as segment_brain_noise_full
# runs the noisy case); bench/segment_brain.sh runs all of them at 1 mm.
# Dice >= 0.95 on the plain pair and >= 0.93 on every variant; the mask is
# one 6-connected piece without holes, --out-brain is the input inside it,
# the --qc PNG has the expected size, and 1 and 2 threads give the same mask.
# METHOD (classical, the default, or learned) is passed as --method.
# Usage (ctest): brain_variants.sh CASE,CASE,... [VOXEL] [METHOD]
source "$AXON_SOURCE/tests/cli/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
cases=${1:-plain,bias,noise,rotated,aniso}
voxel=${2:-2}
method=${3:-classical}
sg="$AXON_BIN/axon-segment"
"$AXON_PYTHON" "$AXON_SOURCE/tests/segment/make_brain_variants.py" "$work" --voxel "$voxel" --cases "$cases" ||
  { echo "FAIL: making inputs"; exit 1; }
for c in ${cases//,/ }; do
  "$sg" brain -q --method "$method" "$work/${c}_t1.nii.gz" --out-mask "$work/${c}_mask.nii.gz" --out-brain "$work/${c}_brain.nii.gz" \
    --qc "$work/${c}_qc.png" ||
    { fail "$c: brain exited $?"; continue; }
  want=0.93; [ "$c" = plain ] && want=0.95
  "$sg" evaluate --json -q "$work/${c}_mask.nii.gz" "$work/${c}_truth.nii.gz" --labels 1 > "$work/${c}.json" ||
    fail "$c: evaluate exited $?"
  "$AXON_PYTHON" - "$work" "$c" "$want" "$method" <<'PY' || fail "$c: below target or malformed mask"
import json, sys, numpy as np, nibabel as nib
from scipy import ndimage as ndi
work, case, want = sys.argv[1], sys.argv[2], float(sys.argv[3])
r = json.load(open(f"{work}/{case}.json"))["regions"][0]
m = np.asarray(nib.load(f"{work}/{case}_mask.nii.gz").dataobj) > 0
t1 = np.asarray(nib.load(f"{work}/{case}_t1.nii.gz").dataobj)
brain = np.asarray(nib.load(f"{work}/{case}_brain.nii.gz").dataobj)
pieces = ndi.label(m)[1]
holes = (ndi.binary_fill_holes(m) & ~m).sum()
# QC figure: a PNG of three panels, pixels square in mm (width and height from the grid).
png = open(f"{work}/{case}_qc.png", "rb").read()
zooms = nib.load(f"{work}/{case}_t1.nii.gz").header.get_zooms()[:3]
px = max(0.5, min(zooms))
size = [int(np.ceil(n * z / px - 1e-9)) for n, z in zip(m.shape, zooms)]
want_wh = (2 * size[0] + size[1], max(size[1], size[2]))
got_wh = (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big"))
png_ok = png[:8] == b"\x89PNG\r\n\x1a\n" and got_wh == want_wh
if not png_ok: print("QC PNG: size", got_wh, "expected", want_wh)
print(f"{case:8s} {sys.argv[4]:9s} Dice {r['dice']:.4f} (target {want}) HD95 {r['hd95_mm']:.2f} mm, {pieces} piece(s), {holes} hole voxels")
ok = png_ok and r["dice"] >= want and pieces == 1 and holes == 0 and np.array_equal(brain, np.where(m, t1, 0))
sys.exit(0 if ok else 1)
PY
done
# The same mask for any thread count (checked on the fast 1x1x3 mm case).
c=aniso
[[ ",$cases," == *,aniso,* ]] && {
"$sg" brain -q --method "$method" --threads 1 "$work/${c}_t1.nii.gz" --out-mask "$work/${c}_mask1.nii.gz" || fail "$c: brain --threads 1"
"$sg" brain -q --method "$method" --threads 2 "$work/${c}_t1.nii.gz" --out-mask "$work/${c}_mask2.nii.gz" || fail "$c: brain --threads 2"
cmp -s "$work/${c}_mask1.nii.gz" "$work/${c}_mask2.nii.gz" || fail "$c: mask differs between 1 and 2 threads"
}
finish
