#!/bin/bash
# axon-connectivity group end to end on simulated subjects: correlation
# matrices of 8 regions whose edges depend on age and (in half the edges)
# on the diagnosis. regress removes age (cleaned edges orthogonal to it,
# R^2 written); classify with age regressed in the folds is clearly above
# chance and its p-value small; tangent writes a geometric mean; bad inputs
# give one clear error line. classify --maps: simulated voxel maps of two
# kinds per subject (one raised in a blob in patients) on a mask's grid.
source "$(dirname "$0")/../cli/lib.sh"
C="$AXON_BIN/axon-connectivity"
mkdir -p "$work/m" "$work/bad" "$work/reg" "$work/cls" "$work/tan"
"$AXON_PYTHON" - "$work" <<'PY' || { echo "simulating the cohort failed"; exit 1; }
import sys, numpy as np
w = sys.argv[1]
rng = np.random.default_rng(4)
p, n = 8, 40
names = [f"R{i}" for i in range(p)]
rows = ["participant_id\tdiagnosis\tage\tsite\tconstant"]
for s in range(n):
    label = s % 2
    age = 30 + 6 * label + 3 * rng.standard_normal()
    # Time series whose coupling depends on age and the diagnosis.
    mix = np.eye(p)
    mix[0, 1:4] = 0.05 * (age - 30)
    mix[4, 5:8] = 0.8 * label
    x = rng.standard_normal((150, p)) @ mix
    r = np.corrcoef(x, rowvar=False)
    sid = f"sub-{s:02d}"
    with open(f"{w}/m/{sid}_atlas-toy_meas-correlation_relmat.tsv", "w") as f:
        f.write("\t".join(names) + "\n")
        for row in r:
            f.write("\t".join(f"{v:.17g}" for v in row) + "\n")
    rows.append(f"{sid}\t{'adhd' if label else 'control'}\t{age:.3f}\t{'AB'[s % 3 == 0]}\t1")
open(f"{w}/participants.tsv", "w").write("\n".join(rows) + "\n")
# A matrix of another size, one with another label order.
open(f"{w}/bad/sub-90_relmat.tsv", "w").write("R0\tR1\n1\t0.5\n0.5\t1\n")
lines = open(f"{w}/m/sub-00_atlas-toy_meas-correlation_relmat.tsv").read().split("\n")
lines[0] = "\t".join(["R1", "R0"] + names[2:])
open(f"{w}/bad/sub-91_relmat.tsv", "w").write("\n".join(lines))
open(f"{w}/few.tsv", "w").write("\n".join(rows[:30]) + "\n")  # subjects 29-39 missing
PY
M="$work/m/sub-*_relmat.tsv"
"$C" group regress --matrices "$M" --covariates "$work/participants.tsv" --regress-out age,site --categorical site \
  --out "$work/reg" -q || fail "regress failed"
"$C" group classify --matrices "$M" --labels "$work/participants.tsv" --label-column diagnosis \
  --covariates "$work/participants.tsv" --regress-out age --folds 5 --components 6 --permutations 30 \
  --out "$work/cls" --json >"$work/cls.json" || fail "classify failed"
"$C" group tangent --matrices "$M" --out "$work/tan" -q || fail "tangent failed"
"$AXON_PYTHON" - "$work" <<'PY' || fail "group outputs"
import sys, glob, json, numpy as np
w = sys.argv[1]
read = lambda p: np.genfromtxt(p, delimiter="\t", skip_header=1, missing_values="n/a", filling_values=np.nan)
ages = {}
for line in open(f"{w}/participants.tsv").read().split("\n")[1:]:
    if line:
        f = line.split("\t"); ages[f[0]] = float(f[2])
files = sorted(glob.glob(f"{w}/reg/*_desc-regressed_relmat.tsv"))
assert len(files) == 40, len(files)
age = np.array([ages[p.split("/")[-1][:6]] for p in files])
e = np.array([read(p)[0, 1] for p in files])
c = np.corrcoef(age, e)[0, 1]
assert abs(c) < 1e-8, f"regressed edge still correlates with age: {c}"
r2 = read(f"{w}/reg/group_stat-r2_relmat.tsv")
assert r2[0, 1] > 0.3 and np.isnan(r2[0, 0]), r2[0, :3]
s = json.load(open(f"{w}/cls.json"))
print(f"classify: balanced accuracy {s['balanced_accuracy']:.3f}, AUC {s['auc']:.3f}, p {s['permutation_p']:.3f}")
assert s["balanced_accuracy"] > 0.75 and s["permutation_p"] < 0.05
folds = open(f"{w}/cls/classify_folds.tsv").read()
assert folds.count("\n") == 7
assert len(glob.glob(f"{w}/tan/*_desc-tangent_relmat.tsv")) == 40
g = read(f"{w}/tan/group_desc-geometricmean_relmat.tsv")
assert np.allclose(g, g.T) and (np.linalg.eigvalsh(g) > 0).all()
PY

# Bad input: one error line, exit 3 (2 for usage), no output.
O="$work/bad/out"; mkdir -p "$O"
expect_error 3 "$O/classify_folds.tsv" "$C" group classify --matrices "$M" "$work/bad/sub-90_relmat.tsv" \
  --labels "$work/participants.tsv" --label-column diagnosis --out "$O"
