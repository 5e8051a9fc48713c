#!/usr/bin/env bash
# Super-resolution, axon sr (non-local upsampling) vs cubic B-spline of the
# same input, on the two cases of issue 6, both real images:
#   ch2bet    1 mm (181x217x181, cropped to even dims) -> 2 mm -> 1 mm
#   ch2better 0.5 mm (301x370x316, cropped to even dims) -> 1 mm -> 0.5 mm
# each clean and noisy. The low-resolution input is the block mean of 2x2x2
# voxels (its affine centres each voxel on its block). Noisy: Rician noise of
# sigma 3 % of the image's maximum is added to the high-resolution image
# before the block averaging (seeded), as a scanner would see it; the noisy
# case also runs sr --denoise auto. PSNR / SSIM inside the brain (reference
# > 0) against the clean high-resolution image, data range = its max - min;
# wall time, CPU time (user + system) and peak memory of each command, and
# the PSNR gain of each nlm run over B-spline of the same input.
# Usage: bench/denoise_sr.sh [BUILD] [CASES (default: "ch2bet ch2better")] [THREADS] [NOISE (default: "clean noisy")]
set -euo pipefail
build=${1:-build}; cases=${2:-"ch2bet ch2better"}; threads=${3:-2}; noises=${4:-"clean noisy"}
PY=/usr/bin/python3
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dn="$build/apps/axon-denoise"
T=/usr/share/mricron/templates
echo "load: $(uptime)"
printf "%-10s %-6s %-22s %7s %7s %8s %8s %7s %9s\n" case input method "wall s" "CPU s" "peak MB" "PSNR dB" SSIM "vs bspline"
for c in $cases; do
  "$PY" - "$T/$c.nii.gz" "$work/$c" <<'PY'
import sys, nibabel as nib, numpy as np
src, out = sys.argv[1], sys.argv[2]
img = nib.load(src); x = np.asanyarray(img.dataobj).astype(np.float32)
x = x[: x.shape[0] // 2 * 2, : x.shape[1] // 2 * 2, : x.shape[2] // 2 * 2]
s = [n // 2 for n in x.shape]
centre = np.mean([img.affine @ [a, b, c, 1] for a in (0, 1) for b in (0, 1) for c in (0, 1)], axis=0)
aff = img.affine.copy(); aff[:3, :3] *= 2; aff[:3, 3] = centre[:3]
ref = nib.Nifti1Image(x, img.affine); ref.set_sform(img.affine, 4); ref.set_qform(img.affine, 4)
nib.save(ref, out + "_ref.nii.gz")
nib.save(nib.Nifti1Image((x > 0).astype(np.uint8), img.affine), out + "_mask.nii.gz")
rng = np.random.default_rng(1234)
sigma = 0.03 * float(x.max())
noisy = np.sqrt((x + sigma * rng.standard_normal(x.shape)) ** 2 + (sigma * rng.standard_normal(x.shape)) ** 2)
for name, hr in (("clean", x), ("noisy", noisy)):
    lr = hr.reshape(s[0], 2, s[1], 2, s[2], 2).mean(axis=(1, 3, 5))
    low = nib.Nifti1Image(lr.astype(np.float32), aff); low.set_sform(aff, 4); low.set_qform(aff, 4)
    nib.save(low, f"{out}_lr_{name}.nii.gz")
PY
  for noise in $noises; do
    methods="bspline nlm"; [ "$noise" = noisy ] && methods="bspline nlm nlm+denoise"
    base=""
    for method in $methods; do
      opts=(--method "${method%%+*}"); [ "$method" = nlm+denoise ] && opts+=(--denoise auto)
      out="$work/${c}_${noise}_$method.nii.gz"
      /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$dn" sr -q --force --threads "$threads" --factor 2 "${opts[@]}" \
        "$work/${c}_lr_$noise.nii.gz" "$out" >/dev/null
      read -r p s < <("$dn" compare --json -q "$out" "$work/${c}_ref.nii.gz" --mask "$work/${c}_mask.nii.gz" |
        "$PY" -c 'import json, sys; d = json.load(sys.stdin); print(d["psnr_db"], d["ssim"])')
      [ -z "$base" ] && base=$p
      read -r t u sy m < "$work/t"
      printf "%-10s %-6s %-22s %7.1f %7.1f %8.0f %8.2f %7.4f %+8.2f dB\n" "$c" "$noise" "$method" "$t" \
        "$(echo "$u + $sy" | bc)" "$(echo "$m / 1024" | bc)" "$p" "$s" "$(echo "$p - $base" | bc -l)"
    done
  done
done
