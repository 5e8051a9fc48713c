#include "axon/motion/epi_mask.hpp"

#include <algorithm>
#include <vector>

#include "axon/core/error.hpp"

namespace axon::motion {
namespace {

double percentile(std::vector<float> v, double p) {
  const std::size_t k = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

Mask intensity_mask(const Image<float>& mean3d, double fraction) {
  const double p2 = percentile(mean3d.data, 2), p98 = percentile(mean3d.data, 98);
  const double threshold = p2 + fraction * (p98 - p2);
  Mask mask{grid_of(mean3d.header), {}};
  for (std::size_t i = 0; i < mean3d.data.size(); ++i)
    if (mean3d.data[i] > threshold) mask.indices.push_back(static_cast<int64_t>(i));
  if (mask.indices.empty()) throw InputError("", "no voxel stands out of the background: give --mask");
  return mask;
}

Image<float> series_mean(const Image<float>& series) {
  auto mean = image_like<float>(series, DataType::float32, 1);
  const int64_t nv = series.voxels_per_volume(), nt = series.nt();
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < nv; ++i) {
    double sum = 0;
    for (int64_t t = 0; t < nt; ++t) sum += series.volume(t)[i];
    mean.data[i] = static_cast<float>(sum / static_cast<double>(nt));
  }
  return mean;
}

}  // namespace axon::motion
