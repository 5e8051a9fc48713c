#!/usr/bin/env bash
# SSIM (3D, Gaussian window sigma 1.5, population covariance) on a ch2-sized
# pair (181x217x181: clean ch2bet scaled to [0, 1000] vs its 9 % Rician noisy
# copy): axon-denoise compare vs skimage.metrics.structural_similarity on the
# same files, alternating, 3 repeats, medians. axon's time is the whole
# command (reads both .nii.gz, PSNR, SSIM, NRMSE); skimage's is given for the
# whole script and for the structural_similarity call alone.
# Usage: bench/ssim.sh [BUILD] [REPEATS]
set -euo pipefail
build=${1:-build}; repeats=${2:-3}
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dn="$build/apps/axon-denoise"
"$PY" "$here/../tests/denoise/make_noisy_ch2bet.py" "$work" --noise 0.09
cat > "$work/skimage_ssim.py" <<'PY'
import sys, time, json
import nibabel as nib, numpy as np
from skimage.metrics import structural_similarity
t, r = (nib.load(p).get_fdata(dtype=np.float64) for p in sys.argv[1:3])
t0 = time.perf_counter()
s = structural_similarity(r, t, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1000.0)
print(json.dumps({"ssim": s, "call_s": time.perf_counter() - t0}))
PY
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" > "$work/last.json" 2>/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
results="$work/results.tsv"
for r in $(seq "$repeats"); do
  for threads in 2 1; do
    t=$(seconds "$dn" compare --json -q --threads $threads "$work/noisy9.nii.gz" "$work/clean.nii.gz" --data-range 1000)
    echo -e "axon-denoise compare ($threads thread$([ $threads = 1 ] || echo s))\t$t\t$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["ssim"])' "$work/last.json")\t" >> "$results"
  done
  t=$(seconds "$PY" "$work/skimage_ssim.py" "$work/noisy9.nii.gz" "$work/clean.nii.gz")
  echo -e "skimage structural_similarity\t$t\t$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["ssim"], d["call_s"], sep="\t")' "$work/last.json")" >> "$results"
done
"$PY" - "$results" "$repeats" <<'PY'
import sys, statistics, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
wall, call, ssim = collections.defaultdict(list), collections.defaultdict(list), {}
for name, t, s, c in rows:
    wall[name].append(float(t)); ssim[name] = float(s)
    if c: call[name].append(float(c))
sk = "skimage structural_similarity"
sk_call = statistics.median(call[sk])
print(f"SSIM on 181x217x181 float volumes, median of {sys.argv[2]} alternating runs")
print(f"{'':34s} {'wall s':>7} {'SSIM':>10} {'skimage call / this wall':>25}")
for name in wall:
    t = statistics.median(wall[name])
    print(f"{name:34s} {t:7.2f} {ssim[name]:10.6f} {sk_call / t:24.2f}x")
print(f"{'  skimage: structural_similarity call alone':34s} {sk_call:7.2f}")
print(f"SSIM difference axon - skimage: {ssim['axon-denoise compare (2 threads)'] - ssim[sk]:.2e}")
PY
