#!/usr/bin/env bash
# axon-denoise sr: a cropped ch2bet (1 mm, real) block-averaged to 2 mm and
# super-resolved back. The output lands exactly on the original 1 mm grid
# (header arithmetic), averages back to the 2 mm input, and beats cubic
# B-spline interpolation of the same input in PSNR inside the brain.
source "$AXON_SOURCE/tests/cli/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
"$AXON_PYTHON" "$AXON_SOURCE/tests/denoise/make_noisy_ch2bet.py" "$work" --crop --noise 0.03 || { echo "FAIL: generator"; exit 1; }
dn="$AXON_BIN/axon-denoise"
# The 2 mm image: 2x2x2 block means; its affine puts each voxel at the mean
# of its block's 1 mm centres (computed here independently of axon).
"$AXON_PYTHON" - "$work" <<'PY' || { echo "FAIL: downsampling"; exit 1; }
import sys, nibabel as nib, numpy as np
w = sys.argv[1]
img = nib.load(f"{w}/clean.nii.gz"); x = img.get_fdata()
lr = x.reshape(40, 2, 48, 2, 36, 2).mean(axis=(1, 3, 5))
centre = np.mean([img.affine @ [a, b, c, 1] for a in (0, 1) for b in (0, 1) for c in (0, 1)], axis=0)
aff = img.affine.copy(); aff[:3, :3] *= 2; aff[:3, 3] = centre[:3]
out = nib.Nifti1Image(lr.astype(np.float32), aff); out.set_sform(aff, 4); out.set_qform(aff, 4)
nib.save(out, f"{w}/lr.nii.gz")
PY
quality() { "$dn" compare --json -q "$1" "$work/clean.nii.gz" --mask "$work/mask.nii.gz" --data-range 1000 |
  "$AXON_PYTHON" -c 'import json, sys; d = json.load(sys.stdin); print(d["psnr_db"], d["ssim"])'; }
at_least() { "$AXON_PYTHON" -c "import sys; sys.exit(0 if $1 >= $2 + $3 else 1)"; }

"$dn" sr -q "$work/lr.nii.gz" "$work/sr.nii.gz" --factor 2 || fail "sr exited $?"
"$dn" sr -q "$work/lr.nii.gz" "$work/bs.nii.gz" --factor 2 --method bspline || fail "sr --method bspline exited $?"
"$dn" sr -q "$work/lr.nii.gz" "$work/sr_vs.nii.gz" --voxel-size 1 || fail "sr --voxel-size exited $?"
cmp -s <(gzip -dc "$work/sr.nii.gz") <(gzip -dc "$work/sr_vs.nii.gz") || fail "--voxel-size 1 differs from --factor 2"
"$AXON_PYTHON" - "$work" <<'PY' || fail "grid or data consistency"
import sys, nibabel as nib, numpy as np
w = sys.argv[1]
ref, sr, lr = (nib.load(f"{w}/{n}.nii.gz") for n in ("clean", "sr", "lr"))
assert sr.shape == ref.shape, sr.shape
assert np.allclose(sr.affine, ref.affine, atol=1e-4), (sr.affine, ref.affine)
back = sr.get_fdata().reshape(40, 2, 48, 2, 36, 2).mean(axis=(1, 3, 5))
err = np.abs(back - lr.get_fdata()).max()
print(f"output grid = the 1 mm grid; max |block mean - 2 mm voxel| = {err:.2e}")
assert err < 1e-2
PY
read -r p_sr s_sr <<<"$(quality "$work/sr.nii.gz")"
read -r p_bs s_bs <<<"$(quality "$work/bs.nii.gz")"
echo "2 mm -> 1 mm, PSNR / SSIM in the brain: B-spline $p_bs / $s_bs, SR $p_sr / $s_sr"
at_least "$p_sr" "$p_bs" 0.5 || fail "SR PSNR $p_sr not 0.5 dB above B-spline $p_bs"
at_least "$s_sr" "$s_bs" 0 || fail "SR SSIM $s_sr below B-spline $s_bs"
# Bad options.
expect_error 2 "$work/bad.nii.gz" "$dn" sr "$work/lr.nii.gz" "$work/bad.nii.gz" --factor 0
expect_error 2 "$work/bad.nii.gz" "$dn" sr "$work/lr.nii.gz" "$work/bad.nii.gz" --factor 100
expect_error 2 "$work/bad.nii.gz" "$dn" sr "$work/lr.nii.gz" "$work/bad.nii.gz" --voxel-size 0.7
expect_error 2 "$work/bad.nii.gz" "$dn" sr "$work/lr.nii.gz" "$work/bad.nii.gz"
finish
