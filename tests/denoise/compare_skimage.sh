#!/usr/bin/env bash
# axon-denoise compare against scikit-image on the same files: PSNR, SSIM
# (3D, Gaussian window, sigma 1.5, population covariance) and NRMSE agree to
# 1e-4, with and without a mask, with the default and an explicit data range.
source "$AXON_SOURCE/tests/cli/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
"$AXON_PYTHON" "$AXON_SOURCE/tests/denoise/make_noisy_ch2bet.py" "$work" --crop || { echo "FAIL: generator"; exit 1; }
dn="$AXON_BIN/axon-denoise"
run() {  # NAME TEST REF [options]: axon's JSON summary into $work/NAME.json
  local name=$1; shift
  "$dn" compare --json -q "$@" > "$work/$name.json" || fail "compare $* exited $?"
}
run n3 "$work/noisy3.nii.gz" "$work/clean.nii.gz" --data-range 1000
run n9 "$work/noisy9.nii.gz" "$work/clean.nii.gz" --data-range 1000
run n9_default "$work/noisy9.nii.gz" "$work/clean.nii.gz"
run n9_mask "$work/noisy9.nii.gz" "$work/clean.nii.gz" --mask "$work/mask.nii.gz" --data-range 1000
run n3_mask_default "$work/noisy3.nii.gz" "$work/clean.nii.gz" --mask "$work/mask.nii.gz"
run same "$work/clean.nii.gz" "$work/clean.nii.gz" --out "$work/table_same.tsv"
run n9_table "$work/noisy9.nii.gz" "$work/clean.nii.gz" --mask "$work/mask.nii.gz" --out "$work/table_n9.tsv"
"$AXON_PYTHON" - "$work" <<'PY' || fail "disagreement with scikit-image"
import json, sys
import nibabel as nib, numpy as np
from skimage.metrics import structural_similarity, peak_signal_noise_ratio, normalized_root_mse
from skimage.util import crop

work = sys.argv[1]
load = lambda name: nib.load(f"{work}/{name}.nii.gz").get_fdata(dtype=np.float64)  # float64: skimage's exact path
clean, mask = load("clean"), load("mask") > 0
bad = 0

def check(case, test, mask_on, data_range):
    global bad
    got = json.load(open(f"{work}/{case}.json"))
    r = clean.max() - clean.min() if data_range is None else data_range
    if mask_on:
        _, smap = structural_similarity(clean, test, gaussian_weights=True, sigma=1.5,
                                        use_sample_covariance=False, data_range=r, full=True)
        ssim = crop(smap, 5)[crop(mask, 5)].mean(dtype=np.float64)
        psnr = peak_signal_noise_ratio(clean[mask], test[mask], data_range=r)
        nrmse = normalized_root_mse(clean[mask], test[mask])
    else:
        ssim = structural_similarity(clean, test, gaussian_weights=True, sigma=1.5,
                                     use_sample_covariance=False, data_range=r)
        psnr = peak_signal_noise_ratio(clean, test, data_range=r)
        nrmse = normalized_root_mse(clean, test)
    for name, want, have in (("psnr", psnr, got["psnr_db"]), ("ssim", ssim, got["ssim"]),
                             ("nrmse", nrmse, got["nrmse"]), ("data_range", r, got["data_range"])):
        ok = abs(want - have) <= 1e-4
        print(f"{case:16s} {name:10s} skimage {want:.8f} axon {have:.8f} {'ok' if ok else 'FAIL'}")
        bad += not ok

check("n3", load("noisy3"), False, 1000.0)
check("n9", load("noisy9"), False, 1000.0)
check("n9_default", load("noisy9"), False, None)
check("n9_mask", load("noisy9"), True, 1000.0)
check("n3_mask_default", load("noisy3"), True, None)
same = json.load(open(f"{work}/same.json"))
if not (same["psnr_db"] is None and same["ssim"] == 1.0 and same["nrmse"] == 0.0):
    print("identical images: expected PSNR null (inf), SSIM 1, NRMSE 0, got", same); bad += 1

# --out: a one-row TSV with the same numbers as the JSON summary (read back
# exactly), n/a where undefined, and a sidecar describing its columns.
def table(name):
    lines = open(f"{work}/{name}.tsv").read().split("\n")
    if len(lines) != 3 or lines[2] != "":
        print(f"{name}.tsv: expected a header and one row, got {lines!r}"); return None
    return dict(zip(lines[0].split("\t"), lines[1].split("\t")))
columns = ["psnr_db", "ssim", "nrmse", "data_range", "voxels"]
t = table("table_n9")
if t is not None:
    got = json.load(open(f"{work}/n9_table.json"))
    if list(t) != columns or any(float(t[k]) != got[k] for k in columns):
        print("table_n9.tsv disagrees with the JSON summary:", t, got); bad += 1
    check("n9_table", load("noisy9"), True, None)
t = table("table_same")
if t is not None and (t["psnr_db"] != "n/a" or float(t["ssim"]) != 1.0 or float(t["nrmse"]) != 0.0):
    print("table_same.tsv: expected psnr_db n/a, ssim 1, nrmse 0, got", t); bad += 1
side = json.load(open(f"{work}/table_n9.json"))
if not all(k in side and "Description" in side[k] for k in columns):
    print("table_n9.json lacks the column descriptions:", sorted(side)); bad += 1
sys.exit(1 if bad else 0)
PY
# --out is an output: never overwritten without --force, and a bad input
# leaves no table behind.
cp "$work/table_n9.tsv" "$work/table_n9_before.tsv"
expect_error 4 "" "$dn" compare -q "$work/noisy3.nii.gz" "$work/clean.nii.gz" --out "$work/table_n9.tsv"
cmp -s "$work/table_n9.tsv" "$work/table_n9_before.tsv" || fail "--out without --force changed an existing table"
"$AXON_PYTHON" -c 'import nibabel as nib, numpy as np, sys
i = nib.load(sys.argv[1]); x = i.get_fdata(); x[3, 3, 3] = np.nan
nib.save(nib.Nifti1Image(x.astype(np.float32), i.affine), sys.argv[2])' "$work/noisy3.nii.gz" "$work/nan.nii.gz"
expect_error 3 "$work/nan.tsv" "$dn" compare -q "$work/nan.nii.gz" "$work/clean.nii.gz" --out "$work/nan.tsv"
[ -e "$work/nan.json" ] && fail "a failed compare left the table's sidecar"
# Text output carries the three measures.
"$dn" compare -q "$work/noisy3.nii.gz" "$work/clean.nii.gz" > "$work/text.txt" || fail "text output"
for k in PSNR SSIM NRMSE; do grep -q "^$k " "$work/text.txt" || fail "text output lacks $k"; done
finish
