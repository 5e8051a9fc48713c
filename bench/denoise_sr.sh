#!/usr/bin/env bash
# Super-resolution, axon sr (non-local upsampling) vs cubic B-spline of the
# same input, on the two cases of issue 6, both real images:
#   ch2bet    1 mm (181x217x181, cropped to even dims) -> 2 mm -> 1 mm
#   ch2better 0.5 mm (301x370x316, cropped to even dims) -> 1 mm -> 0.5 mm
# The low-resolution input is the block mean of 2x2x2 voxels (its affine
# centres each voxel on its block). PSNR / SSIM inside the brain (reference
# > 0) against the real high-resolution image, data range = its max - min;
# wall time and peak memory of each command.
# Usage: bench/denoise_sr.sh [BUILD] [CASES (default: "ch2bet ch2better")] [THREADS]
set -euo pipefail
build=${1:-build}; cases=${2:-"ch2bet ch2better"}; threads=${3:-2}
PY=/usr/bin/python3
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dn="$build/apps/axon-denoise"
T=/usr/share/mricron/templates
printf "%-10s %-22s %7s %8s %8s %7s\n" case method "wall s" "peak MB" "PSNR dB" SSIM
for c in $cases; do
  "$PY" - "$T/$c.nii.gz" "$work/$c" <<'PY'
import sys, nibabel as nib, numpy as np
src, out = sys.argv[1], sys.argv[2]
img = nib.load(src); x = np.asanyarray(img.dataobj).astype(np.float32)
x = x[: x.shape[0] // 2 * 2, : x.shape[1] // 2 * 2, : x.shape[2] // 2 * 2]
s = [n // 2 for n in x.shape]
lr = x.reshape(s[0], 2, s[1], 2, s[2], 2).mean(axis=(1, 3, 5))
centre = np.mean([img.affine @ [a, b, c, 1] for a in (0, 1) for b in (0, 1) for c in (0, 1)], axis=0)
aff = img.affine.copy(); aff[:3, :3] *= 2; aff[:3, 3] = centre[:3]
ref = nib.Nifti1Image(x, img.affine); ref.set_sform(img.affine, 4); ref.set_qform(img.affine, 4)
nib.save(ref, out + "_ref.nii.gz")
nib.save(nib.Nifti1Image((x > 0).astype(np.uint8), img.affine), out + "_mask.nii.gz")
low = nib.Nifti1Image(lr.astype(np.float32), aff); low.set_sform(aff, 4); low.set_qform(aff, 4)
nib.save(low, out + "_lr.nii.gz")
PY
  for method in bspline nlm; do
    /usr/bin/time -f "%e %M" -o "$work/t" "$dn" sr -q --force --threads "$threads" --factor 2 --method "$method" \
      "$work/${c}_lr.nii.gz" "$work/${c}_$method.nii.gz" >/dev/null
    q=$("$dn" compare --json -q "$work/${c}_$method.nii.gz" "$work/${c}_ref.nii.gz" --mask "$work/${c}_mask.nii.gz" |
      "$PY" -c 'import json, sys; d = json.load(sys.stdin); print("%8.2f %7.4f" % (d["psnr_db"], d["ssim"]))')
    read -r t m < "$work/t"
    printf "%-10s %-22s %7.1f %8.0f %s\n" "$c" "$method" "$t" "$(echo "$m / 1024" | bc)" "$q"
  done
done
