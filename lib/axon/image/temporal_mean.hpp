#pragma once
// Voxel-wise temporal mean of a 4D series, streamed volume by volume.
#include <string>

#include "axon/image/image.hpp"

namespace axon {

// The mean over volumes of the series at `path` (float32, 3D, same grid and
// header). Needs at least 2 volumes (InputError otherwise); non-finite
// voxels are an InputError naming the volume.
Image<float> temporal_mean(const std::string& path);

}  // namespace axon
