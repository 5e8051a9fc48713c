#!/usr/bin/env bash
# axon-motion realign end to end: a synthetic run with known motion (the
# columns, the parameters and the flagged jump volumes against the truth),
# nipy's real functional.nii.gz, and every bad input of issue 3 (one error
# line, exit 3, no output).
source "$(dirname "$0")/../cli/lib.sh"
M="$AXON_BIN/axon-motion"
PY="${AXON_PYTHON:-/usr/bin/python3}"

# --- synthetic run: 16 volumes, 2 jumps ---------------------------------
"$AXON_TESTDATA_BIN/axon-testdata" fmri "$work/syn" --volumes 16 --seed 5 --jumps 2 -q || fail "axon-testdata failed"
# Stand-in tissue masks for aCompCor: the brain's core and its outer shell.
"$PY" - "$work/syn" <<'PYEOF' || fail "could not make tissue masks"
import sys, numpy as np, nibabel as nb
from scipy import ndimage
d = sys.argv[1]; b = nb.load(d + "/brainmask.nii.gz"); m = b.get_fdata() > 0
core = ndimage.binary_erosion(m, iterations=4)
shell = m & ~ndimage.binary_erosion(m, iterations=1)
nb.save(nb.Nifti1Image(core.astype(np.uint8), b.affine, b.header), d + "/wm.nii.gz")
nb.save(nb.Nifti1Image(shell.astype(np.uint8), b.affine, b.header), d + "/csf.nii.gz")
PYEOF
"$M" realign -q --bold "$work/syn/bold.nii.gz" --mask "$work/syn/brainmask.nii.gz" \
  --wm-mask "$work/syn/wm.nii.gz" --csf-mask "$work/syn/csf.nii.gz" \
  --out-confounds "$work/syn/c.tsv" --out-bold "$work/syn/mc.nii.gz" --out-tsnr "$work/syn/tsnr.nii.gz" \
  --report "$work/syn/carpet.png" --dummy-scans 0 --json >"$work/syn/summary.json" || fail "realign on the synthetic run failed"
for f in c.tsv c.json mc.nii.gz mc.json tsnr.nii.gz tsnr.json carpet.png; do
  [ -s "$work/syn/$f" ] || fail "synthetic run: $f missing"
done
"$PY" - "$work/syn" <<'PYEOF' || fail "synthetic run: confounds disagree with the truth"
import sys, json, numpy as np, csv, nibabel as nb
d = sys.argv[1]
rows = list(csv.DictReader(open(d + "/c.tsv"), delimiter="\t"))
cols = list(rows[0].keys())
num = lambda c: np.array([np.nan if r[c] == "n/a" else float(r[c]) for r in rows])
params = ["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"]
need = params + [p + s for p in params for s in ("_derivative1", "_power2", "_derivative1_power2")] + \
    ["framewise_displacement", "rmsd", "dvars", "std_dvars", "global_signal"]
missing = [c for c in need if c not in cols]
assert not missing, missing
assert len(rows) == 16
truth = np.loadtxt(d + "/true_motion.tsv", skiprows=1)
est = np.column_stack([num(c) for c in params])
et = np.sqrt(np.mean((est[:, :3] - truth[:, :3]) ** 2))
er = np.degrees(np.sqrt(np.mean((est[:, 3:] - truth[:, 3:]) ** 2)))
print("RMS error %.4f mm %.4f deg" % (et, er))
# CLI sanity: the library test (test_realign.cpp, 36 volumes) asserts the
# issue's 0.05 mm / 0.05 deg / 0.03 mm FD targets.
assert et < 0.1 and er < 0.1, (et, er)
def fd(p):
    dp = np.abs(np.diff(p, axis=0))
    return dp[:, :3].sum(1) + 50 * dp[:, 3:].sum(1)
true_fd, our_fd = fd(truth), num("framewise_displacement")[1:]
assert np.isnan(num("framewise_displacement")[0])
print("FD RMS error %.4f mm" % np.sqrt(np.mean((our_fd - true_fd) ** 2)))
jumps = sorted(json.load(open(d + "/ground_truth.json"))["motion"]["jump_volumes"])
flagged = sorted(int(i) + 1 for i in np.nonzero(our_fd > 0.5)[0])
true_flagged = sorted(int(i) + 1 for i in np.nonzero(true_fd > 0.5)[0])
# Issue 3: exactly the volumes the truth flags (the jumps) are flagged.
print("flagged by FD", flagged, "truth", true_flagged, "jumps", jumps)
assert flagged == true_flagged == jumps, (flagged, true_flagged, jumps)
outl = [c for c in cols if c.startswith("motion_outlier_")]
flagged_cols = sorted(int(np.argmax(num(c))) for c in outl)
assert set(flagged) <= set(flagged_cols), (flagged, flagged_cols)
s = json.load(open(d + "/summary.json"))
assert abs(s["mean_fd_mm"] - np.nanmean(num("framewise_displacement"))) < 1e-9
side = json.load(open(d + "/c.json"))
assert "MotionParameters" in side and "Provenance" in side and "Report" in side
for c in ("white_matter", "csf", "a_comp_cor_00"):
    assert c in cols, c
