#!/usr/bin/env bash
# Brain extraction, axon (learned, the default, and classical) vs dipy's
# median_otsu, at full size (1 mm): ch2
# (with skull) against ch2bet > 0, and the variants of
# tests/segment/make_brain_variants.py (bias field, Rician noise 5 %,
# 15-degree rotation, 1x1x3 mm) with their transformed truth. Prints wall
# time and peak memory (/usr/bin/time), Dice and HD95 (axon-segment
# evaluate), and the ratios. median_otsu (median radius 4, 4 passes, the
# dipy defaults) runs on the plain pair only unless PEER_ALL=1 (118 s each).
# Usage: bench/segment_brain.sh [BUILD] [THREADS]
set -euo pipefail
build=${1:-build}; threads=${2:-2}
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
sg="$build/apps/axon-segment"
"$PY" "$here/../tests/segment/make_brain_variants.py" "$work"
cat > "$work/median_otsu.py" <<'PY'
import sys, nibabel as nib, numpy as np
from dipy.segment.mask import median_otsu
img = nib.load(sys.argv[1])
_, mask = median_otsu(img.get_fdata(dtype=np.float32), median_radius=4, numpass=4)
nib.save(nib.Nifti1Image(mask.astype(np.uint8), img.affine), sys.argv[2])
PY
timed() { /usr/bin/time -f "%e %M %U %S" -o "$work/t" "$@" >/dev/null 2>&1; cat "$work/t"; }
score() { "$sg" evaluate --json -q "$1" "$2" --labels 1 |
  "$PY" -c 'import json,sys; r=json.load(sys.stdin)["regions"][0]; print("%.4f %.2f" % (r["dice"], r["hd95_mm"]))'; }
uptime
printf "%-8s %-12s %8s %8s %8s %8s %8s\n" case tool wall_s cpu_s peak_MB Dice HD95_mm
for c in plain bias noise rotated aniso; do
  for m in learned classical; do
    a=$(timed "$sg" brain -q --method "$m" --threads "$threads" "$work/${c}_t1.nii.gz" --out-mask "$work/${c}_axon_$m.nii.gz")
    read -r aw am au as <<< "$a"
    printf "%-8s %-12s %8s %8.1f %8d %s\n" "$c" "axon $m" "$aw" "$(echo "$au + $as" | bc)" $((am / 1024)) "$(score "$work/${c}_axon_$m.nii.gz" "$work/${c}_truth.nii.gz")"
    if [ "$m" = learned ]; then lw=$aw; lu=$au; ls=$as; fi
  done
  aw=$lw; au=$lu; as=$ls
  if [ "$c" = plain ] || [ "${PEER_ALL:-0}" = 1 ]; then
    d=$(OPENBLAS_NUM_THREADS=1 timed "$PY" "$work/median_otsu.py" "$work/${c}_t1.nii.gz" "$work/${c}_dipy.nii.gz")
    read -r dw dm du ds <<< "$d"
    printf "%-8s %-12s %8s %8.1f %8d %s\n" "$c" median_otsu "$dw" "$(echo "$du + $ds" | bc)" $((dm / 1024)) "$(score "$work/${c}_dipy.nii.gz" "$work/${c}_truth.nii.gz")"
    "$PY" -c "print('         ratio median_otsu/axon learned: wall %.1fx, cpu %.1fx' % ($dw / $aw, ($du + $ds) / ($au + $as)))"
  fi
done
