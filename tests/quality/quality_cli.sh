#!/usr/bin/env bash
# axon-motion score / simulate through the real executable (issue 8), on ch2
# resampled to the 2 mm MNI grid of JHU-WhiteMatter-labels-2mm (91x109x91):
# the documented TSV/JSON columns, zero motion returns the input, and bad
# input (4D, empty mask, unreadable or incompatible model) exits 3 with one
# error line naming the file and no output.
source "$(dirname "$0")/../cli/lib.sh"
motion="$AXON_BIN/axon-motion"
py=/usr/bin/python3
t1="$work/ch2_2mm.nii.gz"
"$AXON_BIN/axon-image" resample -q $T/ch2.nii.gz "$t1" --like $T/JHU-WhiteMatter-labels-2mm.nii.gz ||
  { fail "resample ch2 to 2 mm"; finish; }

# The IQM names of docs/axon-motion-quality.md (MRIQC's), alphabetically.
cat >"$work/expected_columns.py" <<'EOF'
names = ["cjv", "cnr", "efc", "fber", "qi_1", "qi_2", "wm2max", "inu_med", "inu_range"]
names += ["snr_" + t for t in ("csf", "gm", "wm", "total")] + ["snrd_" + t for t in ("csf", "gm", "wm", "total")]
names += ["fwhm_" + a for a in ("x", "y", "z", "avg")]
names += ["%s_%s" % (m, t) for m in ("icvs", "rpve") for t in ("csf", "gm", "wm")]
names += ["summary_%s_%s" % (r, s) for r in ("bg", "csf", "gm", "wm")
          for s in ("mean", "median", "mad", "stdv", "k", "p05", "p95", "n")]
COLUMNS = ["bids_name", "predicted_ssim", "quality_class"] + sorted(names)
EOF

# --- score: TSV on stdout and in --out (+ sidecar), JSON with --json -------
"$motion" score -q "$t1" --out "$work/qc.tsv" >"$work/stdout.tsv" || fail "score exited $?"
"$motion" score -q "$t1" --no-header >"$work/row.tsv" || fail "score --no-header exited $?"
"$motion" score -q "$t1" --json --classes 5 --per-slice "$work/slices.tsv" >"$work/score.json" || fail "score --json exited $?"
[ -f "$work/qc.tsv" ] && [ -f "$work/stdout.tsv" ] || { fail "score wrote no output"; finish; }
cmp -s "$work/qc.tsv" "$work/stdout.tsv" || fail "--out TSV differs from the table on stdout"
[ -f "$work/qc.json" ] || fail "--out qc.tsv wrote no sidecar qc.json"
PYTHONPATH="$work" $py - "$work" <<'EOF' || fail "score outputs do not match the documented columns"
import json, math, sys
from expected_columns import COLUMNS
work = sys.argv[1]
lines = open(work + "/stdout.tsv").read().splitlines()
assert len(lines) == 2, "expected a header and one row, got %d lines" % len(lines)
header, row = lines[0].split("\t"), lines[1].split("\t")
assert header == COLUMNS, "columns %s, expected %s" % (header, COLUMNS)
assert len(row) == len(header)
assert open(work + "/row.tsv").read().splitlines() == [lines[1]], "--no-header must print only the row"
assert row[0] == "ch2_2mm", row[0]
ssim = float(row[1])
assert 0.0 <= ssim <= 1.0, ssim
assert row[2] == ("good" if ssim >= 0.85 else "sufficient" if ssim >= 0.60 else "insufficient"), row[1:3]
values = {h: float("nan") if v == "n/a" else float(v) for h, v in zip(header[3:], row[3:])}
assert values["summary_bg_n"] > 1000 and values["summary_wm_n"] > 1000, values  # ch2 has air and WM
for k in ("cjv", "cnr", "efc", "snr_total", "wm2max", "fwhm_avg", "inu_med", "rpve_gm"):
    assert math.isfinite(values[k]) and values[k] > 0, (k, values[k])
icvs = [values["icvs_" + t] for t in ("csf", "gm", "wm")]  # tissue shares of the brain
assert all(0 < v < 1 for v in icvs) and abs(sum(icvs) - 1) < 1e-6, icvs
for k in ("fber", "snrd_total"):  # -1 where the air is noise-free (ch2's is 0): the documented rule
    assert values[k] == -1 or values[k] > 0, (k, values[k])
j = json.load(open(work + "/score.json"))
assert j["bids_name"] == "ch2_2mm" and j["classes"] == 5
assert abs(j["predicted_ssim"] - ssim) <= 1e-6 * max(1, abs(ssim)), (j["predicted_ssim"], ssim)
assert sorted(j["iqms"]) == COLUMNS[3:], sorted(j["iqms"])
for k, v in values.items():
    if not math.isfinite(v):
        assert j["iqms"][k] is None, (k, j["iqms"][k])
        continue
    assert abs(j["iqms"][k] - v) <= 1e-5 * max(1.0, abs(v)), (k, j["iqms"][k], v)
