#!/usr/bin/env bash
# Wavelet denoising, axon vs scikit-image, on the same files: ch2bet scaled to
# [0, 1000] with Rician noise of sigma 3 % and 9 % of 1000 (seeded). Runs
# alternate, 3 repeats, medians of the wall time, CPU time (user + system) and
# peak memory of the whole command (read, denoise, write .nii.gz), and PSNR
# inside the brain (ch2bet > 0) against the clean image. Usage: bench/denoise_wavelet.sh [BUILD] [REPEATS]
set -euo pipefail
build=${1:-build}; repeats=${2:-3}
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dn="$build/apps/axon-denoise"
"$PY" "$here/../tests/denoise/make_noisy_ch2bet.py" "$work"
cat > "$work/skimage_wavelet.py" <<'PY'
# skimage.restoration.denoise_wavelet on a NIfTI volume (float64, as loaded).
import sys
import nibabel as nib, numpy as np
from skimage.restoration import denoise_wavelet
src, dst, wavelet, levels = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
img = nib.load(src)
x = img.get_fdata(dtype=np.float64)
out = denoise_wavelet(x, wavelet=wavelet, method="BayesShrink", mode="soft", rescale_sigma=True,
                      wavelet_levels=None if levels == "auto" else int(levels))
nib.save(nib.Nifti1Image(out.astype(np.float32), img.affine, img.header), dst)
PY
# measure CMD...: "wall<TAB>cpu<TAB>peak_kb" of one run (cpu = user + system)
measure() { /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>&1
  local t u s m; read -r t u s m < "$work/t"; echo -e "$t\t$(echo "$u + $s" | bc)\t$m"; }
echo "load: $(uptime)"
psnr() { "$dn" compare --json -q "$1" "$work/clean.nii.gz" --mask "$work/mask.nii.gz" --data-range 1000 |
  "$PY" -c 'import json, sys; print(json.load(sys.stdin)["psnr_db"])'; }

# name | command (IN OUT appended)
runners=(
  "axon sym4 L3 (2 threads)|$dn wavelet -q --force --threads 2"
  "axon sym4 L3 (1 thread)|$dn wavelet -q --force --threads 1"
  "skimage db1 auto levels (default)|$PY $work/skimage_wavelet.py _IN_ _OUT_ db1 auto"
  "skimage sym4 L3|$PY $work/skimage_wavelet.py _IN_ _OUT_ sym4 3"
)
results="$work/results.tsv"
for level in 3 9; do
  noisy="$work/noisy$level.nii.gz"
  echo -e "$level\tnoisy input\t0\t0\t0\t$(psnr "$noisy")" >> "$results"
  for r in $(seq "$repeats"); do
    i=0
    for entry in "${runners[@]}"; do
      name=${entry%%|*}; cmd=${entry#*|}; out="$work/out$i.nii.gz"
      if [[ $cmd == *_IN_* ]]; then cmd=${cmd/_IN_/$noisy}; cmd=${cmd/_OUT_/$out}; else cmd="$cmd $noisy $out"; fi
      t=$(measure $cmd)
      [ "$r" = 1 ] && p=$(psnr "$out") || p=""
      echo -e "$level\t$name\t$t\t$p" >> "$results"
      i=$((i + 1))
    done
  done
done
"$PY" - "$results" "$repeats" <<'PY'
import sys, statistics, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
times, cpu, rss, psnr = collections.defaultdict(list), collections.defaultdict(list), collections.defaultdict(list), {}
order = []
for level, name, t, c, m, p in rows:
    key = (level, name)
    if key not in order: order.append(key)
    if name != "noisy input":
        times[key].append(float(t)); cpu[key].append(float(c)); rss[key].append(float(m) / 1024)
    if p: psnr[key] = float(p)
print(f"wavelet denoising of ch2bet (181x217x181, [0,1000]), Rician noise; median of {sys.argv[2]} alternating runs")
print(f"{'noise':>5} {'method':36s} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} {'PSNR brain dB':>14} "
      f"{'wall skimage-default/this':>26} {'CPU ratio':>10}")
for level in ("3", "9"):
    ref_key = (level, "skimage db1 auto levels (default)")
    ref, ref_cpu = statistics.median(times[ref_key]), statistics.median(cpu[ref_key])
    for key in [k for k in order if k[0] == level]:
        if times[key]:
            t, c, m = statistics.median(times[key]), statistics.median(cpu[key]), statistics.median(rss[key])
            print(f"{level + ' %':>5} {key[1]:36s} {t:7.2f} {c:7.2f} {m:8.0f} {psnr[key]:14.2f} {ref / t:25.2f}x "
                  f"{ref_cpu / c:9.2f}x")
        else:
            print(f"{level + ' %':>5} {key[1]:36s} {'':7s} {'':7s} {'':8s} {psnr[key]:14.2f}")
PY
