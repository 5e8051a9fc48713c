#!/usr/bin/env bash
# Registration between real subjects (issue 20; the protocol of Klein et al.
# 2009, NeuroImage 46:786): pairs of the IXI heads of ../shared/data/ixi
# (2 mm, with skull; consecutive subjects in sorted order, the second moved
# onto the first), the moving subject's DLMUSE parcellation carried onto the
# fixed subject and compared with the fixed subject's own (Dice per label).
# DLMUSE is a model's output, not manual tracing: a silver standard.
# In the same run, on the same pairs:
#   axon     axon-register run (rigid + affine + SyN, defaults), then
#            axon-register apply --interpolation label;
#   elastix  elastix 5 with the usual affine + B-spline parameter maps
#            (written below: Mattes MI, 4 resolutions, B-spline grid 10 mm),
#            then transformix on the labels (nearest neighbour).
# Prints per-pair rows (mean Dice over the fixed subject's labels, over the
# large structures >= 5 mL, brain (label > 0) Dice, wall seconds) and means.
# Usage: bench/register_pairs.sh [BUILD] [THREADS] [PAIRS]
set -euo pipefail
build=${1:-build}; threads=${2:-2}; pairs=${3:-20}
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
shared="${AXON_SHARED_DATA:-$root/../shared/data}"
[ -d "$shared/ixi/t1" ] || { echo "register_pairs: SKIP: no IXI data at $shared/ixi"; exit 0; }
rg="$build/apps/axon-register"
have_elastix=1; command -v elastix >/dev/null && command -v transformix >/dev/null || have_elastix=0
[ $have_elastix = 1 ] || echo "register_pairs: elastix not installed (scripts/bootstrap): axon rows only" >&2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

cat >"$work/affine.txt" <<'P'
(FixedInternalImagePixelType "float") (MovingInternalImagePixelType "float")
(FixedImageDimension 3) (MovingImageDimension 3)
(Registration "MultiResolutionRegistration") (Interpolator "BSplineInterpolator")
(ResampleInterpolator "FinalBSplineInterpolator") (Resampler "DefaultResampler")
(FixedImagePyramid "FixedSmoothingImagePyramid") (MovingImagePyramid "MovingSmoothingImagePyramid")
(Optimizer "AdaptiveStochasticGradientDescent") (Transform "AffineTransform") (Metric "AdvancedMattesMutualInformation")
(AutomaticScalesEstimation "true") (AutomaticTransformInitialization "true") (AutomaticTransformInitializationMethod "CenterOfGravity")
(HowToCombineTransforms "Compose") (NumberOfHistogramBins 32) (NumberOfResolutions 4)
(MaximumNumberOfIterations 250) (NumberOfSpatialSamples 2048) (NewSamplesEveryIteration "true")
(ImageSampler "RandomCoordinate") (BSplineInterpolationOrder 1) (FinalBSplineInterpolationOrder 3)
(DefaultPixelValue 0) (WriteResultImage "false") (ResultImageFormat "nii.gz") (RandomSeed 42)
P
cat >"$work/bspline.txt" <<'P'
(FixedInternalImagePixelType "float") (MovingInternalImagePixelType "float")
(FixedImageDimension 3) (MovingImageDimension 3)
(Registration "MultiResolutionRegistration") (Interpolator "BSplineInterpolator")
(ResampleInterpolator "FinalBSplineInterpolator") (Resampler "DefaultResampler")
(FixedImagePyramid "FixedSmoothingImagePyramid") (MovingImagePyramid "MovingSmoothingImagePyramid")
(Optimizer "AdaptiveStochasticGradientDescent") (Transform "BSplineTransform") (Metric "AdvancedMattesMutualInformation")
(FinalGridSpacingInPhysicalUnits 10) (HowToCombineTransforms "Compose") (NumberOfHistogramBins 32)
(NumberOfResolutions 4) (MaximumNumberOfIterations 500) (NumberOfSpatialSamples 4096)
(NewSamplesEveryIteration "true") (ImageSampler "RandomCoordinate") (BSplineInterpolationOrder 1)
(FinalBSplineInterpolationOrder 3) (DefaultPixelValue 0) (WriteResultImage "false") (ResultImageFormat "nii.gz") (RandomSeed 42)
P
# elastix reads one (Name value) per line.
sed -i 's/) (/)\n(/g' "$work/affine.txt" "$work/bspline.txt"
cat >"$work/dice.py" <<'PY'
import sys
import nibabel as nib, numpy as np
carried = np.rint(np.asarray(nib.load(sys.argv[1]).dataobj)).astype(np.int64)
truth = np.rint(np.asarray(nib.load(sys.argv[2]).dataobj)).astype(np.int64)
voxel_ml = np.prod(nib.load(sys.argv[2]).header.get_zooms()[:3]) / 1000
labels, counts = np.unique(truth[truth > 0], return_counts=True)
dice = np.array([2 * np.sum((carried == l) & (truth == l)) / (np.sum(carried == l) + c) for l, c in zip(labels, counts)])
large = counts * voxel_ml >= 5
brain = 2 * np.sum((carried > 0) & (truth > 0)) / (np.sum(carried > 0) + np.sum(truth > 0))
print(f"{dice.mean():.4f}\t{dice[large].mean():.4f}\t{brain:.4f}")
PY
timed() { /usr/bin/time -f "%e" -o "$work/t" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }; cat "$work/t"; }

