#!/usr/bin/env bash
# Determinism: --threads 1 and --threads 2 give byte-identical confounds,
# realigned series and tSNR map (docs/conventions.md).
source "$(dirname "$0")/../cli/lib.sh"
M="$AXON_BIN/axon-motion"
for n in 1 2; do
  "$M" realign -q --threads $n --bold "$NIPY/functional.nii.gz" --out-confounds "$work/c$n.tsv" \
    --out-bold "$work/mc$n.nii.gz" --out-tsnr "$work/t$n.nii.gz" || fail "realign --threads $n failed"
done
cmp -s "$work/c1.tsv" "$work/c2.tsv" || fail "confounds differ between 1 and 2 threads"
cmp -s "$work/mc1.nii.gz" "$work/mc2.nii.gz" || fail "realigned series differ between 1 and 2 threads"
cmp -s "$work/t1.nii.gz" "$work/t2.nii.gz" || fail "tSNR maps differ between 1 and 2 threads"
finish
