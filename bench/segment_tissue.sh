#!/usr/bin/env bash
# Tissue classes, axon vs dipy's TissueClassifierHMRF (3 classes, beta 0.1,
# 10 iterations), on the same phantom with known labels
# (axon-testdata tissue-phantom, default 144x168x132 at 1 mm: 3.2 M voxels,
# bias amplitude 0.2, Rician noise 3 %). dipy gets the image masked to the
# brain (background 0, as one uses it on a skull-stripped T1); axon gets the
# mask. Prints wall time and peak memory (/usr/bin/time), Dice per class
# inside the mask (axon-segment evaluate) and the ratios.
# Usage: bench/segment_tissue.sh [BUILD] [DIMS] [THREADS]
set -euo pipefail
build=${1:-build}; dims=${2:-144x168x132}; threads=${3:-2}
PY=/usr/bin/python3
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
sg="$build/apps/axon-segment"
"$build/testdata/axon-testdata" tissue-phantom "$work/ph" --dims "$dims" --voxel 1 -q
cat > "$work/dipy_hmrf.py" <<'PY'
import sys, nibabel as nib, numpy as np
from dipy.segment.tissue import TissueClassifierHMRF
t1, mask, out = sys.argv[1:4]
img = nib.load(t1)
x = img.get_fdata() * (np.asarray(nib.load(mask).dataobj) > 0)
_, seg, _ = TissueClassifierHMRF(verbose=False).classify(x, 3, 0.1, max_iter=10)
nib.save(nib.Nifti1Image(seg.astype(np.uint8), img.affine), out)
PY
uptime
timed() { /usr/bin/time -f "%e %M %U %S" -o "$work/t" "$@" >/dev/null 2>&1; cat "$work/t"; }
a=$(OMP_NUM_THREADS=$threads timed "$sg" tissue -q --threads "$threads" "$work/ph/t1.nii.gz" --mask "$work/ph/mask.nii.gz" --out-labels "$work/axon.nii.gz")
d=$(OPENBLAS_NUM_THREADS=1 timed "$PY" "$work/dipy_hmrf.py" "$work/ph/t1.nii.gz" "$work/ph/mask.nii.gz" "$work/dipy.nii.gz")
# Dice inside the brain mask (dipy labels background too).
"$PY" - "$work" <<'PY' > "$work/masked_ok"
import sys, nibabel as nib, numpy as np
w = sys.argv[1]
m = np.asarray(nib.load(f"{w}/ph/mask.nii.gz").dataobj) > 0
for name in ("axon", "dipy"):
    img = nib.load(f"{w}/{name}.nii.gz")
    nib.save(nib.Nifti1Image((np.asarray(img.dataobj) * m).astype(np.uint8), img.affine), f"{w}/{name}_m.nii.gz")
PY
dice() { "$sg" evaluate --json -q "$1" "$work/ph/labels.nii.gz" --labels 1,2,3 |
  "$PY" -c 'import json,sys; print(" ".join("%.4f" % r["dice"] for r in json.load(sys.stdin)["regions"]))'; }
echo "phantom $dims, $threads threads"
read -r aw am au as <<< "$a"; read -r dw dm du ds <<< "$d"
printf "%-28s %8s %8s %10s   %s\n" tool wall_s cpu_s peak_MB "Dice CSF GM WM"
printf "%-28s %8s %8.1f %10d   %s\n" "axon-segment tissue" "$aw" "$(echo "$au + $as" | bc)" $((am / 1024)) "$(dice "$work/axon_m.nii.gz")"
printf "%-28s %8s %8.1f %10d   %s\n" "dipy TissueClassifierHMRF" "$dw" "$(echo "$du + $ds" | bc)" $((dm / 1024)) "$(dice "$work/dipy_m.nii.gz")"
"$PY" -c "print('ratio dipy/axon: wall %.1fx, cpu %.1fx, memory %.1fx' % ($dw / $aw, ($du + $ds) / ($au + $as), $dm / $am))"
