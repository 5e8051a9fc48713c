#!/usr/bin/env bash
# `cmake --install` gives a relocatable tree: installed into one prefix, then
# moved, the executables still find their atlas manifests, default models,
# pipelines and the LibTorch plugin relative to themselves. Where the kernel
# allows an unprivileged user+mount namespace, the checks run with the source
# and build trees hidden under an empty tmpfs, so nothing but the moved prefix
# can be found (the debootstrap bench, bench/package_debootstrap.sh, proves the
# same for the Debian package on a bare Debian 12).
source "$(dirname "$0")/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
build=$(dirname "$AXON_BIN")
cmake --install "$build" --prefix "$work/first" >"$work/install.log" 2>&1 || { fail "cmake --install: $(tail -3 "$work/install.log")"; finish; }
mv "$work/first" "$work/moved"
prefix="$work/moved"
"$AXON_PYTHON" "$AXON_SOURCE/tests/segment/make_tiny_tumour_model.py" "$work/fx" >/dev/null || { fail "tumour fixture"; finish; }

cat >"$work/checks.sh" <<'SH'
# Runs inside the (possibly) isolated namespace: only $prefix and $work are used.
set -u
prefix=$1 work=$2 py=$3
bad=0
no() { echo "FAIL: $*"; bad=1; }
cd "$work"
"$prefix/bin/axon-image" atlases --json >atlases.json || no "axon-image atlases"
"$py" - "$prefix" atlases.json <<'PY' || no "atlas manifests are not the installed ones"
import json, sys
prefix, path = sys.argv[1:]
atlases = {a["name"]: a for a in json.load(open(path))["atlases"]}
assert {"aal", "harvard-oxford-cort"} <= set(atlases), sorted(atlases)
for a in atlases.values():
    assert a["manifest"].startswith(prefix + "/share/axon/atlases/"), a["manifest"]
# A label table given relative to its manifest resolves inside the prefix.
assert atlases["harvard-oxford-cort"]["labels"].startswith(prefix + "/share/axon/atlases/"), atlases["harvard-oxford-cort"]
PY
"$prefix/bin/axon-motion" score /usr/share/mricron/templates/ch2.nii.gz --json -q >score.json || no "axon-motion score with the default model"
grep -q "$prefix/share/axon/models/motion_ssim_default.json" score.json || no "axon-motion score did not use the installed model: $(head -c 400 score.json)"
fx=$work/fx/lps
"$prefix/bin/axon-segment" tumour --t1 $fx/t1.nii.gz --t1ce $fx/t1ce.nii.gz --t2 $fx/t2.nii.gz --flair $fx/flair.nii.gz \
  --out-labels tumour.nii.gz --tta none -q || no "axon-segment tumour with the shipped ensemble (the LibTorch plugin from lib/axon)"
grep -q "\"$prefix/share/axon/models/brats-tumour/card.json\"" tumour.json || no "tumour did not use the installed card"
# An installed pipeline file, validated against the installed tools' declarations.
mkdir -p bids/sub-01/anat && cp /usr/share/mricron/templates/ch2.nii.gz bids/sub-01/anat/sub-01_T1w.nii.gz
"$prefix/bin/axon-pipeline" graph "$prefix/share/axon/pipelines/t1-structural.yaml" --set bids=bids >graph.dot 2>graph.err ||
  no "axon-pipeline graph on an installed pipeline: $(cat graph.err)"
grep -q "tissue" graph.dot || no "the graph lacks the tissue step: $(head -c 300 graph.dot)"
exit $bad
SH
# Can this kernel/container give us a private mount namespace with tmpfs?
mkdir -p "$work/probe"
if unshare --user --map-root-user --mount sh -c 'mount -t tmpfs none "$1"' _ "$work/probe" 2>/dev/null; then
  unshare --user --map-root-user --mount bash -c '
    mount -t tmpfs none "$2" && mount -t tmpfs none "$1" || exit 9
    [ -z "$(ls -A "$1")" ] || exit 9
    bash "$3/checks.sh" "$4" "$3" "$5"' _ "$AXON_SOURCE" "$build" "$work" "$prefix" "$AXON_PYTHON"
  rc=$?
  [ $rc -eq 9 ] && fail "could not hide the source tree"
  [ $rc -ne 0 ] && [ $rc -ne 9 ] && fail "checks with the source and build trees hidden"
else
  echo "note: no unprivileged mount namespace here: the checks run with the source tree in place"
  bash "$work/checks.sh" "$prefix" "$work" "$AXON_PYTHON" || fail "checks from the moved prefix"
fi
finish
