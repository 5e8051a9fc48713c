#!/bin/sh
# What the container builds and the debootstrap bench run after installing:
# axon-image info, axon-segment brain and the t1-structural pipeline, on
# Colin27 from mricron-data, with nothing but the installed package.
#   sh smoke-test.sh WORK_DIR
set -eu
work=$1
t1=/usr/share/mricron/templates/ch2.nii.gz
mkdir -p "$work/bids/sub-01/anat"
cd "$work"
axon-image info "$t1"
axon-segment brain "$t1" --out-mask brain.nii.gz
cp "$t1" bids/sub-01/anat/sub-01_T1w.nii.gz
axon-pipeline run /usr/share/axon/pipelines/t1-structural.yaml --set bids=bids --out derivatives
test -f derivatives/report/index.html
echo "smoke test passed: $(ls derivatives/sub-01/anat | wc -l) outputs in derivatives/sub-01/anat"
