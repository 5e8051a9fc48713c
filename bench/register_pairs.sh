#!/usr/bin/env bash
# Registration between real subjects (issue 20; the protocol of Klein et al.
# 2009, NeuroImage 46:786): consecutive subjects in sorted order, the second
# moved onto the first, the moving subject's labels carried onto the fixed
# subject and compared with the fixed subject's own (Dice per label).
#   ixi   the IXI heads of ../shared/data/ixi (2 mm, with skull) and their
#         DLMUSE parcellations (a model's output, a silver standard): mean
#         Dice over the fixed subject's labels, over the large structures
#         (>= 5 mL) and of the brain (label > 0);
#   ibsr  the 10 IBSR scans with manual labels (../shared/data/ibsr18,
#         skull-stripped, 0.94 x 1.5 x 0.94 mm): Dice of CSF, GM and WM
#         (IBSR's convention: sulcal CSF is GM) and of the brain (label > 0).
# In the same run, on the same pairs:
#   axon     axon-register run (rigid + affine + SyN, defaults), then
#            axon-register apply --interpolation label;
#   elastix  elastix 5 with the usual affine + B-spline parameter maps
#            (written below: Mattes MI, 4 resolutions, B-spline grid 10 mm),
#            then transformix on the labels (nearest neighbour).
# Prints per-pair rows (Dice columns, wall seconds) and the means.
# Usage: bench/register_pairs.sh [BUILD] [THREADS] [PAIRS] [ixi|ibsr]
set -euo pipefail
build=${1:-build}; threads=${2:-2}; pairs=${3:-20}; dataset=${4:-ixi}
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
shared="${AXON_SHARED_DATA:-$root/../shared/data}"
case $dataset in
  ixi) [ -d "$shared/ixi/t1" ] || { echo "register_pairs: SKIP: no IXI data at $shared/ixi"; exit 0; } ;;
  ibsr) [ -d "$shared/ibsr18" ] || { echo "register_pairs: SKIP: no IBSR data at $shared/ibsr18"; exit 0; } ;;
  *) echo "register_pairs: the dataset is ixi or ibsr, not '$dataset'" >&2; exit 2 ;;
esac
rg="$build/apps/axon-register"
have_elastix=1; command -v elastix >/dev/null && command -v transformix >/dev/null || have_elastix=0
[ $have_elastix = 1 ] || echo "register_pairs: elastix not installed (scripts/bootstrap): axon rows only" >&2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
source "$here/elastix_maps.sh"

write_elastix_maps "$work"
cat >"$work/dice.py" <<'PY'
import sys
import nibabel as nib, numpy as np
carried = np.rint(np.asarray(nib.load(sys.argv[1]).dataobj)).astype(np.int64).squeeze()
truth = np.rint(np.asarray(nib.load(sys.argv[2]).dataobj)).astype(np.int64).squeeze()
def dice(a, b):
    return 2 * np.sum(a & b) / (np.sum(a) + np.sum(b))
brain = dice(carried > 0, truth > 0)
if sys.argv[3] == "ibsr":  # CSF 1, GM 2, WM 3
    print("\t".join(f"{dice(carried == l, truth == l):.4f}" for l in (1, 2, 3)) + f"\t{brain:.4f}")
else:
    voxel_ml = np.prod(nib.load(sys.argv[2]).header.get_zooms()[:3]) / 1000
    labels, counts = np.unique(truth[truth > 0], return_counts=True)
    d = np.array([dice(carried == l, truth == l) for l in labels])
    large = counts * voxel_ml >= 5
    print(f"{d.mean():.4f}\t{d[large].mean():.4f}\t{brain:.4f}")
PY
# IBSR's files are 4D with one volume: both tools get the same 3D copies.
cat >"$work/to3d.py" <<'PY'
import sys
import nibabel as nib, numpy as np
img = nib.load(sys.argv[1])
out = nib.Nifti1Image(np.asarray(img.dataobj).reshape(img.shape[:3]), img.affine, img.header)
out.header.set_data_shape(img.shape[:3])
nib.save(out, sys.argv[2])
PY

