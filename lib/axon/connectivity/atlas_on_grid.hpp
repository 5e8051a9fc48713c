#pragma once
// An atlas placed on the grid of a BOLD series: used as it is when the grids
// match, resampled by nearest neighbour (labels keep their exact values,
// int32 so that AICHA's labels above 127 survive) when they differ.
#include <cstdint>
#include <string>
#include <vector>

#include "axon/image/image.hpp"

namespace axon::connectivity {

struct AtlasOnGrid {
  Image<int32_t> labels;        // 3D, on the BOLD grid
  std::vector<int32_t> values;  // every non-zero label of the atlas as given, ascending
  std::vector<int32_t> lost;    // labels with no voxel left after resampling
  bool resampled = false;
};

// Throws InputError (exit 3) naming `atlas_path` when the atlas is not 3D,
// has no labels, or does not overlap the BOLD grid in world space.
AtlasOnGrid place_atlas(const std::string& atlas_path, const ImageHeader& bold_header);

}  // namespace axon::connectivity