# Per slice: one prediction per axial slice (91 on this grid), null / n/a
# where a slice holds no head (the top and bottom of the MNI box), the same
# values in the JSON and the --per-slice table, classes of 5.
per = j["predicted_ssim_per_slice"]
assert len(per) == 91 and j["per_slice_axis"] == "z", (len(per), j.get("per_slice_axis"))
assert per[45] is not None and 0 <= per[45] <= 1, per[45]
assert per[0] is None and per[-1] is None, (per[0], per[-1])  # ch2's MNI box has air above and below the head
rows = [l.split("\t") for l in open(work + "/slices.tsv").read().splitlines()]
assert rows[0] == ["slice", "predicted_ssim", "quality_class"], rows[0]
assert [int(r[0]) for r in rows[1:]] == list(range(91))
for r, p in zip(rows[1:], per):
    if p is None:
        assert r[1:] == ["n/a", "n/a"], r
    else:
        assert abs(float(r[1]) - p) <= 1e-5, (r, p)
        assert r[2] in ["%d/5" % c for c in range(1, 6)], r
EOF
PYTHONPATH="$work" $py - "$work" <<'EOF' || fail "the --out sidecar is not the provenance of qc.tsv"
import json, sys
side = json.load(open(sys.argv[1] + "/qc.json"))
assert side["Classes"] == 3 and side["Model"].endswith("motion_ssim_default.json"), side
EOF

# --- simulate: zero motion returns the input, SSIM 1 ----------------------
"$motion" simulate -q "$t1" "$work/still.nii.gz" --degrees 0 --translation 0 --num-transforms 1 --seed 3 ||
  fail "simulate zero motion exited $?"
$py - "$t1" "$work/still.nii.gz" "$work/still.json" <<'EOF' || fail "zero motion does not reproduce the input"
import json, sys
import nibabel as nib, numpy as np
a = nib.load(sys.argv[1]).get_fdata(dtype=np.float64)
b = nib.load(sys.argv[2]).get_fdata(dtype=np.float64)
assert a.shape == b.shape, (a.shape, b.shape)
err = np.abs(a - b).max()
assert err <= 1e-5 * np.abs(a).max(), "max |out - in| = %g of max %g" % (err, np.abs(a).max())
side = json.load(open(sys.argv[3]))
assert abs(side["SSIM"]["volume_3d"] - 1.0) < 1e-6, side["SSIM"]["volume_3d"]
EOF

# --- bad input: exit 3, one line naming the file, no output ---------------
$py - "$t1" "$work" <<'EOF' || fail "cannot write the bad-input fixtures"
import sys, nibabel as nib, numpy as np
img = nib.load(sys.argv[1])
nib.save(nib.Nifti1Image(np.zeros(img.shape, np.uint8), img.affine), sys.argv[2] + "/empty_mask.nii.gz")
EOF
default_model="$(dirname "$0")/../../models/motion_ssim_default.json"
$py - "$default_model" "$work/short_model.json" "$work/short_slice_model.json" <<'EOF' || fail "cannot write the short model"
import json, sys
m = json.load(open(sys.argv[1]))
m["features"] = m["features"][:-1]
json.dump(m, open(sys.argv[2], "w"))
m = json.load(open(sys.argv[1]))
m["slice_features"] = m["slice_features"][:-1]
json.dump(m, open(sys.argv[3], "w"))
EOF
echo "not a model" >"$work/garbage_model.json"

# expect_error_naming FILE CODE OUTPUT COMMAND...: expect_error, and the
# error line names FILE.
expect_error_naming() {
  local file=$1; shift
  expect_error "$@"
  grep -qF "$file" "$work/stderr" || fail "$* error line does not name $file: $(cat "$work/stderr")"
}
out="$work/bad.tsv"
func=$NIPY/functional.nii.gz
expect_error_naming "$func" 3 "$out" "$motion" score "$func" --out "$out"
expect_error_naming "$func" 3 "$work/bad.nii.gz" "$motion" simulate "$func" "$work/bad.nii.gz"
expect_error_naming "$work/empty_mask.nii.gz" 3 "$out" "$motion" score "$t1" --mask "$work/empty_mask.nii.gz" --out "$out"
expect_error_naming "$work/empty_mask.nii.gz" 3 "$work/bad.nii.gz" \
  "$motion" simulate "$t1" "$work/bad.nii.gz" --mask "$work/empty_mask.nii.gz"
expect_error_naming "$work/missing_model.json" 3 "$out" "$motion" score "$t1" --model "$work/missing_model.json" --out "$out"
expect_error_naming "$work/garbage_model.json" 3 "$out" "$motion" score "$t1" --model "$work/garbage_model.json" --out "$out"
expect_error_naming "$work/short_model.json" 3 "$out" "$motion" score "$t1" --model "$work/short_model.json" --out "$out"
expect_error_naming "$work/short_slice_model.json" 3 "$out" \
  "$motion" score "$t1" --model "$work/short_slice_model.json" --out "$out" --per-slice "$work/bad_slices.tsv"
for f in "$out" "$work/bad.json" "$work/bad.nii.gz" "$work/bad_slices.tsv"; do [ -e "$f" ] && fail "a refused command left $f"; done
finish