if [ "$dataset" = ixi ]; then
  subjects=($(ls "$shared/ixi/t1" | sed 's/_T1.nii.gz$//' | sort))
  columns="mean_dice\tlarge_dice\tbrain_dice"
else
  subjects=($(ls "$shared/ibsr18" | grep '_seg.nii.gz$' | sed 's/_seg.nii.gz$//' | sort))
  columns="csf_dice\tgm_dice\twm_dice\tbrain_dice"
fi
n=$(( pairs < ${#subjects[@]} - 1 ? pairs : ${#subjects[@]} - 1 ))
uptime >&2
printf "pair\tmethod\t$columns\twall_s\n" | tee "$work/rows.tsv"
for ((i = 0; i < n; i++)); do
  f=${subjects[$i]} m=${subjects[$((i + 1))]}
  if [ "$dataset" = ixi ]; then
    ft1="$shared/ixi/t1/${f}_T1.nii.gz" mt1="$shared/ixi/t1/${m}_T1.nii.gz"
    flab="$shared/ixi/dlmuse/${f}_T1_DLMUSE.nii.gz" mlab="$shared/ixi/dlmuse/${m}_T1_DLMUSE.nii.gz"
  else
    for s in "$f" "$m"; do
      [ -e "$work/$s.nii.gz" ] || "$PY" "$work/to3d.py" "$shared/ibsr18/$s.nii.gz" "$work/$s.nii.gz"
      [ -e "$work/${s}_seg.nii.gz" ] || "$PY" "$work/to3d.py" "$shared/ibsr18/${s}_seg.nii.gz" "$work/${s}_seg.nii.gz"
    done
    ft1="$work/$f.nii.gz" mt1="$work/$m.nii.gz" flab="$work/${f}_seg.nii.gz" mlab="$work/${m}_seg.nii.gz"
  fi
  d="$work/$i"; mkdir -p "$d/elastix"
  s=$(timed "$rg" run -q --threads "$threads" "$ft1" "$mt1" --out-transform "$d/r_")
  "$rg" apply -q "$mlab" "$d/axon.nii.gz" --reference "$ft1" --interpolation label \
    --transform "$d/r_1Warp.nii.gz" --transform "$d/r_0GenericAffine.txt"
  printf "%s->%s\taxon\t%s\t%s\n" "$m" "$f" "$("$PY" "$work/dice.py" "$d/axon.nii.gz" "$flab" "$dataset")" "$s" | tee -a "$work/rows.tsv"
  if [ $have_elastix = 1 ]; then
    s=$(timed elastix -f "$ft1" -m "$mt1" -p "$work/affine.txt" -p "$work/bspline.txt" -out "$d/elastix" -threads "$threads")
    elastix_label_map "$d/elastix/TransformParameters.1.txt" "$d/labels.txt"
    transformix -in "$mlab" -out "$d/elastix" -tp "$d/labels.txt" >/dev/null
    printf "%s->%s\telastix\t%s\t%s\n" "$m" "$f" "$("$PY" "$work/dice.py" "$d/elastix/result.nii.gz" "$flab" "$dataset")" "$s" | tee -a "$work/rows.tsv"
  fi
  rm -rf "$d"
done
"$PY" - "$work/rows.tsv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
keys = [k for k in rows[0] if k.endswith("_dice")] + ["wall_s"]
means = {}
for method in sorted({r["method"] for r in rows}):
    r = [x for x in rows if x["method"] == method]
    means[method] = m = {k: sum(float(x[k]) for x in r) / len(r) for k in keys}
    worst = {k: min(float(x[k]) for x in r) for k in keys if k != "wall_s"}
    print(f"{method}: {len(r)} pairs; " + ", ".join(f"{k} mean {m[k]:.4f} (worst {worst[k]:.4f})" for k in keys[:-1])
          + f"; wall {m['wall_s']:.1f} s per pair")
if "elastix" in means:
    a, e = means["axon"], means["elastix"]
    first = keys[0] if keys[0] != "csf_dice" else "gm_dice"
    print(f"axon / elastix: {first} {a[first] / e[first]:.3f}, wall {a['wall_s'] / e['wall_s']:.2f}")
PY
