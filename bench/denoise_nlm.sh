#!/usr/bin/env bash
# Non-local means, axon vs dipy, on the same files: ch2bet scaled to
# [0, 1000] with Rician noise of sigma 3 % and 9 % of 1000 (seeded). dipy's
# nlmeans (classic blockwise, patch radius 1, block radius 5, rician=True)
# runs with its own estimate_sigma and with the true sigma; DATA.md says
# either can be the better one, so the ratios are taken against the better
# PSNR. Runs alternate; wall time (read, denoise, write) and peak memory
# (max RSS) are medians over REPEATS. PSNR and SSIM inside the brain
# (ch2bet > 0) against the clean image.
# Usage: bench/denoise_nlm.sh [BUILD] [REPEATS] [THREADS]
set -euo pipefail
build=${1:-build}; repeats=${2:-1}; threads=${3:-2}
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dn="$build/apps/axon-denoise"
"$PY" "$here/../tests/denoise/make_noisy_ch2bet.py" "$work"
cat > "$work/dipy_nlm.py" <<'PY'
# dipy.denoise.nlmeans.nlmeans on a NIfTI volume; sigma "auto" = estimate_sigma(N=0).
import sys
import nibabel as nib, numpy as np
from dipy.denoise.nlmeans import nlmeans
from dipy.denoise.noise_estimate import estimate_sigma
src, dst, sigma, threads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
img = nib.load(src)
x = img.get_fdata(dtype=np.float64)
s = float(estimate_sigma(x, N=0)[0]) if sigma == "auto" else float(sigma)
out = nlmeans(x, s, patch_radius=1, block_radius=5, rician=True, num_threads=threads)
nib.save(nib.Nifti1Image(out.astype(np.float32), img.affine, img.header), dst)
PY
# run NAME CMD...: one timed run, appends "level name wall cpu maxrss_kb" to times
run() { local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>&1
  read -r t u s m < "$work/t"
  echo -e "$level\t$name\t$t\t$(echo "$u + $s" | bc)\t$m" >> "$work/times.tsv"; }
echo "load: $(uptime)"
quality() { "$dn" compare --json -q "$1" "$work/clean.nii.gz" --mask "$work/mask.nii.gz" --data-range 1000 |
  "$PY" -c 'import json, sys; d = json.load(sys.stdin); print(d["psnr_db"], d["ssim"], sep="\t")'; }
for level in 3 9; do
  noisy="$work/noisy$level.nii.gz" sigma=$((10 * level))
  echo -e "$level\tnoisy input\t$(quality "$noisy")" >> "$work/quality.tsv"
  for r in $(seq "$repeats"); do
    run "axon nlm ($threads threads)" "$dn" nlm -q --force --threads "$threads" "$noisy" "$work/axon.nii.gz"
    run "axon nlm (1 thread)" "$dn" nlm -q --force --threads 1 "$noisy" "$work/axon1.nii.gz"
    run "dipy nlmeans, estimate_sigma ($threads threads)" "$PY" "$work/dipy_nlm.py" "$noisy" "$work/dipy_auto.nii.gz" auto "$threads"
    run "axon nlm, true sigma ($threads threads)" "$dn" nlm -q --force --threads "$threads" --sigma "$sigma" "$noisy" "$work/axon_true.nii.gz"
    run "dipy nlmeans, true sigma ($threads threads)" "$PY" "$work/dipy_nlm.py" "$noisy" "$work/dipy_true.nii.gz" "$sigma" "$threads"
  done
  echo -e "$level\taxon nlm ($threads threads)\t$(quality "$work/axon.nii.gz")" >> "$work/quality.tsv"
  echo -e "$level\taxon nlm (1 thread)\t$(quality "$work/axon1.nii.gz")" >> "$work/quality.tsv"
  echo -e "$level\taxon nlm, true sigma ($threads threads)\t$(quality "$work/axon_true.nii.gz")" >> "$work/quality.tsv"
  echo -e "$level\tdipy nlmeans, estimate_sigma ($threads threads)\t$(quality "$work/dipy_auto.nii.gz")" >> "$work/quality.tsv"
  echo -e "$level\tdipy nlmeans, true sigma ($threads threads)\t$(quality "$work/dipy_true.nii.gz")" >> "$work/quality.tsv"
done
"$PY" - "$work/times.tsv" "$work/quality.tsv" "$repeats" "$threads" <<'PY'
import sys, statistics, collections
times, cpu, rss, quality, order = (collections.defaultdict(list), collections.defaultdict(list),
                                   collections.defaultdict(list), {}, [])
for line in open(sys.argv[1]):
    level, name, t, c, m = line.rstrip("\n").split("\t")
    times[(level, name)].append(float(t)); cpu[(level, name)].append(float(c)); rss[(level, name)].append(float(m))
for line in open(sys.argv[2]):
    level, name, p, s = line.rstrip("\n").split("\t")
    quality[(level, name)] = (float(p), float(s)); order.append((level, name))
th = sys.argv[4]
print(f"NLM of ch2bet (181x217x181, [0,1000]), Rician noise; median of {sys.argv[3]} alternating run(s)")
print(f"{'noise':>5} {'method':44s} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} {'PSNR dB':>8} {'SSIM':>7} "
      f"{'dipy-best wall / this':>22} {'CPU ratio':>10}")
for level in ("3", "9"):
    dipy = [k for k in order if k[0] == level and k[1].startswith("dipy")]
    best = max(dipy, key=lambda k: quality[k][0])
    ref, ref_cpu = statistics.median(times[best]), statistics.median(cpu[best])
    for key in [k for k in order if k[0] == level]:
        p, s = quality[key]
        if times[key]:
            t, c, m = statistics.median(times[key]), statistics.median(cpu[key]), statistics.median(rss[key]) / 1024
            print(f"{level + ' %':>5} {key[1]:44s} {t:7.1f} {c:7.1f} {m:8.0f} {p:8.2f} {s:7.4f} {ref / t:21.1f}x "
                  f"{ref_cpu / c:9.1f}x")
        else:
            print(f"{level + ' %':>5} {key[1]:44s} {'':7s} {'':7s} {'':8s} {p:8.2f} {s:7.4f}")
    ax = quality[(level, f"axon nlm ({th} threads)")][0]
    print(f"      axon (estimated sigma) - best dipy ({best[1]}): {ax - quality[best][0]:+.2f} dB PSNR")
PY
