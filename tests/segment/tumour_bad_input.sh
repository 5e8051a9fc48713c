#!/usr/bin/env bash
# axon-segment tumour refuses unusable input with exit 3 and one error line
# naming the file: a missing or unreadable modality, grids that differ (with
# --coregister off; auto co-registers them: tumour_coregister.sh), a 4D
# image, NaNs, an all-zero brain, a card that names three channels, a card
# with a missing field, a corrupt TorchScript file, a missing shipped card;
# bad option values exit 2. No output is left behind.
source "$AXON_SOURCE/tests/cli/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
sg="$AXON_BIN/axon-segment"
"$AXON_PYTHON" "$AXON_SOURCE/tests/segment/make_tiny_tumour_model.py" "$work/fx" >/dev/null ||
  { echo "FAIL: making the model and inputs"; exit 1; }
"$AXON_PYTHON" - "$work" <<'PY' || { echo "FAIL: making bad inputs"; exit 1; }
import json, sys
import nibabel as nib, numpy as np
work = sys.argv[1]
img = nib.load(f"{work}/fx/lps/t2.nii.gz")
data, aff = np.asarray(img.dataobj), img.affine
shifted = aff.copy(); shifted[0, 3] += 0.5
nib.save(nib.Nifti1Image(data, shifted, img.header), f"{work}/shifted_t2.nii.gz")
nib.save(nib.Nifti1Image(data[:, :, :-1], aff, img.header), f"{work}/smaller_t2.nii.gz")
nib.save(nib.Nifti1Image(np.stack([data, data], -1), aff), f"{work}/four_d_flair.nii.gz")
f = data.astype(np.float32); f[20, 20, 20] = np.nan
nib.save(nib.Nifti1Image(f, aff), f"{work}/nan_t1ce.nii.gz")
for name in ("t1", "t1ce", "t2", "flair"):
    nib.save(nib.Nifti1Image(np.zeros_like(data), aff, img.header), f"{work}/zero_{name}.nii.gz")
open(f"{work}/corrupt_t1.nii.gz", "wb").write(b"\x1f\x8b\x08\x00garbage, not a NIfTI image" * 20)
card = json.load(open(f"{work}/fx/card.json"))
del card["patch_size"]
json.dump(card, open(f"{work}/fx/card_no_patch.json", "w"))
PY
mkdir -p "$work/out"
labels="$work/out/labels.nii.gz" prob="$work/out/prob.nii.gz"
in="$work/fx/lps"
run() {  # run CODE NAME_IN_ERROR [overrides as --t1 X ...] -- extra args
  local code=$1 name=$2; shift 2
  local -A m=([t1]="$in/t1.nii.gz" [t1ce]="$in/t1ce.nii.gz" [t2]="$in/t2.nii.gz" [flair]="$in/flair.nii.gz"
              [model]="$work/fx/card.json")
  local extra=()
  while [ $# -gt 0 ]; do
    case $1 in --t1|--t1ce|--t2|--flair|--model) m[${1#--}]=$2; shift 2 ;; *) extra+=("$1"); shift ;; esac
  done
  expect_error "$code" "$labels" "$sg" tumour --t1 "${m[t1]}" --t1ce "${m[t1ce]}" --t2 "${m[t2]}" --flair "${m[flair]}" \
    --model "${m[model]}" --out-labels "$labels" --out-probabilities "$prob" "${extra[@]}"
  [ -e "$prob" ] && fail "$name: left $prob"
  [ -n "$name" ] && ! grep -q -- "$name" "$work/stderr" && fail "error does not name $name: $(cat "$work/stderr")"
  return 0
}
run 3 "missing_flair.nii.gz" --flair "$work/missing_flair.nii.gz"
run 3 "corrupt_t1.nii.gz" --t1 "$work/corrupt_t1.nii.gz"
run 3 "shifted_t2.nii.gz" --t2 "$work/shifted_t2.nii.gz" --coregister off
run 3 "smaller_t2.nii.gz" --t2 "$work/smaller_t2.nii.gz" --coregister off
run 3 "four_d_flair.nii.gz" --flair "$work/four_d_flair.nii.gz"
run 3 "nan_t1ce.nii.gz" --t1ce "$work/nan_t1ce.nii.gz"
run 3 "zero_t1.nii.gz" --t1 "$work/zero_t1.nii.gz" --t1ce "$work/zero_t1ce.nii.gz" --t2 "$work/zero_t2.nii.gz" \
  --flair "$work/zero_flair.nii.gz"
run 3 "card_three.json" --model "$work/fx/card_three.json"
run 3 "card_no_patch.json" --model "$work/fx/card_no_patch.json"
run 3 "corrupt.pt" --model "$work/fx/card_corrupt.json"
run 3 "missing_card.json" --model "$work/fx/missing_card.json"
run 2 "" --et-min-ml -1
run 2 "" --tta flips
run 2 "" --label-convention brats2015
run 2 "" --coregister always
# The shipped card missing: one clear line.
AXON_MODEL_DIR="$work/no_models" expect_error 3 "$labels" "$sg" tumour --t1 "$in/t1.nii.gz" --t1ce "$in/t1ce.nii.gz" \
  --t2 "$in/t2.nii.gz" --flair "$in/flair.nii.gz" --out-labels "$labels"
grep -q "brats-tumour/card.json.*--model" "$work/stderr" || fail "missing shipped card: $(cat "$work/stderr")"
[ -z "$(ls -A "$work/out")" ] || fail "outputs left behind: $(ls -A "$work/out")"
finish
