#pragma once
// Checks a BOLD series must pass before motion correction, each failing
// with one InputError line naming the file (exit code 3), so that nothing
// is computed, let alone written, from unusable input.
#include <optional>
#include <string>

#include "axon/image/image.hpp"
#include "axon/image/mask.hpp"

namespace axon::motion {

// 4D, at least `min_volumes` volumes, every voxel of every volume finite
// (a NaN-filled volume is named by its index).
void require_bold_series(const Image<float>& bold, const std::string& path, int64_t min_volumes = 3);

// The repetition time in seconds: `given` (--tr) when set (must be > 0 and
// <= 100 s), else the header's; a header without a TR or with an
// implausible one (docs/conventions.md) is an InputError asking for --tr.
double repetition_time(const ImageHeader& header, const std::string& path, std::optional<double> given);

// A mask image read from `path` that must lie on `grid`: its voxels > 0,
// or with `label` the voxels whose value is that label (one tissue of a
// segmentation, e.g. axon-segment tissue's 1 CSF / 3 WM). Empty: InputError.
Mask read_mask_on_grid(const std::string& path, const Grid& grid, const std::string& grid_path,
                       std::optional<int> label = std::nullopt);

}  // namespace axon::motion
