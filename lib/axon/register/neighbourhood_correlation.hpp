#pragma once
// ANTs' neighbourhood cross-correlation and its gradient for two images on
// one grid, as itk::ANTSNeighborhoodCorrelationImageToImageMetricv4
// computes them for SyN (dense, identity transforms, the moving image's
// gradient by central differences), but from separable window sums: ITK
// visits each neighbourhood through a point transform and an interpolator
// per voxel, which was half of SyN's time. The formulas are ITK's (per
// voxel, over the (2r+1)^3 window clipped to the grid: sFF, sMM, sFM about
// the window means; local CC = sFM^2 / (sFF sMM), 1 where sFF sMM is not
// above machine epsilon; gradient 2 sFM / (sFF sMM) (f - sFM / sMM m)
// grad(moving), zero unless sFF and sMM exceed epsilon; value = -mean CC);
// the results agree with ITK's to rounding (tests/register).
// Every voxel is one fixed computation and the value is summed slab by slab
// in order: the same bytes for any thread count.
#include "axon/register/displacement_field.hpp"
#include "axon/register/image_pair.hpp"

namespace axon::registration {

struct CorrelationGradient {
  double value = 0;          // -mean local CC over the grid (ITK's sign)
  ItkField::Pointer gradient;  // on the grid of `fixed`, physical (LPS) components
};

// `fixed` and `moving` share one grid (the caller's contract: SyN resamples
// both onto its virtual domain first). `radius` in voxels along each axis.
CorrelationGradient neighbourhood_correlation(const Volume* fixed, const Volume* moving, unsigned radius);

// Both directions from one set of window sums (SyN asks for both every
// iteration): `forward` is neighbourhood_correlation(fixed, moving),
// `swapped` neighbourhood_correlation(moving, fixed), bit for bit.
struct CorrelationPair {
  CorrelationGradient forward, swapped;
};
CorrelationPair neighbourhood_correlation_both(const Volume* fixed, const Volume* moving, unsigned radius);

}  // namespace axon::registration
