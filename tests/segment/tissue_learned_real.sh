#!/usr/bin/env bash
# The learned tissue classifier on real scans it never saw, against manual
# labels: for folds 0 and 1, the first held-out IBSR scan (fold<k>.json) is
# run by that fold's network alone (a one-model card), and the classical
# method runs on the same scan with the same mask (the manual brain) in the
# same run. Against IBSR's manual labels, the learned grey matter must reach
# the issue's target (Dice >= 0.85) and beat the classical method's by 0.02
# (IBSR counts sulcal CSF as grey matter, which the classical method calls
# CSF); its white matter must stay >= 0.85 and within 0.01 of the classical
# method's (the issue's 0.90 is not met yet by either: out of fold 0.871 and
# 0.856, docs/axon-segment.md#tissue). bench/segment_tissue_real.sh runs all
# 10 scans and dipy. Skips (exit 77) when ../shared/data (AXON_SHARED_DATA) or the
# fold networks are absent.
source "$AXON_SOURCE/tests/cli/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
ibsr="${AXON_SHARED_DATA:-$AXON_SOURCE/../shared/data}/ibsr18"
models="$AXON_SOURCE/models/tissue-ibsr"
ls "$ibsr"/*_seg.nii.gz >/dev/null 2>&1 || { echo "SKIP: no IBSR data at $ibsr (set AXON_SHARED_DATA)"; exit 77; }
for k in 0 1; do
  [ -f "$models/fold$k.pt" ] || { echo "SKIP: tissue fold $k not trained yet"; exit 77; }
done
sg="$AXON_BIN/axon-segment"
for k in 0 1; do
  "$AXON_PYTHON" "$AXON_SOURCE/scripts/learn/fold_card.py" "$models/card.json" "$models/fold$k.pt" \
    "$work/card$k.json" || { fail "fold $k card"; continue; }
  s=$("$AXON_PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1]))['held_out_subjects'][0])" \
      "$models/fold$k.json") || { fail "fold $k held-out scans"; continue; }
  "$AXON_PYTHON" - "$ibsr/$s.nii.gz" "$ibsr/${s}_seg.nii.gz" "$work/$s" <<'PY' || { fail "$s: inputs"; continue; }
import sys, nibabel as nib, numpy as np
t1, seg, out = sys.argv[1:4]
img, labels = nib.load(t1), nib.load(seg)
nib.save(nib.Nifti1Image(np.asarray(img.dataobj, dtype=np.float32).reshape(img.shape[:3]), img.affine), f"{out}_t1.nii.gz")
lab = np.asarray(labels.dataobj).reshape(labels.shape[:3]).astype(np.uint8)
nib.save(nib.Nifti1Image(lab, img.affine), f"{out}_truth.nii.gz")
nib.save(nib.Nifti1Image((lab > 0).astype(np.uint8), img.affine), f"{out}_mask.nii.gz")
PY
  "$sg" tissue -q --method learned --model "$work/card$k.json" "$work/${s}_t1.nii.gz" --mask "$work/${s}_mask.nii.gz" \
    --out-labels "$work/$s.learned.nii.gz" || { fail "$s: learned exited $?"; continue; }
  "$sg" tissue -q "$work/${s}_t1.nii.gz" --mask "$work/${s}_mask.nii.gz" --out-labels "$work/$s.classical.nii.gz" ||
    { fail "$s: classical exited $?"; continue; }
  "$AXON_PYTHON" - "$work/$s" "$k" <<'PY' || fail "$s below the floors or the classical method"
import sys, nibabel as nib, numpy as np
base, k = sys.argv[1:3]
load = lambda p: np.asarray(nib.load(p).dataobj)
truth = load(f"{base}_truth.nii.gz")
dice = lambda a, b: 2 * (a & b).sum() / (a.sum() + b.sum())
scores = {m: [dice(load(f"{base}.{m}.nii.gz") == c, truth == c) for c in (2, 3)] for m in ("learned", "classical")}
(lg, lw), (cg, cw) = scores["learned"], scores["classical"]
print(f"fold {k} {base.split('/')[-1]}: learned GM {lg:.4f} (>= 0.85, >= classical + 0.02) WM {lw:.4f} "
      f"(>= 0.85, >= classical - 0.01); classical GM {cg:.4f} WM {cw:.4f}")
sys.exit(0 if lg >= 0.85 and lg >= cg + 0.02 and lw >= 0.85 and lw >= cw - 0.01 else 1)
PY
done
finish