expect_error 3 "$O/group_desc-geometricmean_relmat.tsv" "$C" group tangent --matrices "$M" \
  "$work/bad/sub-91_relmat.tsv" --out "$O"
expect_error 3 "$O/group_stat-r2_relmat.tsv" "$C" group regress --matrices "$M" --covariates "$work/few.tsv" \
  --regress-out age --out "$O"
expect_error 3 "$O/group_stat-r2_relmat.tsv" "$C" group regress --matrices "$M" \
  --covariates "$work/participants.tsv" --regress-out age,constant --out "$O"
expect_error 3 "$O/classify_folds.tsv" "$C" group classify --matrices "$work/m/sub-0[0-5]_*" \
  --labels "$work/participants.tsv" --label-column diagnosis --folds 10 --out "$O"
expect_error 3 "$O/classify_folds.tsv" "$C" group classify --matrices "$M" \
  --labels "$work/participants.tsv" --out "$O"

# classify --maps: 40 subjects, degree and reho maps on an 8 x 8 x 6 grid;
# the degree maps carry the diagnosis in a blob.
mkdir -p "$work/maps" "$work/clsmap"
"$AXON_PYTHON" - "$work" <<'PY' || { echo "simulating the maps failed"; exit 1; }
import sys, numpy as np, nibabel as nib
w = sys.argv[1]
rng = np.random.default_rng(5)
aff = np.diag([3.0, 3.0, 3.0, 1.0])
i, j, k = np.indices((8, 8, 6))
mask = ((i - 3.5) ** 2 / 16 + (j - 3.5) ** 2 / 16 + (k - 2.5) ** 2 / 9) <= 1
nib.save(nib.Nifti1Image(mask.astype(np.uint8), aff), f"{w}/maps/mask.nii.gz")
blob = mask & (i < 3)
for s in range(40):
    label = s % 2
    deg = rng.standard_normal(mask.shape) + 0.6 * label * blob
    reho = rng.standard_normal(mask.shape)
    for kind, x in (("degree", deg), ("reho", reho)):
        nib.save(nib.Nifti1Image((x * mask).astype(np.float32), aff),
                 f"{w}/maps/sub-{s:02d}_task-rest_stat-{kind}_boldmap.nii.gz")
nib.save(nib.Nifti1Image(np.zeros((8, 8, 7), np.float32), aff), f"{w}/bad/sub-00_task-rest_stat-degree_boldmap.nii.gz")
print(int(mask.sum()))
PY
MP="$work/maps/sub-*_boldmap.nii.gz"
"$C" group classify --maps "$MP" --mask "$work/maps/mask.nii.gz" --labels "$work/participants.tsv" \
  --label-column diagnosis --folds 5 --components 6 --permutations 30 --out "$work/clsmap" --json \
  >"$work/clsmap.json" || fail "classify --maps failed"
"$AXON_PYTHON" - "$work" <<'PY' || fail "classify --maps outputs"
import sys, json, nibabel as nib, numpy as np
w = sys.argv[1]
s = json.load(open(f"{w}/clsmap.json"))
voxels = int((np.asanyarray(nib.load(f"{w}/maps/mask.nii.gz").dataobj) > 0).sum())
print(f"classify --maps: balanced accuracy {s['balanced_accuracy']:.3f}, p {s['permutation_p']:.3f}, {s['features']} features")
assert s["features"] == 2 * voxels, (s["features"], voxels)
assert s["balanced_accuracy"] > 0.75 and s["permutation_p"] < 0.05
side = json.load(open(f"{w}/clsmap/classify_folds.json"))
assert side["FeatureSource"]["MapKinds"] == ["task-rest_stat-degree_boldmap.nii.gz", "task-rest_stat-reho_boldmap.nii.gz"]
PY
expect_error 3 "$O/classify_folds.tsv" "$C" group classify --maps "$work/bad/sub-00_task-rest_stat-degree_boldmap.nii.gz" \
  "$work/maps/sub-0[1-9]_task-rest_stat-degree_boldmap.nii.gz" --mask "$work/maps/mask.nii.gz" \
  --labels "$work/participants.tsv" --label-column diagnosis --folds 2 --out "$O"
expect_error 3 "$O/classify_folds.tsv" "$C" group classify --maps "$work/maps/sub-0[0-9]_task-rest_stat-*" \
  "$work/maps/sub-10_task-rest_stat-reho_boldmap.nii.gz" --mask "$work/maps/mask.nii.gz" \
  --labels "$work/participants.tsv" --label-column diagnosis --folds 2 --out "$O"
expect_error 2 "" "$C" group classify --maps "$MP" --labels "$work/participants.tsv" --out "$O"
expect_error 2 "" "$C" group regress --maps "$MP" --mask "$work/maps/mask.nii.gz" --out "$O"
expect_error 2 "" "$C" group classify --maps "$MP" --matrices "$M" --mask "$work/maps/mask.nii.gz" \
  --labels "$work/participants.tsv" --out "$O"
expect_error 2 "" "$C" group fit --matrices "$M" --out "$O"
expect_error 2 "" "$C" group regress --matrices "$M" --out "$O"
finish
