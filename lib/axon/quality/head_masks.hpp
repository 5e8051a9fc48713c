#pragma once
// The masks the image quality metrics need when the user gives none: the
// head (everything not air), the air around it, and a stand-in brain mask.
//
// Stand-in, documented: axon-segment's brain extraction (issue 7) had not
// landed when this was written. The default brain mask is the head mask
// eroded by `brain_erosion_mm` (a cube), which removes scalp and most of
// the skull on an adult T1; pass --mask for a real brain mask. It is used
// consistently in training and scoring, so the model does not depend on it
// being anatomically exact.
#include <cstdint>
#include <vector>

#include "axon/image/image.hpp"

namespace axon::quality {

using ByteMask = std::vector<std::uint8_t>;  // one byte per voxel, 1 = inside

// Otsu's threshold (Otsu 1979) of the values on a 256-bin histogram between
// the minimum and maximum.
double otsu_threshold(const float* values, std::size_t n);

// Head: voxels not connected to the volume's border through voxels at or
// below Otsu's threshold (6-connectivity), so that dark tissue inside the
// head (CSF, skull) is head, not air. Air is its complement.
ByteMask head_mask(const Image<float>& image);

// Erosion by a cube of half-width `radius` voxels along each axis
// (separable). Beyond the volume's border counts as outside the mask, or as
// inside when `border_inside`.
ByteMask erode_box(const ByteMask& mask, const int64_t dims[3], const int64_t radius[3], bool border_inside = false);
// Dilation by the same cube (beyond the border is outside).
ByteMask dilate_box(const ByteMask& mask, const int64_t dims[3], const int64_t radius[3]);

// The stand-in brain mask: the head eroded by `erosion_mm`. Falls back to
// the head itself when the erosion leaves fewer than 1000 voxels (small or
// skull-stripped images).
ByteMask default_brain_mask(const Image<float>& image, const ByteMask& head, double erosion_mm = 8.0);

}  // namespace axon::quality
