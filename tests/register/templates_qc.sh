#!/usr/bin/env bash
# Templates by name and the registration overlay, end to end: the registry
# lists colin27 and colin27-brain; a name is accepted wherever an input image
# path is taken (FIXED, --reference, axon-image info); a 4 mm Colin27 brain
# moved by a known rigid transform registers to `colin27-brain` (1 mm) and
# the recovered transform matches the truth; --qc writes the overlay figure
# at the fixed image's size with the fixed edges in red; unknown names fail
# with one line and write nothing.
source "$AXON_SOURCE/tests/cli/lib.sh"
rg="$AXON_BIN/axon-register" img="$AXON_BIN/axon-image"
PY=${AXON_PYTHON:-/usr/bin/python3}

"$img" templates >"$work/list.txt" || fail "axon-image templates"
grep -q "^colin27	" "$work/list.txt" && grep -q "^colin27-brain	" "$work/list.txt" || fail "templates list: $(cat "$work/list.txt")"
"$img" templates --json colin27-brain >"$work/one.json" || fail "axon-image templates colin27-brain"
grep -q '"image": "/usr/share/mricron/templates/ch2bet.nii.gz"' "$work/one.json" || fail "colin27-brain is not ch2bet"
expect_error 3 "" "$img" templates no-such-template
"$img" info colin27 >"$work/info.txt" || fail "axon-image info colin27"
grep -q "181" "$work/info.txt" || fail "info colin27 does not show the 181-voxel axis: $(head -3 "$work/info.txt")"

# The moving image: ch2bet at 4 mm (block means), then moved by a known
# rigid transform (3 deg about z, 4 mm in x) written as an ITK file.
"$PY" - "$work" <<'PY' || { fail "inputs"; finish; }
import sys
import nibabel as nib, numpy as np
w = sys.argv[1]
b = nib.load("/usr/share/mricron/templates/ch2bet.nii.gz")
a = b.affine.copy(); a[:3, 3] += a[:3, :3] @ [1.5, 1.5, 1.5]; a[:3, :3] *= 4
d = np.asarray(b.dataobj)[:180, :216, :180].astype(np.float32).reshape(45, 4, 54, 4, 45, 4).mean(axis=(1, 3, 5))
img = nib.Nifti1Image(d.astype(np.float32), a); img.header.set_sform(a, 4); img.header.set_qform(a, 1)
nib.save(img, f"{w}/brain4.nii.gz")
t = np.deg2rad(3.0); c, s = np.cos(t), np.sin(t)
open(f"{w}/truth.txt", "w").write(
    "#Insight Transform File V1.0\n#Transform 0\nTransform: AffineTransform_double_3_3\n"
    f"Parameters: {c} {-s} 0 {s} {c} 0 0 0 1 4 0 0\nFixedParameters: 0 -18 18\n")
PY
"$rg" apply -q "$work/brain4.nii.gz" "$work/moving.nii.gz" --reference "$work/brain4.nii.gz" \
  --transform "$work/truth.txt" --interpolation bspline || fail "apply of the true transform"
"$rg" run -q colin27-brain "$work/moving.nii.gz" --stages rigid --out-transform "$work/r_" --qc "$work/qc.png" \
  --threads 2 || fail "run with FIXED = colin27-brain"
# Recovered: moving(T(x)) ~ fixed(x) with T the rigid found; the truth maps
# a point of brain4 to moving... so T ~ truth^-1 (up to the 1 mm / 4 mm
# block offset, which is a translation of 0 since both grids share origin
# conventions). Compare on a box of brain points.
"$PY" - "$work" <<'PY' || fail "the rigid transform to colin27-brain is not the inverse of the known one (within 1 mm)"
import sys
import numpy as np
w = sys.argv[1]
def read(path):
    lines = open(path).read().splitlines()
    p = np.array([float(v) for v in next(l for l in lines if l.startswith("Parameters:")).split()[1:]])
    c = np.array([float(v) for v in next(l for l in lines if l.startswith("FixedParameters:")).split()[1:]])
    if len(p) == 6:  # Euler3D: angles then translation
        ax, ay, az = p[:3]
        rx = np.array([[1, 0, 0], [0, np.cos(ax), -np.sin(ax)], [0, np.sin(ax), np.cos(ax)]])
        ry = np.array([[np.cos(ay), 0, np.sin(ay)], [0, 1, 0], [-np.sin(ay), 0, np.cos(ay)]])
        rz = np.array([[np.cos(az), -np.sin(az), 0], [np.sin(az), np.cos(az), 0], [0, 0, 1]])
        A, t = rz @ rx @ ry, p[3:]
    else:
        A, t = p[:9].reshape(3, 3), p[9:12]
    return lambda x: (x - c[:3]) @ A.T + c[:3] + t
found, truth = read(f"{w}/r_0GenericAffine.txt"), read(f"{w}/truth.txt")
g = np.stack(np.meshgrid(*[np.linspace(-50, 50, 6)] * 3, indexing="ij"), -1).reshape(-1, 3) + [0, -18, 18]
err = np.linalg.norm(truth(found(g)) - g, axis=1)
print(f"composed with the truth: mean {err.mean():.3f} mm, max {err.max():.3f} mm")
sys.exit(0 if err.max() < 1.0 else 1)
PY
"$PY" - "$work/qc.png" <<'PY' || fail "the overlay figure"
import sys
import numpy as np
from PIL import Image
q = np.asarray(Image.open(sys.argv[1]).convert("RGB")).astype(int)
# colin27-brain is 181 x 217 x 181 at 1 mm: panels x-y, x-z, y-z side by side.
assert q.shape[:2] == (217, 181 + 181 + 217), q.shape
red = np.all(q == [255, 40, 40], axis=-1).mean()
print(f"red (fixed edges) {100 * red:.2f} % of the figure")
assert 0.005 < red < 0.15, red
PY
"$rg" apply -q "$work/moving.nii.gz" "$work/on_colin.nii.gz" --reference colin27 \
  --transform "$work/r_0GenericAffine.txt" || fail "apply --reference colin27"
"$PY" -c "import nibabel as nib,sys; s=nib.load(sys.argv[1]).shape; sys.exit(0 if s==(181,217,181) else 1)" \
  "$work/on_colin.nii.gz" || fail "apply --reference colin27: not on the 1 mm Colin27 grid"
expect_error 3 "$work/x_0GenericAffine.txt" "$rg" run no-such-template "$work/moving.nii.gz" --out-transform "$work/x_"
finish
