#include "axon/io/masked_series.hpp"

#include <vector>

#include "axon/core/error.hpp"
#include "axon/io/nifti.hpp"

namespace axon {

Eigen::MatrixXf read_masked_series(const std::string& path, const Mask& mask) {
  VolumeReader reader(path);
  require_same_grid(mask.grid, "the mask", grid_of(reader.header()), path);
  const int64_t nt = reader.volumes();
  Eigen::MatrixXf m(static_cast<Eigen::Index>(mask.count()), static_cast<Eigen::Index>(nt));
  std::vector<float> volume(static_cast<size_t>(reader.header().voxels_per_volume()));
  for (int64_t t = 0; t < nt; ++t) {
    reader.read_next(volume.data());
    float* col = m.col(t).data();
    for (size_t r = 0; r < mask.count(); ++r) col[r] = volume[mask.indices[r]];
  }
  return m;
}

}  // namespace axon