subjects=($(ls "$shared/ixi/t1" | sed 's/_T1.nii.gz$//' | sort))
n=$(( pairs < ${#subjects[@]} - 1 ? pairs : ${#subjects[@]} - 1 ))
uptime >&2
printf "pair\tmethod\tmean_dice\tlarge_dice\tbrain_dice\twall_s\n" | tee "$work/rows.tsv"
for ((i = 0; i < n; i++)); do
  f=${subjects[$i]} m=${subjects[$((i + 1))]}
  ft1="$shared/ixi/t1/${f}_T1.nii.gz" mt1="$shared/ixi/t1/${m}_T1.nii.gz"
  flab="$shared/ixi/dlmuse/${f}_T1_DLMUSE.nii.gz" mlab="$shared/ixi/dlmuse/${m}_T1_DLMUSE.nii.gz"
  d="$work/$i"; mkdir -p "$d/elastix"
  s=$(timed "$rg" run -q --threads "$threads" "$ft1" "$mt1" --out-transform "$d/r_")
  "$rg" apply -q "$mlab" "$d/axon.nii.gz" --reference "$ft1" --interpolation label \
    --transform "$d/r_1Warp.nii.gz" --transform "$d/r_0GenericAffine.txt"
  printf "%s->%s\taxon\t%s\t%s\n" "$m" "$f" "$("$PY" "$work/dice.py" "$d/axon.nii.gz" "$flab")" "$s" | tee -a "$work/rows.tsv"
  if [ $have_elastix = 1 ]; then
    s=$(timed elastix -f "$ft1" -m "$mt1" -p "$work/affine.txt" -p "$work/bspline.txt" -out "$d/elastix" -threads "$threads")
    sed -e 's/(FinalBSplineInterpolationOrder [0-9])/(FinalBSplineInterpolationOrder 0)/' \
        -e 's/(ResultImagePixelType "[a-z]*")/(ResultImagePixelType "short")/' \
        -e 's/(WriteResultImage "false")/(WriteResultImage "true")/' \
        "$d/elastix/TransformParameters.1.txt" > "$d/labels.txt"
    transformix -in "$mlab" -out "$d/elastix" -tp "$d/labels.txt" >/dev/null
    printf "%s->%s\telastix\t%s\t%s\n" "$m" "$f" "$("$PY" "$work/dice.py" "$d/elastix/result.nii.gz" "$flab")" "$s" | tee -a "$work/rows.tsv"
  fi
  rm -rf "$d"
done
"$PY" - "$work/rows.tsv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
means = {}
for method in sorted({r["method"] for r in rows}):
    r = [x for x in rows if x["method"] == method]
    means[method] = {k: sum(float(x[k]) for x in r) / len(r) for k in ("mean_dice", "large_dice", "brain_dice", "wall_s")}
    m = means[method]
    print(f"{method}: {len(r)} pairs, mean Dice {m['mean_dice']:.4f}, large structures {m['large_dice']:.4f}, "
          f"brain {m['brain_dice']:.4f}, wall {m['wall_s']:.1f} s per pair")
if "elastix" in means:
    a, e = means["axon"], means["elastix"]
    print(f"axon / elastix: Dice {a['mean_dice'] / e['mean_dice']:.3f}, wall {a['wall_s'] / e['wall_s']:.2f}")
PY
