#!/usr/bin/env bash
# Speed and peak memory of `axon-segment tumour` (the shipped 5-fold ensemble,
# mirror TTA over 3 axes) on one real BraTS case, against the peer: the
# independent Python reference (tests/segment/tumour_reference.py: numpy
# preprocessing and torch's sliding window, the nnU-Net way of running the
# same network on a CPU) on the same input and model, alternately, REPEAT
# times each. Prints wall time, CPU time and peak memory, the medians and the
# ratio, and the largest difference between the two tools' probabilities.
# Usage: bench/segment_tumour_speed.sh [BUILD] [THREADS] [REPEAT] [CASE]
set -euo pipefail
build=${1:-build}; threads=${2:-2}; repeat=${3:-2}; case=${4:-Brats18_CBICA_ABM_1}
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
d="${AXON_SHARED_DATA:-$root/../shared/data}/brats2018/$case"
[ -d "$d" ] || { echo "segment_tumour_speed: SKIP: no BraTS case at $d"; exit 0; }
card="$root/models/brats-tumour/card.json"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
in=("$d/${case}_t1.nii.gz" "$d/${case}_t1ce.nii.gz" "$d/${case}_t2.nii.gz" "$d/${case}_flair.nii.gz")
timed() { /usr/bin/time -f "%e %M %U %S" -o "$work/t" "$@" >/dev/null 2>&1; cat "$work/t"; }
uptime
printf "%-13s %8s %8s %8s\n" tool wall_s cpu_s peak_MB
: > "$work/axon.txt"; : > "$work/peer.txt"
for r in $(seq "$repeat"); do
  read -r w m u s <<< "$(timed "$build/apps/axon-segment" tumour --force -q --threads "$threads" --model "$card" \
    --t1 "${in[0]}" --t1ce "${in[1]}" --t2 "${in[2]}" --flair "${in[3]}" \
    --out-labels "$work/axon_labels.nii.gz" --out-probabilities "$work/axon_prob.nii.gz")"
  printf "%-13s %8.2f %8.2f %8d\n" axon "$w" "$(echo "$u + $s" | bc)" $((m / 1024)); echo "$w $m" >> "$work/axon.txt"
  read -r w m u s <<< "$(timed "$build/apps/axon-segment" tumour --force -q --threads "$threads" --model "$card" \
    --t1 "${in[0]}" --t1ce "${in[1]}" --t2 "${in[2]}" --flair "${in[3]}" --tta none --out-labels "$work/none.nii.gz")"
  printf "%-13s %8.2f %8.2f %8d\n" "axon (no TTA)" "$w" "$(echo "$u + $s" | bc)" $((m / 1024))
  read -r w m u s <<< "$(OMP_NUM_THREADS=$threads timed "$PY" "$root/tests/segment/tumour_reference.py" "${in[@]}" "$card" \
    "$work/peer_prob.nii.gz" --tta mirror --threads "$threads")"
  printf "%-13s %8.2f %8.2f %8d\n" reference "$w" "$(echo "$u + $s" | bc)" $((m / 1024)); echo "$w $m" >> "$work/peer.txt"
done
"$PY" - "$work" <<'PY'
import sys, numpy as np, nibabel as nib
w = sys.argv[1]
a = np.loadtxt(f"{w}/axon.txt", ndmin=2); p = np.loadtxt(f"{w}/peer.txt", ndmin=2)
print(f"median wall: axon {np.median(a[:, 0]):.1f} s, reference {np.median(p[:, 0]):.1f} s, "
      f"ratio reference/axon {np.median(p[:, 0]) / np.median(a[:, 0]):.2f}x; "
      f"peak memory axon {np.max(a[:, 1]) / 1024:.0f} MB, reference {np.max(p[:, 1]) / 1024:.0f} MB")
diff = np.abs(nib.load(f"{w}/axon_prob.nii.gz").get_fdata() - nib.load(f"{w}/peer_prob.nii.gz").get_fdata()).max()
print(f"largest |axon - reference| probability: {diff:.2e}")
PY
