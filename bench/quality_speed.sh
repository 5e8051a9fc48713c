#!/usr/bin/env bash
# axon-motion simulate and score on one 1 mm T1 (ch2, 181x217x181), wall time,
# CPU time (user + system) and peak memory (/usr/bin/time -v), beside
# scikit-image's 3D SSIM alone on
# the same clean/corrupted pair (the issue's "for scale": simulate also
# computes the 3D and per-slice SSIM). Alternating runs, medians.
# Targets (issue 8): score < 5 s including the tissue masks (axon-segment's
# brain extraction and tissue classes); simulate < 5 s.
# Usage: bench/quality_speed.sh [BUILD] [REPEATS]
set -euo pipefail
build=${1:-build}; repeats=${2:-3}
PY=/usr/bin/python3
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
am="$build/apps/axon-motion"
ch2=/usr/share/mricron/templates/ch2.nii.gz
cat > "$work/skimage_ssim.py" <<'PY'
import sys, time
import nibabel as nib, numpy as np
from skimage.metrics import structural_similarity
r, t = (nib.load(p).get_fdata(dtype=np.float64) for p in sys.argv[1:3])
t0 = time.perf_counter()
s = structural_similarity(r, t, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                          data_range=float(r.max() - r.min()))
print(f"{time.perf_counter() - t0:.3f}\t{s:.6f}")
PY
measure() {  # label, command...: appends "label  seconds  peakMB  cpu-seconds"
  local label=$1; shift
  /usr/bin/time -v "$@" >"$work/out" 2>"$work/time" || { cat "$work/time"; exit 1; }
  local wall mem cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time")
  mem=$(awk -F': ' '/Maximum resident/{printf "%.0f", $2/1024}' "$work/time")
  cpu=$(awk -F': ' '/(User|System) time/{s+=$2} END{printf "%.2f", s}' "$work/time")
  echo -e "$label\t$wall\t$mem\t$cpu" >>"$work/results"
}
echo "machine: $(nproc) cores, load: $(uptime | sed 's/.*load average: //')"
for r in $(seq "$repeats"); do
  for sev in low medium high; do
    measure "simulate --severity $sev (2 threads)" "$am" simulate -q --force --threads 2 --severity $sev "$ch2" "$work/sim_$sev.nii.gz"
  done
  measure "simulate --severity high (1 thread)" "$am" simulate -q --force --threads 1 --severity high "$ch2" "$work/sim1.nii.gz"
  "$PY" "$work/skimage_ssim.py" "$ch2" "$work/sim_high.nii.gz" | awk -F'\t' '{print "skimage structural_similarity call (3D)\t" $1 "\tn/a\tn/a"}' >>"$work/results"
  measure "score (2 threads)" "$am" score -q --threads 2 "$work/sim_high.nii.gz"
  measure "score (1 thread)" "$am" score -q --threads 1 "$work/sim_high.nii.gz"
done
"$PY" - "$work/results" <<'PY'
import sys, statistics as st
rows = {}
for line in open(sys.argv[1]):
    label, wall, mem, cpu = line.rstrip("\n").split("\t")
    rows.setdefault(label, []).append((float(wall), mem, cpu))
print(f"{'what':45s} {'median s':>9s} {'CPU s':>7s} {'peak MB':>8s}  runs")
for label, v in rows.items():
    cpu = "n/a" if v[0][2] == "n/a" else f"{st.median(float(c) for _, _, c in v):.2f}"
    print(f"{label:45s} {st.median(w for w, _, _ in v):9.2f} {cpu:>7s} {v[-1][1]:>8s}  {len(v)}")
sk = st.median(w for w, _, _ in rows["skimage structural_similarity call (3D)"])
sim = st.median(w for w, _, _ in rows["simulate --severity high (2 threads)"])
print(f"simulate (whole command incl. its 3D + per-slice SSIM) / skimage SSIM call alone: {sim / sk:.2f}")
PY
echo "load at the end: $(uptime | sed 's/.*load average: //')"
