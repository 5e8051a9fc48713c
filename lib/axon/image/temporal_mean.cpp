#include "axon/image/temporal_mean.hpp"

#include <cmath>
#include <vector>

#include "axon/core/error.hpp"
#include "axon/core/progress.hpp"
#include "axon/io/nifti.hpp"

namespace axon {

Image<float> temporal_mean(const std::string& path) {
  VolumeReader reader(path);
  const int64_t nt = reader.volumes();
  if (reader.header().ndim() < 4 || nt < 2)
    throw InputError(path, "expected a 4D series with at least 2 volumes, found " + std::to_string(nt) + " volume(s)");
  const size_t n = static_cast<size_t>(reader.header().voxels_per_volume());
  // Accumulate in double: the mean is then independent of summation order
  // limits and exact to float precision even for thousands of volumes.
  std::vector<double> sum(n, 0.0);
  std::vector<float> volume(n);
  Progress progress("temporal mean", static_cast<size_t>(nt));
  for (int64_t t = 0; t < nt; ++t) {
    reader.read_next(volume.data());
    for (size_t i = 0; i < n; ++i) {
      if (!std::isfinite(volume[i]))
        throw InputError(path, "non-finite value (NaN or Inf) in volume " + std::to_string(t));
      sum[i] += volume[i];
    }
    progress.advance();
  }
  Image<float> out;
  out.header = reader.header();
  out.header.set_volumes(1);
  out.header.datatype = static_cast<int>(DataType::float32);
  out.header.scl_slope = 0;
  out.header.scl_inter = 0;
  out.data.resize(n);
  for (size_t i = 0; i < n; ++i) out.data[i] = static_cast<float>(sum[i] / static_cast<double>(nt));
  return out;
}

}  // namespace axon
