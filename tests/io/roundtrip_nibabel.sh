#!/usr/bin/env bash
# Every real file of DATA.md goes through `axon-image convert` (.nii.gz and
# .nii) and `axon-image info --json`; nibabel, an independent reader, then
# checks that codes, affines, units, TR, toffset, intent, descrip and every
# voxel are identical, and that info reports what nibabel sees.
set -euo pipefail
: "${AXON_BIN:?}" "${AXON_PYTHON:=/usr/bin/python3}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
T=/usr/share/mricron/templates
NIPY=/usr/lib/python3/dist-packages/nipy/testing
NIB=/usr/lib/python3/dist-packages/nibabel/tests/data
DIPY=/usr/lib/python3/dist-packages/dipy/data/files
files=(
  $T/ch2.nii.gz $T/ch2bet.nii.gz $T/ch2better.nii.gz $T/aal.nii.gz $T/brodmann.nii.gz
  $T/HarvardOxford-cort-maxprob-thr0-1mm.nii.gz $T/AICHAmc.nii.gz $T/JHU-WhiteMatter-labels-1mm.nii.gz
  $T/JHU-WhiteMatter-labels-2mm.nii.gz $T/jhu189.nii.gz $T/natbrainlab.nii.gz $T/inia19-t1-brain.nii.gz
  $T/inia19-NeuroMaps.nii.gz $NIPY/functional.nii.gz $NIPY/anatomical.nii.gz $NIB/example4d.nii.gz
  $NIB/example_nifti2.nii.gz $DIPY/small_64D.nii $DIPY/small_101D.nii.gz $DIPY/small_25.nii.gz
  $DIPY/S0_10slices.nii.gz $DIPY/aniso_vox.nii.gz $DIPY/test_piesno.nii.gz
)
pairs=()
i=0
for f in "${files[@]}"; do
  i=$((i + 1))
  for ext in nii.gz nii; do
    out="$work/rt$i-${ext//./}.$ext"
    "$AXON_BIN/axon-image" convert -q "$f" "$out"
    pairs+=("$f" "$out")
  done
  "$AXON_BIN/axon-image" info --json -q "$f" > "$work/info$i.json"
  pairs+=("$f" "$work/info$i.json")
done
"$AXON_PYTHON" - "${pairs[@]}" <<'PY'
import json, sys
import numpy as np, nibabel as nib

args = sys.argv[1:]
failures = 0
def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what)

for orig, out in zip(args[0::2], args[1::2]):
    a = nib.load(orig)
    ha = a.header
    if out.endswith(".json"):
        info = json.load(open(out))["images"][0]
        check(list(info["dimensions"]) == list(a.shape), f"{orig}: info dims {info['dimensions']} vs {a.shape}")
        check(np.allclose(np.array(info["affine"]), a.affine, atol=1e-5), f"{orig}: info affine differs from nibabel's")
        check(info["qform_code"] == int(ha["qform_code"]) and info["sform_code"] == int(ha["sform_code"]), f"{orig}: info codes")
        check(info["orientation"] == "".join(nib.aff2axcodes(a.affine)), f"{orig}: orientation {info['orientation']} vs {nib.aff2axcodes(a.affine)}")
        data = np.asanyarray(a.get_fdata(dtype=np.float64))
        check(abs(info["max"] - data.max()) <= 1e-6 * max(1, abs(data.max())), f"{orig}: info max {info['max']} vs {data.max()}")
        check(abs(info["min"] - data.min()) <= 1e-6 * max(1, abs(data.min())), f"{orig}: info min")
        continue
    b = nib.load(out)
    hb = b.header
    check(type(ha).__name__ == type(hb).__name__, f"{out}: header class {type(hb).__name__} vs {type(ha).__name__}")
    for field in ["dim", "pixdim", "datatype", "qform_code", "sform_code", "xyzt_units", "toffset",
                  "intent_code", "intent_p1", "intent_p2", "intent_p3", "intent_name", "descrip",
                  "quatern_b", "quatern_c", "quatern_d", "qoffset_x", "qoffset_y", "qoffset_z",
                  "srow_x", "srow_y", "srow_z", "slice_code", "slice_duration", "cal_min", "cal_max"]:
        va, vb = ha[field], hb[field]
        if field == "pixdim":  # pixdim beyond dim[0] is not meaningful
            n = int(ha["dim"][0]) + 1
            va, vb = va[:n], vb[:n]
        same = np.array_equal(np.asarray(va), np.asarray(vb)) or (
            np.asarray(va).dtype.kind == "f" and np.allclose(va, vb, equal_nan=True, rtol=0, atol=0))
        check(same, f"{out}: {field} {vb} vs {va}")
    check(np.array_equal(a.get_qform(), b.get_qform()), f"{out}: qform")
    check(np.array_equal(a.get_sform(), b.get_sform()), f"{out}: sform")
    da, db = np.asanyarray(a.get_fdata(dtype=np.float64)), np.asanyarray(b.get_fdata(dtype=np.float64))
    check(da.shape == db.shape and np.array_equal(da, db, equal_nan=True), f"{out}: voxel values differ")
print(f"{len(args) // 2} comparisons, {failures} failures")
sys.exit(1 if failures else 0)
PY
