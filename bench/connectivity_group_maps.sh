#!/usr/bin/env bash
# axon-connectivity group classify --maps at whole-brain size against
# scikit-learn on the same input: SUBJECTS simulated subjects, two map kinds
# each (a 3 mm grid, an ellipsoid mask of ~64,000 voxels: ~128,000 features),
# the diagnosis raising a blob in one kind; PCA(10)-LDA, 10 stratified folds,
# PERMUTATIONS label permutations. Prints wall and CPU seconds (user +
# system: the steadier figure on a shared machine), peak memory, accuracy
# and whether the predictions agree.
# Usage: bench/connectivity_group_maps.sh [BUILD] [SUBJECTS] [PERMUTATIONS]
set -euo pipefail
build=${1:-build}; subjects=${2:-100}; permutations=${3:-20}
PY=/usr/bin/python3
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
C="$build/apps/axon-connectivity"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$work/maps" "$work/cv"
"$PY" - "$work" "$subjects" <<'PY'
import sys, numpy as np, nibabel as nib
w, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(3)
aff = np.diag([3.0, 3.0, 3.0, 1.0])
i, j, k = np.indices((61, 73, 61))
mask = ((i - 30) ** 2 / 24.0 ** 2 + (j - 36) ** 2 / 30.0 ** 2 + (k - 30) ** 2 / 21.0 ** 2) <= 1
nib.save(nib.Nifti1Image(mask.astype(np.uint8), aff), f"{w}/mask.nii.gz")
blob = mask & ((i - 20) ** 2 + (j - 30) ** 2 + (k - 30) ** 2 <= 36)
rows = ["participant_id\tdiagnosis"]
for s in range(n):
    label = s % 2
    rows.append(f"sub-{s:03d}\t{'patient' if label else 'control'}")
    for kind, effect in (("degree", 0.3), ("reho", 0.0)):
        x = (rng.standard_normal(mask.shape, dtype=np.float32) + effect * label * blob) * mask
        nib.save(nib.Nifti1Image(x.astype(np.float32), aff), f"{w}/maps/sub-{s:03d}_stat-{kind}_boldmap.nii")
open(f"{w}/participants.tsv", "w").write("\n".join(rows) + "\n")
print(f"{n} subjects x 2 kinds x {mask.sum()} voxels = {2 * mask.sum()} features")
PY
/usr/bin/time -v "$C" group classify --maps "$work/maps/sub-*_boldmap.nii" --mask "$work/mask.nii.gz" \
  --labels "$work/participants.tsv" --label-column diagnosis --folds 10 --components 10 \
  --permutations "$permutations" --out "$work/cv" --json >"$work/axon.json" 2>"$work/axon.time"
/usr/bin/time -v "$PY" - "$work" "$permutations" >"$work/sk.txt" 2>"$work/sk.time" <<'PY'
import sys, glob, numpy as np, nibabel as nib
from sklearn.decomposition import PCA
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.model_selection import StratifiedKFold, cross_val_predict, permutation_test_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
w, perms = sys.argv[1], int(sys.argv[2])
mask = np.asanyarray(nib.load(f"{w}/mask.nii.gz").dataobj) > 0
subjects = sorted({p.split("/")[-1][:7] for p in glob.glob(f"{w}/maps/sub-*.nii")})
# In-mask voxels in NIfTI index order (x fastest), as axon orders them;
# float64, as axon computes.
inside = mask.ravel(order="F")
x = np.stack([np.concatenate([np.asanyarray(nib.load(f"{w}/maps/{s}_stat-{k}_boldmap.nii").dataobj).ravel(order="F")[inside]
                              for k in ("degree", "reho")]) for s in subjects]).astype(np.float64)
y = np.array(["patient" if int(s[4:]) % 2 else "control" for s in subjects])
model = make_pipeline(StandardScaler(), PCA(10, svd_solver="full"), LinearDiscriminantAnalysis())
cv = StratifiedKFold(10)
pred = cross_val_predict(model, x, y, cv=cv, n_jobs=2)
score, _, p = permutation_test_score(model, x, y, cv=cv, n_permutations=perms, n_jobs=2, random_state=0)
print(" ".join(pred))
print(score, p)
PY
"$PY" - "$work" <<'PY'
import sys, json, re
w = sys.argv[1]
def field(p, key):
    return re.search(rf"{key}: (\S+)", open(p).read()).group(1)
def wall(p):
    t = field(p, r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\)").split(":")
    return sum(float(v) * 60 ** i for i, v in enumerate(reversed(t)))
def cpu(p):
    return float(field(p, r"User time \(seconds\)")) + float(field(p, r"System time \(seconds\)"))
def peak(p):
    return int(field(p, r"Maximum resident set size \(kbytes\)")) / 1024
s = json.load(open(f"{w}/axon.json"))
ours = [l.split("\t")[3] for l in open(f"{w}/cv/classify_predictions.tsv").read().split("\n")[1:] if l]
lines = open(f"{w}/sk.txt").read().split("\n")
ref, (score, p) = lines[0].split(), lines[1].split()
same = sum(a == b for a, b in zip(ours, ref))
print(f"axon:    {wall(f'{w}/axon.time'):.1f} s wall, {cpu(f'{w}/axon.time'):.1f} CPU-s, peak {peak(f'{w}/axon.time'):.0f} MB; "
      f"accuracy {s['accuracy']:.3f}, permutation p {s['permutation_p']:.3f}")
print(f"sklearn: {wall(f'{w}/sk.time'):.1f} s wall, {cpu(f'{w}/sk.time'):.1f} CPU-s, peak {peak(f'{w}/sk.time'):.0f} MB; "
      f"accuracy {float(score):.3f}, permutation p {float(p):.3f} (its own permutations)")
print(f"ratio axon/sklearn: CPU {cpu(f'{w}/axon.time') / cpu(f'{w}/sk.time'):.2f}, wall {wall(f'{w}/axon.time') / wall(f'{w}/sk.time'):.2f}; "
      f"same predictions for {same} of {len(ref)} subjects")
PY
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
