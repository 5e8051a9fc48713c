#pragma once
// SSIM of each axial slice (the third voxel axis) of a test volume against a
// reference: 2D SSIM as scikit-image computes it on one slice
// (structural_similarity with gaussian_weights=True, sigma=1.5,
// use_sample_covariance=False, data_range given), averaged over the voxels
// of the slice's cropped region (radius 5 from the in-plane border) that
// are inside the mask. The seed paper scores slices; the 3D figure comes
// from axon::denoise::structural_similarity, and
// denoise::structural_similarity_with_slices gives both for the cost of one
// (what simulate uses); this is denoise::slice_structural_similarity.
#include <cstdint>
#include <vector>

#include "axon/denoise/image_quality.hpp"

namespace axon::quality {

// One value per slice; NaN where no voxel of the slice's cropped region is
// inside the mask (or a slice is narrower than the 11-voxel window).
std::vector<double> slice_ssim(const float* test, const float* ref, const denoise::Dims3& dims, double data_range,
                               const std::vector<std::uint8_t>& mask = {});

}  // namespace axon::quality
