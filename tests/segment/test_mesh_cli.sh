#!/usr/bin/env bash
# axon-segment mesh, end to end, checked by a peer: nibabel computes each
# label's world extent from the file's own affine (oblique sform, anisotropic
# voxels, mirrored x) and numpy parses the written STL and OBJ; the surface's
# bounds must match that extent within half a voxel, in RAS and LPS. Also:
# identical output for 1 and 2 threads, --png with and without a display,
# and bad input (exit 3, no output left).
source "$AXON_SOURCE/tests/cli/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
sg="$AXON_BIN/axon-segment"
"$AXON_PYTHON" - "$work" <<'PY' || { echo "FAIL: making inputs"; exit 1; }
import sys, numpy as np, nibabel as nib
work = sys.argv[1]
shape = (40, 36, 20)
c, s = np.cos(0.35), np.sin(0.35)
rot = np.array([[c, -s, 0], [s * 0.9, c * 0.9, -0.436], [s * 0.436, c * 0.436, 0.9]])
aff = np.eye(4)
aff[:3, :3] = rot @ np.diag([-1.1, 1.3, 2.4])
aff[:3, 3] = [25, -30, 10]
ijk = np.indices(shape).reshape(3, -1).T
xyz = ijk @ aff[:3, :3].T + aff[:3, 3]
centre = np.array([19.5, 17.5, 9.5]) @ aff[:3, :3].T + aff[:3, 3]
r2 = (((xyz - centre) / [14, 12, 16]) ** 2).sum(1)
labels = np.zeros(shape, np.int16)
labels.reshape(-1)[r2 <= 1] = 2
labels[3:7, 4:8, 2:5] = 5
img = nib.Nifti1Image(labels, aff)
img.set_sform(aff, 1); img.set_qform(aff, 1)
nib.save(img, f"{work}/labels.nii.gz")
nib.save(nib.Nifti1Image(labels.astype(np.float32) + 0.25, aff), f"{work}/float_labels.nii.gz")
nib.save(nib.Nifti1Image(np.stack([labels, labels], -1), aff), f"{work}/four_d.nii.gz")
PY
mkdir -p "$work/out"
L="$work/labels.nii.gz"

# Peer check: bounds of the parsed points against nibabel's world extent.
check_bounds() {  # FILE LABEL FRAME SMOOTHED(0/1)
  "$AXON_PYTHON" - "$L" "$1" "$2" "$3" "$4" <<'PY'
import sys, json, struct, numpy as np, nibabel as nib
path, surf, label, frame, smoothed = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
img = nib.load(path)
a = img.affine
ijk = np.argwhere(np.asarray(img.dataobj) == label)
xyz = ijk @ a[:3, :3].T + a[:3, 3]
half = 0.5 * np.abs(a[:3, :3]).sum(1)
if frame == "lps":
    xyz[:, :2] *= -1
if surf.endswith(".obj"):
    pts = np.array([l.split()[1:4] for l in open(surf) if l.startswith("v ")], float)
else:  # binary STL: 80-byte header, count, 50 bytes per triangle
    raw = open(surf, "rb").read()
    n = struct.unpack_from("<I", raw, 80)[0]
    tri = np.frombuffer(raw, np.dtype([("n", "<f4", 3), ("v", "<f4", (3, 3)), ("a", "<u2")]), n, 84)
    pts = tri["v"].reshape(-1, 3).astype(float)
    side = json.load(open(surf[:-4] + ".json"))["SurfaceMesh"]
    assert n == side["triangles"], (n, side["triangles"])
    assert len(np.unique(pts, axis=0)) == side["points"], "STL corners != sidecar points"
# The label's world extent: its voxels' boxes (centres +- half a voxel's
# projected width). The surface's bounds lie within half a voxel of it, and
# inside it when not smoothed (points are midpoints of voxel centres).
lo, hi = xyz.min(0) - half, xyz.max(0) + half
bad = (np.abs(pts.min(0) - lo) > half + 1e-3).any() or (np.abs(pts.max(0) - hi) > half + 1e-3).any()
if smoothed == "0":
    bad = bad or (pts.min(0) < lo - 1e-3).any() or (pts.max(0) > hi + 1e-3).any()
if bad:
    print(f"bounds {pts.min(0)} {pts.max(0)} vs extent {lo} {hi}, half voxel {half}")
    sys.exit(1)
PY
}

