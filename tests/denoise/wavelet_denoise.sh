#!/usr/bin/env bash
# axon-denoise wavelet on ch2bet with Rician noise of known sigma (3 % and
# 9 % of 1000): PSNR inside the brain against the clean image clearly
# improves, the estimated sigma is near the truth, the sidecar records it,
# VisuShrink ranks below BayesShrink, and the output is identical for 1 and
# 2 threads.
source "$AXON_SOURCE/tests/cli/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
"$AXON_PYTHON" "$AXON_SOURCE/tests/denoise/make_noisy_ch2bet.py" "$work" --crop || { echo "FAIL: generator"; exit 1; }
dn="$AXON_BIN/axon-denoise"
psnr() { "$dn" compare --json -q "$1" "$work/clean.nii.gz" --mask "$work/mask.nii.gz" --data-range 1000 |
  "$AXON_PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["psnr_db"])'; }
# at_least A B GAIN: A >= B + GAIN
at_least() { "$AXON_PYTHON" -c "import sys; sys.exit(0 if $1 >= $2 + $3 else 1)"; }

for level in 3 9; do
  noisy="$work/noisy$level.nii.gz" out="$work/dn$level.nii.gz"
  "$dn" wavelet -q "$noisy" "$out" --threads 2 || fail "wavelet on noisy$level exited $?"
  before=$(psnr "$noisy"); after=$(psnr "$out")
  gain=$([ "$level" = 3 ] && echo 2 || echo 5)
  echo "noise $level %: PSNR in the brain $before -> $after dB (BayesShrink, sym4, 3 levels)"
  at_least "$after" "$before" "$gain" || fail "noise $level %: PSNR $before -> $after, less than +$gain dB"
  # The sidecar records the estimated sigma, near the true 10 * level
  # (somewhat below: the background holds Rayleigh, not Gaussian, noise).
  "$AXON_PYTHON" - "$work/dn$level.json" "$level" <<'PY' || fail "noise $level %: sidecar sigma"
import json, sys
d = json.load(open(sys.argv[1]))["Denoising"]
true = 10.0 * float(sys.argv[2])
print(f"  estimated sigma {d['noise_sigma']:.2f} (true {true:.0f})")
assert d["noise_sigma_estimated"] and 0.7 * true <= d["noise_sigma"] <= 1.1 * true, d["noise_sigma"]
assert len(d["thresholds_per_level"]) == 3 and len(d["thresholds_per_level"][0]) == 7
PY
  # VisuShrink's universal threshold removes detail with the noise: even
  # with the true sigma it stays below BayesShrink (Chang et al. 2000), and
  # helps only at the higher noise level.
  "$dn" wavelet -q "$noisy" "$work/visu$level.nii.gz" --threshold visu --mode hard --wavelet db4 --sigma $((10 * level)) ||
    fail "visu exited $?"
  visu=$(psnr "$work/visu$level.nii.gz")
  echo "  VisuShrink, hard, db4, true sigma: $visu dB"
  at_least "$after" "$visu" 0.5 || fail "noise $level %: VisuShrink $visu dB not below BayesShrink $after dB"
  [ "$level" = 9 ] && { at_least "$visu" "$before" 2 || fail "noise 9 %: VisuShrink PSNR $before -> $visu"; }
done
# Deterministic for any thread count: identical bytes.
"$dn" wavelet -q "$work/noisy9.nii.gz" "$work/t1.nii.gz" --threads 1 || fail "--threads 1"
cmp -s "$work/t1.nii.gz" "$work/dn9.nii.gz" || fail "output differs between 1 and 2 threads"
finish
