#!/usr/bin/env bash
# axon-segment tumour outputs: the input's header kept exactly (grid, both
# transforms and their codes, units), uint8 labels / float32 4D
# probabilities / float32 uncertainty, byte-identical for --threads 1 and 2,
# the same anatomy whatever the voxel axes (LPS vs RAS input), the sidecar
# (volumes, card provenance, timings, options), --json, --qc,
# --label-convention brats2023 and each post-processing step.
source "$AXON_SOURCE/tests/cli/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
sg="$AXON_BIN/axon-segment"
"$AXON_PYTHON" "$AXON_SOURCE/tests/segment/make_tiny_tumour_model.py" "$work/fx" >/dev/null ||
  { echo "FAIL: making the model and inputs"; exit 1; }
card="$work/fx/card.json"
seg() {  # seg VARIANT OUT_PREFIX [extra args]
  local in="$work/fx/$1" out=$2; shift 2
  "$sg" tumour --t1 "$in/t1.nii.gz" --t1ce "$in/t1ce.nii.gz" --t2 "$in/t2.nii.gz" --flair "$in/flair.nii.gz" \
    --model "$card" --out-labels "${out}_labels.nii.gz" "$@"
}
seg lps "$work/a" --threads 1 -q --out-probabilities "$work/a_prob.nii.gz" --out-uncertainty "$work/a_unc.nii.gz" \
  --qc "$work/a.png" --json >"$work/a.json" || fail "run with --threads 1 failed"
seg lps "$work/b" --threads 2 -q --out-probabilities "$work/b_prob.nii.gz" --out-uncertainty "$work/b_unc.nii.gz" ||
  fail "run with --threads 2 failed"
for f in labels prob unc; do
  cmp -s "$work/a_$f.nii.gz" "$work/b_$f.nii.gz" || fail "$f differs between --threads 1 and 2"
done
head -c 8 "$work/a.png" | od -An -c | grep -q "P   N   G" || fail "--qc did not write a PNG"
seg lps "$work/c" -q --label-convention brats2023 || fail "brats2023 run failed"
seg lps "$work/off" -q --postprocess off || fail "--postprocess off failed"
seg lps "$work/et" -q --et-min-ml 1000000 || fail "--et-min-ml run failed"
seg lps "$work/specks" -q --min-component-ml 1000000 || fail "--min-component-ml run failed"
seg ras "$work/ras" -q --out-probabilities "$work/ras_prob.nii.gz" || fail "RAS run failed"

"$AXON_PYTHON" - "$work" "$card" <<'PY' || fail "output checks"
import hashlib, json, sys
import nibabel as nib, numpy as np
work, card = sys.argv[1:]
errors = []
check = lambda ok, what: ok or errors.append(what)
t1 = nib.load(f"{work}/fx/lps/t1.nii.gz")
h0 = t1.header
for name, dtype, vols in [("a_labels", np.uint8, 1), ("a_prob", np.float32, 3), ("a_unc", np.float32, 1)]:
    img = nib.load(f"{work}/{name}.nii.gz")
    h = img.header
    check(img.get_data_dtype() == dtype, f"{name}: dtype {img.get_data_dtype()}")
    check(img.shape[:3] == t1.shape and (vols == 1 and img.ndim == 3 or img.shape[3:] == (vols,)), f"{name}: shape {img.shape}")
    check(np.array_equal(h.get_sform(), h0.get_sform()) and np.array_equal(h.get_qform(), h0.get_qform()), f"{name}: affine")
    check(int(h["sform_code"]) == int(h0["sform_code"]) and int(h["qform_code"]) == int(h0["qform_code"]), f"{name}: codes")
    check(np.array_equal(h["pixdim"][1:4], h0["pixdim"][1:4]), f"{name}: pixdim {h['pixdim'][1:4]}")
    check(h.get_xyzt_units() == h0.get_xyzt_units(), f"{name}: units")
load = lambda n: np.asarray(nib.load(f"{work}/{n}.nii.gz").dataobj)
a, c, off = load("a_labels"), load("c_labels"), load("off_labels")
check(set(np.unique(a)) <= {0, 1, 2, 4} and 4 in a, f"brats2018 labels {np.unique(a)}")
expected = a.copy(); expected[a == 4] = 3
check(np.array_equal(c, expected), "brats2023 labels are not brats2018 with 4 -> 3")
et = load("et_labels")
check(4 not in et and np.array_equal(et > 0, a > 0) and np.array_equal(et[a == 4], np.ones((a == 4).sum())),
      "--et-min-ml 1e6 did not turn every ET voxel into 1")
check(not load("specks_labels").any(), "--min-component-ml 1e6 left tumour voxels")
check((off > 0).sum() >= (a > 0).sum(), "post-processing added tumour voxels")
# LPS and RAS inputs are the same anatomy: the same result, flipped.
ras, ras_p = load("ras_labels"), load("ras_prob")
check(np.array_equal(ras[::-1, ::-1], a), "RAS labels are not the LPS labels flipped")
check(np.array_equal(ras_p[::-1, ::-1], load("a_prob")), "RAS probabilities are not the LPS ones flipped")
# Sidecar and --json.
side = json.load(open(f"{work}/a_labels.json"))
ts = side.get("TumourSegmentation", {})
voxel_ml = float(np.prod(h0.get_zooms()[:3])) / 1000
vol = ts.get("volumes_ml", {})
for region, labels in [("WT", [1, 2, 4]), ("TC", [1, 4]), ("ET", [4])]:
    check(abs(vol.get(region, -1) - np.isin(a, labels).sum() * voxel_ml) < 1e-9, f"sidecar volume {region}: {vol.get(region)}")
for lab in (1, 2, 4):
    check(abs(vol.get("labels", {}).get(str(lab), -1) - (a == lab).sum() * voxel_ml) < 1e-9, f"sidecar volume of label {lab}")
model = ts.get("model", {})
check(model.get("card_sha256") == hashlib.sha256(open(card, "rb").read()).hexdigest(), "sidecar card sha256")
check(model.get("name") == "tiny-sigmoid" and model.get("licence") == "CC0-1.0" and "training" in model
      and "cross_validation" in model and len(model.get("models", [])) == 2, f"sidecar model: {model}")
for stage in ("read", "preprocess", "inference", "resample_back", "labels", "write", "total"):
    check(stage in ts.get("timing_s", {}), f"sidecar timing of {stage}")
check(ts.get("options", {}).get("tta") == "mirror", "sidecar options")
check("postprocessing" in ts and "normalization" in ts and "crop" in ts, "sidecar details")
for n in ("a_prob", "a_unc"):
    check("TumourSegmentation" in json.load(open(f"{work}/{n}.json")), f"{n} sidecar")
summary = json.load(open(f"{work}/a.json"))
check(summary.get("volumes_ml") == vol, "--json volumes differ from the sidecar's")
if errors:
    print("\n".join(errors))
    sys.exit(1)
print(f"WT {vol['WT']:.3f} mL, TC {vol['TC']:.3f} mL, ET {vol['ET']:.3f} mL")
PY
"$sg" tumour --help >"$work/help.txt" && grep -q "Gaussian" "$work/help.txt" || fail "--help does not describe the method"
finish
