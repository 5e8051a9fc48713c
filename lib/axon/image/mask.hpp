#pragma once
// Binary masks: which voxels of a grid take part in a computation.
#include <cstdint>
#include <string>
#include <vector>

#include "axon/image/grid.hpp"
#include "axon/image/image.hpp"

namespace axon {

struct Mask {
  Grid grid;
  std::vector<int64_t> indices;  // linear voxel indices inside, ascending
  std::size_t count() const { return indices.size(); }
};

// Voxels with a finite value > 0. An empty mask is an InputError naming `path`.
Mask mask_from_image(const Image<float>& image, const std::string& path);
// Every voxel of the grid.
Mask full_mask(const Grid& grid);

}  // namespace axon
