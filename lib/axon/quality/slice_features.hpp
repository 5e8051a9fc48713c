#pragma once
// Features of each axial slice (the third voxel axis, the slices simulate's
// per-slice SSIM is reported for) for the per-slice SSIM regressor: the
// in-plane counterparts of the volume's artefact features (air shadows
// along the two in-plane axes, gradient energy, k-space bands), the
// through-plane gradient at the slice, how much head the slice holds, and
// the volume's own features (motion along the slice axis cannot be seen
// within one slice, only across slices). As for the volume, the two
// in-plane axes are sorted by each statistic: one model serves any
// phase-encode direction.
#include <cstdint>
#include <string>
#include <vector>

#include "axon/image/image.hpp"
#include "axon/quality/features.hpp"
#include "axon/quality/head_masks.hpp"

namespace axon::quality {

// The names, in order: the slice's own features, then "volume_" + each of
// feature_names().
const std::vector<std::string>& slice_feature_names();

// One row per listed slice (every slice when `slices` is empty), row-major
// (rows x slice_feature_names().size()); NaN marks a missing value.
std::vector<float> slice_features(const Image<float>& image, const ByteMask& head, const FeatureVector& volume,
                                  const std::vector<int64_t>& slices = {});

}  // namespace axon::quality
