#!/usr/bin/env bash
# axon-denoise nlm on a cropped ch2bet with Rician noise of known sigma (3 %
# and 9 % of 1000): PSNR and SSIM inside the brain against the clean image
# clearly improve, the estimated noise sigma is near the truth, the output
# is identical for 1 and 2 threads, a 4D series is denoised volume by
# volume, and bad options are refused.
source "$AXON_SOURCE/tests/cli/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
"$AXON_PYTHON" "$AXON_SOURCE/tests/denoise/make_noisy_ch2bet.py" "$work" --crop || { echo "FAIL: generator"; exit 1; }
dn="$AXON_BIN/axon-denoise"
quality() { "$dn" compare --json -q "$1" "$work/clean.nii.gz" --mask "$work/mask.nii.gz" --data-range 1000 |
  "$AXON_PYTHON" -c 'import json, sys; d = json.load(sys.stdin); print(d["psnr_db"], d["ssim"])'; }
# at_least A B GAIN: A >= B + GAIN
at_least() { "$AXON_PYTHON" -c "import sys; sys.exit(0 if $1 >= $2 + $3 else 1)"; }

for level in 3 9; do
  noisy="$work/noisy$level.nii.gz" out="$work/nlm$level.nii.gz"
  "$dn" nlm -q "$noisy" "$out" --noise-map "$work/map$level.nii.gz" --threads 2 || fail "nlm on noisy$level exited $?"
  read -r p0 s0 <<<"$(quality "$noisy")"
  read -r p1 s1 <<<"$(quality "$out")"
  echo "noise $level %: PSNR in the brain $p0 -> $p1 dB, SSIM $s0 -> $s1"
  # NLM removes most of the noise: at least a quarter of it in amplitude
  # at 3 % (+2.5 dB) and more at 9 %, where there is more to remove.
  gain=$([ "$level" = 3 ] && echo 2.5 || echo 6)
  at_least "$p1" "$p0" "$gain" || fail "noise $level %: PSNR $p0 -> $p1, less than +$gain dB"
  at_least "$s1" "$s0" 0.05 || fail "noise $level %: SSIM $s0 -> $s1, less than +0.05"
  # The estimated sigma (median of the local map) is near the truth.
  "$AXON_PYTHON" - "$work/nlm$level.json" "$work/map$level.nii.gz" "$level" <<'PY' || fail "noise $level %: sigma"
import json, sys
import nibabel as nib, numpy as np
d = json.load(open(sys.argv[1]))["Denoising"]
true = 10.0 * float(sys.argv[3])
m = np.asanyarray(nib.load(sys.argv[2]).dataobj)
print(f"  estimated sigma {d['noise_sigma']:.2f} (true {true:.0f}); map {m.min():.1f} to {m.max():.1f}")
assert d["noise_sigma_estimated"] and 0.9 * true <= d["noise_sigma"] <= 1.15 * true, d["noise_sigma"]
assert m.shape == (80, 96, 72) and np.median(m) > 0.8 * true
PY
done
# Deterministic for any thread count: identical bytes.
"$dn" nlm -q "$work/noisy9.nii.gz" "$work/t1.nii.gz" --threads 1 || fail "--threads 1"
cmp -s "$work/t1.nii.gz" "$work/nlm9.nii.gz" || fail "output differs between 1 and 2 threads"

# 4D: two volumes, each denoised as the 3D run would (given sigma: same map).
"$AXON_PYTHON" - "$work" <<'PY' || fail "4D input"
import sys, nibabel as nib, numpy as np
w = sys.argv[1]
a, b = (nib.load(f"{w}/noisy{l}.nii.gz") for l in (3, 9))
nib.save(nib.Nifti1Image(np.stack([a.get_fdata(), b.get_fdata()], -1).astype(np.float32), a.affine), f"{w}/series.nii.gz")
PY
"$dn" nlm -q "$work/series.nii.gz" "$work/series_nlm.nii.gz" --sigma 60 || fail "nlm on a 4D series exited $?"
"$dn" nlm -q "$work/noisy9.nii.gz" "$work/v1.nii.gz" --sigma 60 || fail "nlm --sigma 60"
"$AXON_PYTHON" - "$work" <<'PY' || fail "4D volume 1 differs from the 3D run"
import sys, nibabel as nib, numpy as np
w = sys.argv[1]
s = nib.load(f"{w}/series_nlm.nii.gz").get_fdata()
assert s.shape == (80, 96, 72, 2), s.shape
assert np.array_equal(s[..., 1], nib.load(f"{w}/v1.nii.gz").get_fdata())
PY

# Bad options and inputs.
expect_error 2 "$work/bad.nii.gz" "$dn" nlm "$work/noisy3.nii.gz" "$work/bad.nii.gz" --sigma -3
expect_error 2 "$work/bad.nii.gz" "$dn" nlm "$work/noisy3.nii.gz" "$work/bad.nii.gz" --patch-radius 0
expect_error 3 "$work/bad.nii.gz" "$dn" nlm "$work/noisy3.nii.gz" "$work/bad.nii.gz" --mask "$T/ch2bet.nii.gz"
finish
