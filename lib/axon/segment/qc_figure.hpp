#pragma once
// A quality-control figure for brain masks and tissue labels: three
// orthogonal slices (axial, coronal, sagittal, in voxel axes, superior /
// anterior up) through the centre of the labelled region, the image in grey
// (1st to 99th percentile) with the label outlines (one colour per label)
// drawn on top. Pixels are square in mm (anisotropic voxels are stretched).
// No display or fonts are needed.
#include <cstdint>
#include <vector>

#include "axon/image/image.hpp"
#include "axon/report/raster.hpp"

namespace axon::segment {

// `labels` has one value per voxel of `image` (0 = none).
Raster label_overlay_figure(const Image<float>& image, const std::vector<int32_t>& labels);

}  // namespace axon::segment
