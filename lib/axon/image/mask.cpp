#include "axon/image/mask.hpp"

#include <cmath>

#include "axon/core/error.hpp"

namespace axon {

Mask mask_from_image(const Image<float>& image, const std::string& path) {
  if (image.nt() > 1) throw InputError(path, "a mask must be 3D, found " + std::to_string(image.nt()) + " volumes");
  Mask m;
  m.grid = grid_of(image.header);
  const int64_t n = image.voxels_per_volume();
  for (int64_t i = 0; i < n; ++i)
    if (std::isfinite(image.data[i]) && image.data[i] > 0) m.indices.push_back(i);
  if (m.indices.empty()) throw InputError(path, "mask is empty (no voxel > 0)");
  return m;
}

Mask full_mask(const Grid& grid) {
  Mask m;
  m.grid = grid;
  m.indices.resize(static_cast<size_t>(grid.voxels()));
  for (int64_t i = 0; i < grid.voxels(); ++i) m.indices[i] = i;
  return m;
}

}  // namespace axon
