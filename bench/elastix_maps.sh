# The elastix peer of the registration benches (sourced): elastix 5's usual
# affine + B-spline parameter maps (Mattes MI, 4 resolutions, 250 and 500
# iterations, 2048 / 4096 random samples, B-spline grid 10 mm, seed 42).
# write_elastix_maps DIR writes DIR/affine.txt and DIR/bspline.txt;
# elastix_label_map TP OUT writes TP (TransformParameters.1.txt) set up to
# carry a label image (nearest neighbour, short, result written).
write_elastix_maps() {
  cat >"$1/affine.txt" <<'P'
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
  cat >"$1/bspline.txt" <<'P'
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
  sed -i 's/) (/)\n(/g' "$1/affine.txt" "$1/bspline.txt"
}

elastix_label_map() {
  sed -e 's/(FinalBSplineInterpolationOrder [0-9])/(FinalBSplineInterpolationOrder 0)/' \
      -e 's/(ResultImagePixelType "[a-z]*")/(ResultImagePixelType "short")/' \
      -e 's/(WriteResultImage "false")/(WriteResultImage "true")/' "$1" >"$2"
}

# timed COMMAND...: runs it (stdout dropped; stderr shown on failure) and
# prints its wall seconds; `work` must name a scratch folder.
timed() { /usr/bin/time -f "%e" -o "$work/t" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }; cat "$work/t"; }
