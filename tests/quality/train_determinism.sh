#!/usr/bin/env bash
# axon-motion train gives a byte-identical model for --threads 1 and 2 (the
# samples are simulated in parallel, each from its own random stream; XGBoost
# runs on one thread). A tiny set: ch2 on the 2 mm MNI grid, 10 samples (+ 2 evaluation),
# 5 boosting rounds.
source "$(dirname "$0")/../cli/lib.sh"
motion="$AXON_BIN/axon-motion"
t1="$work/ch2_2mm.nii.gz"
"$AXON_BIN/axon-image" resample -q $T/ch2.nii.gz "$t1" --like $T/JHU-WhiteMatter-labels-2mm.nii.gz ||
  { fail "resample ch2 to 2 mm"; finish; }
for n in 1 2; do
  "$motion" train -q --threads $n --seed 11 --images "$t1" --samples 10 --eval-samples 2 --rounds 5 \
    --out "$work/model-$n.json" >/dev/null || fail "train --threads $n exited $?"
done
[ -s "$work/model-1.json" ] && [ -s "$work/model-2.json" ] || { fail "train wrote no model"; finish; }
cmp -s "$work/model-1.json" "$work/model-2.json" || fail "the model differs between --threads 1 and 2"
# The model is usable: score loads it.
"$motion" score -q --no-header "$t1" --model "$work/model-2.json" >/dev/null || fail "score cannot use the trained model"
finish
