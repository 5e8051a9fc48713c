#include "axon/motion/tsnr.hpp"

#include <cmath>

#include "axon/core/error.hpp"

namespace axon::motion {

Image<float> tsnr_map(const Image<float>& series) {
  const int64_t nt = series.nt(), nv = series.voxels_per_volume();
  if (nt < 2) throw InputError("", "tSNR needs at least 2 volumes");
  auto out = image_like<float>(series, DataType::float32, 1);
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < nv; ++i) {
    double sum = 0;
    for (int64_t t = 0; t < nt; ++t) sum += series.volume(t)[i];
    const double mean = sum / static_cast<double>(nt);
    double ss = 0;
    for (int64_t t = 0; t < nt; ++t) {
      const double d = series.volume(t)[i] - mean;
      ss += d * d;
    }
    const double sd = std::sqrt(ss / static_cast<double>(nt));
    out.data[i] = sd > 1e-3 ? static_cast<float>(mean / sd) : 0.0f;
  }
  return out;
}

}  // namespace axon::motion