kept = [c for c in cols if c.startswith("a_comp_cor_")]
assert all(side[c]["Retained"] for c in kept)
cum = side[kept[-1]]["CumulativeVarianceExplained"]
assert cum >= 0.5 and (len(kept) == 1 or side[kept[-2]]["CumulativeVarianceExplained"] < 0.5), cum
t = nb.load(d + "/tsnr.nii.gz"); m = nb.load(d + "/brainmask.nii.gz").get_fdata() > 0
assert t.shape == m.shape and np.median(t.get_fdata()[m]) > 10
assert nb.load(d + "/mc.nii.gz").shape == nb.load(d + "/bold.nii.gz").shape
PYEOF

# --- nipy's real functional.nii.gz (20 volumes, int16, 3 slices) ---------
"$M" realign -q --bold "$NIPY/functional.nii.gz" --out-confounds "$work/f.tsv" --report "$work/f.png" \
  --json >"$work/f_summary.json" || fail "realign on nipy functional.nii.gz failed"
"$PY" - "$work" <<'PYEOF' || fail "functional.nii.gz: implausible output"
import sys, json, numpy as np, csv
d = sys.argv[1]
rows = list(csv.DictReader(open(d + "/f.tsv"), delimiter="\t"))
assert len(rows) == 20
p = np.array([[float(r[c]) for c in ("trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z")] for r in rows])
assert np.all(np.isfinite(p)) and np.all(p[0] == 0)
# A 17x21x3 grid of 4x4x8 mm: estimates are noisy (nipy's SpaceRealign gives
# translations up to 2.4 mm and rotations up to 10 degrees on it), but a
# real subject lying still moves by millimetres, not centimetres.
assert np.abs(p[:, :3]).max() < 3 and np.abs(p[:, 3:]).max() < np.radians(3), p
s = json.load(open(d + "/f_summary.json"))
assert 0 <= s["mean_fd_mm"] < 2.5, s
PYEOF

# --- bad input: exit 3, one line, nothing written ------------------------
"$PY" - "$work" "$NIPY/functional.nii.gz" <<'PYEOF' || fail "could not make the bad inputs"
import sys, numpy as np, nibabel as nb
d, f = sys.argv[1], sys.argv[2]
img = nb.load(f); data = np.asarray(img.dataobj, dtype=np.float32)
img.header.set_data_dtype(np.float32)  # NaN must survive the save
save = lambda a, name, hdr=None: nb.save(nb.Nifti1Image(a, img.affine, hdr), d + "/" + name)
save(data[..., 0], "3d.nii.gz")
save(data[..., :2], "two.nii.gz", img.header.copy())
nan = data.copy(); nan[..., 5] = np.nan; save(nan, "nan.nii.gz", img.header.copy())
h = img.header.copy(); h["pixdim"][4] = 0; save(data, "notr.nii.gz", h)
h = img.header.copy(); h["pixdim"][4] = 2000; save(data, "bigtr.nii.gz", h)
nb.save(nb.Nifti1Image(np.ones((10, 10, 10), np.uint8), np.eye(4)), d + "/othermask.nii.gz")
PYEOF
out="$work/bad.tsv"
expect_error 3 "$out" "$M" realign --bold "$work/3d.nii.gz" --out-confounds "$out"
expect_error 3 "$out" "$M" realign --bold "$work/two.nii.gz" --out-confounds "$out"
expect_error 3 "$out" "$M" realign --bold "$work/nan.nii.gz" --out-confounds "$out"
expect_error 3 "$out" "$M" realign --bold "$work/notr.nii.gz" --out-confounds "$out"
expect_error 3 "$out" "$M" realign --bold "$work/bigtr.nii.gz" --out-confounds "$out"
expect_error 3 "$out" "$M" realign --bold "$NIPY/functional.nii.gz" --mask "$work/othermask.nii.gz" --out-confounds "$out"
expect_error 3 "$out" "$M" realign --bold "$work/missing.nii.gz" --out-confounds "$out"
expect_error 2 "$out" "$M" realign --bold "$NIPY/functional.nii.gz" --reference 99 --out-confounds "$out"
[ -e "$work/bad.json" ] && fail "a failed run left a sidecar"
# Tissue masks as labels of one segmentation: a label needs its mask (exit 2);
# a label the mask lacks is bad input (exit 3), found before any realignment.
"$PY" - "$work/syn" <<'PYEOF' || fail "could not make the tissue labels"
import sys, numpy as np, nibabel as nb
d = sys.argv[1]; wm = nb.load(d + "/wm.nii.gz"); csf = nb.load(d + "/csf.nii.gz")
labels = 3 * (np.asarray(wm.dataobj) > 0) + 1 * (np.asarray(csf.dataobj) > 0)
nb.save(nb.Nifti1Image(labels.astype(np.uint8), wm.affine, wm.header), d + "/dseg.nii.gz")
PYEOF
expect_error 2 "$out" "$M" realign --bold "$work/syn/bold.nii.gz" --out-confounds "$out" --wm-label 3
expect_error 3 "$out" "$M" realign --bold "$work/syn/bold.nii.gz" --out-confounds "$out" \
  --wm-mask "$work/syn/dseg.nii.gz" --csf-mask "$work/syn/dseg.nii.gz" --wm-label 3 --csf-label 2
grep -q 'dseg.nii.gz: has no voxel with label 2' "$work/stderr" || fail "missing label message: $(cat "$work/stderr")"
# An implausible TR is fine once --tr says what it is.
"$M" realign -q --bold "$work/bigtr.nii.gz" --tr 2 --out-confounds "$work/bigtr.tsv" || fail "--tr did not override the header"
finish
