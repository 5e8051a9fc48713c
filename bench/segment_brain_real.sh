#!/usr/bin/env bash
# Brain extraction on real heads: the 30 IXI T1s of ../shared/data/ixi (with
# skull, neck and face, 2 mm) against their DLMUSE silver masks (label > 0:
# intracranial, CSF around the brain included; label > 1: brain tissue and
# ventricles only). In the same run on the same scans:
#   learned    the shipped recipe, OUT OF FOLD: each head is run by the one
#              fold network that never saw it (a one-model card per fold,
#              from models/brain-ixi/card.json and fold<k>.json), mirror TTA,
#              with --out-probability; the threshold on the probability is
#              chosen by NESTED cross-validation (for the heads of fold k, the
#              threshold that is best on the other four folds' heads), and
#              the mask is remade from the probability as the tool makes it
#              (largest 6-connected component, holes filled; checked equal to
#              the tool's own mask on the first head);
#   no-csf     the same with --no-csf, scored against label > 1;
#   classical  --method classical (no model, no template);
#   median_otsu dipy's (median radius 4, 4 passes; dipy's defaults).
# Transfer rows (not trained on, not tuned to): the skull-stripped IBSR T1s
# of ../shared/data/ibsr18, where the mask should be the non-zero head.
# Prints per-subject rows, means, worst, wall times, the ratios, and with
# --update-card writes the out-of-fold figures into the card.
# Usage: bench/segment_brain_real.sh [BUILD] [THREADS] [--update-card]
set -euo pipefail
build=${1:-build}; threads=${2:-2}; update=${3:-}
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
shared="${AXON_SHARED_DATA:-$root/../shared/data}"
[ -d "$shared/ixi/t1" ] || { echo "segment_brain_real: SKIP: no IXI data at $shared/ixi"; exit 0; }
models="$root/models/brain-ixi"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
sg="$build/apps/axon-segment"
cat > "$work/median_otsu.py" <<'PY'
import sys, nibabel as nib, numpy as np
from dipy.segment.mask import median_otsu
img = nib.load(sys.argv[1])
_, mask = median_otsu(img.get_fdata(dtype=np.float32), median_radius=4, numpass=4)
nib.save(nib.Nifti1Image(mask.astype(np.uint8), img.affine), sys.argv[2])
PY
timed() { /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }; cat "$work/t"; }
uptime >&2
: > "$work/rows.tsv"
for k in 0 1 2 3 4; do
  "$PY" "$root/scripts/learn/fold_card.py" "$models/card.json" "$models/fold$k.pt" "$work/card$k.json"
  for s in $("$PY" -c "import json,sys; print(' '.join(json.load(open(sys.argv[1]))['held_out_subjects']))" "$models/fold$k.json"); do
    t1="$shared/ixi/t1/${s}_T1.nii.gz"
    a=$(timed "$sg" brain -q --threads "$threads" --model "$work/card$k.json" --threshold 0.5 "$t1" \
          --out-mask "$work/$s.learned.nii.gz" --out-probability "$work/$s.learned.p.nii.gz")
    n=$(timed "$sg" brain -q --threads "$threads" --model "$work/card$k.json" --threshold 0.5 --no-csf "$t1" \
          --out-mask "$work/$s.nocsf.nii.gz" --out-probability "$work/$s.nocsf.p.nii.gz")
    c=$(timed "$sg" brain -q --threads "$threads" --method classical "$t1" --out-mask "$work/$s.classical.nii.gz")
    d=$(OPENBLAS_NUM_THREADS=1 timed "$PY" "$work/median_otsu.py" "$t1" "$work/$s.median_otsu.nii.gz")
    printf "ixi\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$s" "$k" "$shared/ixi/dlmuse/${s}_T1_DLMUSE.nii.gz" "${a% *}" "${n% *}" "${c% *}" "${d% *}" >> "$work/rows.tsv"
    echo "fold $k $s: learned $a, classical $c, median_otsu $d (wall s, peak KB)" >&2
  done
done
if [ -d "$shared/ibsr18" ]; then
  for f in "$shared"/ibsr18/IBSR_??.nii.gz; do
    s=$(basename "$f" .nii.gz)
    a=$(timed "$sg" brain -q --threads "$threads" "$f" --out-mask "$work/$s.learned.nii.gz")
    c=$(timed "$sg" brain -q --threads "$threads" --method classical "$f" --out-mask "$work/$s.classical.nii.gz")
    printf "ibsr\t%s\t-\t%s\t%s\t-\t%s\t-\n" "$s" "$f" "${a% *}" "${c% *}" >> "$work/rows.tsv"
  done
fi
args=(--rows "$work/rows.tsv" --work "$work")
[ "$update" = "--update-card" ] && args+=(--card "$models/card.json")
"$PY" "$here/brain_real_table.py" "${args[@]}"
