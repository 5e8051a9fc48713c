#include "axon/motion/bold_input.hpp"

#include <algorithm>
#include <cmath>

#include "axon/core/error.hpp"
#include "axon/io/nifti.hpp"

namespace axon::motion {

void require_bold_series(const Image<float>& bold, const std::string& path, int64_t min_volumes) {
  if (bold.header.ndim() < 4)
    throw InputError(path, "is a 3D image: a 4D BOLD series is needed");
  if (bold.nt() < min_volumes)
    throw InputError(path, "has " + std::to_string(bold.nt()) + " volumes: at least " + std::to_string(min_volumes) +
                               " are needed");
  const int64_t nv = bold.voxels_per_volume();
  for (int64_t t = 0; t < bold.nt(); ++t) {
    const float* v = bold.volume(t);
    for (int64_t i = 0; i < nv; ++i)
      if (!std::isfinite(v[i]))
        throw InputError(path, "volume " + std::to_string(t) + " has non-finite (NaN or infinite) voxels");
  }
}

double repetition_time(const ImageHeader& header, const std::string& path, std::optional<double> given) {
  if (given) {
    if (!(*given > 0) || *given > 100) throw UsageError("--tr must be a number of seconds in (0, 100]");
    return *given;
  }
  const std::string problem = header.repetition_time_problem();
  if (!problem.empty()) throw InputError(path, problem + " (give --tr SECONDS)");
  return header.repetition_time();
}

Mask read_mask_on_grid(const std::string& path, const Grid& grid, const std::string& grid_path,
                       std::optional<int> label) {
  auto image = read_volume<float>(path);
  require_same_grid(grid, grid_path, grid_of(image.header), path);
  if (!label) return mask_from_image(image, path);
  for (auto& v : image.data) v = std::isfinite(v) && std::lround(v) == *label ? 1.0f : 0.0f;
  if (std::find(image.data.begin(), image.data.end(), 1.0f) == image.data.end())
    throw InputError(path, "has no voxel with label " + std::to_string(*label));
  return mask_from_image(image, path);
}

}  // namespace axon::motion
