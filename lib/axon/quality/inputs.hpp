#pragma once
// Input checks shared by axon-motion simulate, score and train.
#include <string>

#include "axon/image/image.hpp"
#include "axon/quality/head_masks.hpp"

namespace axon::quality {

// A 3D structural image as float: a 4D input, NaN/inf voxels or an axis
// shorter than SSIM's 11-voxel window are InputErrors naming `path`.
Image<float> read_structural(const std::string& path);

// A mask on the grid of `image` (voxels > 0); an empty mask or another grid
// is an InputError naming `mask_path`.
ByteMask read_mask_like(const std::string& mask_path, const Image<float>& image, const std::string& image_path);

// The phase-encode voxel axis: "x", "y", "z", or "phase-encode" (the
// header's phase_dim when set, else the second voxel axis, y).
int phase_encode_axis(const std::string& choice, const ImageHeader& header);

}  // namespace axon::quality
