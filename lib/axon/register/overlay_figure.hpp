#pragma once
// The registration check users look at first: the warped moving image in
// grey with the edges of the fixed image drawn on top in red, on three
// orthogonal slices (segment/qc_figure's layout). Where the registration
// worked, the red lines follow the grey image's boundaries (brain surface,
// ventricles, the grey/white border).
#include <cstdint>
#include <vector>

#include "axon/image/image.hpp"
#include "axon/report/raster.hpp"

namespace axon::registration {

// 1 where `image` has an edge, 0 elsewhere: Canny (itk::CannyEdgeDetection-
// ImageFilter) on the image scaled to its 1st-99th percentile, smoothed with
// a Gaussian of 1.5 mm sigma (at least one voxel), hysteresis thresholds at
// the 80th and 92nd percentiles of the smoothed gradient magnitude inside
// the non-zero image, so that the strongest fifth of the boundaries is kept
// on any contrast or scale.
std::vector<int32_t> edge_voxels(const Image<float>& image);

// `warped` is on `fixed`'s grid (InputError otherwise is the caller's job).
Raster registration_overlay_figure(const Image<float>& fixed, const Image<float>& warped);

}  // namespace axon::registration
