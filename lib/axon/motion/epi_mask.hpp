#pragma once
// A brain mask for a BOLD run when none is given: the voxels of the temporal
// mean brighter than a fraction of its robust maximum (FSL's convention in
// its FEAT pre-stats, "brain/background threshold, 10 %" of the range from
// the 2nd to the 98th percentile). Crude but deterministic; give --mask for
// anything that matters (DVARS and the carpet plot depend on it).
#include "axon/image/image.hpp"
#include "axon/image/mask.hpp"

namespace axon::motion {

// Voxels of `mean3d` above p2 + fraction (p98 - p2), p = percentiles over
// every voxel. InputError when none is.
Mask intensity_mask(const Image<float>& mean3d, double fraction = 0.1);

// The voxel-wise temporal mean of a 4D series in memory (sums in volume order).
Image<float> series_mean(const Image<float>& series);

}  // namespace axon::motion
