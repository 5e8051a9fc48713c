#!/usr/bin/env bash
# --threads 1 and --threads 2 give byte-identical output images.
source "$(dirname "$0")/lib.sh"
img="$AXON_BIN/axon-image"
for interp in nearest linear bspline; do
  for n in 1 2; do
    "$img" resample -q --threads $n $T/ch2bet.nii.gz "$work/ch2-$interp-$n.nii.gz" \
      --like $T/AICHAmc.nii.gz --interp $interp || fail "resample $interp --threads $n"
  done
  cmp -s "$work/ch2-$interp-1.nii.gz" "$work/ch2-$interp-2.nii.gz" || fail "$interp: outputs differ between 1 and 2 threads"
done
for n in 1 2; do
  "$img" resample -q --threads $n $T/HarvardOxford-cort-maxprob-thr0-1mm.nii.gz "$work/ho-$n.nii.gz" --like $T/ch2.nii.gz
  "$img" tmean -q --threads $n $NIPY/functional.nii.gz "$work/mean-$n.nii.gz"
done
cmp -s "$work/ho-1.nii.gz" "$work/ho-2.nii.gz" || fail "label resampling differs between 1 and 2 threads"
cmp -s "$work/mean-1.nii.gz" "$work/mean-2.nii.gz" || fail "tmean differs between 1 and 2 threads"
finish