"$sg" mesh -q "$L" "$work/out/ras.obj" --label 2 --smooth 0 || fail "mesh .obj"
check_bounds "$work/out/ras.obj" 2 ras 0 || fail "OBJ bounds (RAS, no smoothing) do not match nibabel's extent"
head -1 "$work/out/ras.obj" | grep -q "SPACE=RAS" || fail "OBJ lacks the SPACE=RAS tag"
"$sg" mesh -q "$L" "$work/out/lps.stl" --label 2 --coordinates lps --threads 1 || fail "mesh .stl lps"
check_bounds "$work/out/lps.stl" 2 lps 1 || fail "STL bounds (LPS, smoothed) do not match nibabel's extent"
head -c 80 "$work/out/lps.stl" | grep -q "SPACE=LPS" || fail "STL lacks the SPACE=LPS tag"
"$sg" mesh -q "$L" "$work/out/lps2.stl" --label 2 --coordinates lps --threads 2 || fail "mesh .stl 2 threads"
cmp -s "$work/out/lps.stl" "$work/out/lps2.stl" || fail "1 and 2 threads give different STL files"
[ -f "$work/out/lps.json" ] || fail "no JSON sidecar"

# Every label, every format (read-back of each format is in test_segment_mesh).
for ext in vtk vtp ply; do
  "$sg" mesh -q "$L" "$work/out/all_$ext.$ext" --decimate 0.5 || fail "mesh all labels .$ext"
  [ -s "$work/out/all_$ext.$ext" ] || fail "empty .$ext"
done
"$AXON_PYTHON" -c "import json,sys; d=json.load(open(sys.argv[1]))['SurfaceMesh']; sys.exit(d['labels'] != [2, 5])" \
  "$work/out/all_vtp.json" || fail "all labels: sidecar does not list labels 2 and 5"

# --png: skipped with a warning (exit 0) without a display; drawn under Xvfb.
env -u DISPLAY "$sg" mesh "$L" "$work/out/nodisplay.vtk" --label 5 --png "$work/out/nodisplay.png" 2>"$work/err" ||
  fail "--png without a display must still write the surface"
grep -q "png skipped" "$work/err" || fail "--png without a display: no warning"
[ -e "$work/out/nodisplay.png" ] && fail "--png without a display left a PNG"
[ -f "$work/out/nodisplay.vtk" ] || fail "--png without a display: no surface"
if command -v xvfb-run >/dev/null; then
  xvfb-run -a "$sg" mesh -q "$L" "$work/out/shown.vtk" --png "$work/out/shown.png" || fail "--png under xvfb-run"
  "$AXON_PYTHON" - "$work/out/shown.png" <<'PY' || fail "--png under xvfb-run: no drawn surface in the PNG"
import sys, numpy as np
from skimage.io import imread
im = imread(sys.argv[1])[..., :3]
drawn = (im.astype(int).sum(-1) < 3 * 250).mean()
print(f"png {im.shape}, {drawn:.3f} of pixels drawn")
sys.exit(not (im.shape[:2] == (800, 800) and 0.02 < drawn < 0.9))
PY
fi

# Bad input: exit 3, one error line naming the file, nothing written.
out="$work/out/bad.vtk"
expect_error 3 "$out" "$sg" mesh "$work/float_labels.nii.gz" "$out"
grep -q "float_labels" "$work/stderr" || fail "float labels: error does not name the file"
expect_error 3 "$out" "$sg" mesh "$work/four_d.nii.gz" "$out"
grep -q "four_d" "$work/stderr" || fail "4D: error does not name the file"
expect_error 3 "$out" "$sg" mesh "$L" "$out" --label 9
grep -q "label 9" "$work/stderr" || fail "absent label: error does not say which"
expect_error 3 "$work/out/bad.xyz" "$sg" mesh "$L" "$work/out/bad.xyz"
expect_error 2 "$out" "$sg" mesh "$L" "$out" --decimate 1
expect_error 2 "$out" "$sg" mesh "$L" "$out" --smooth -1
finish
