#include "axon/denoise/volume_checks.hpp"

#include <cmath>

#include "axon/core/error.hpp"

namespace axon::denoise {

void require_finite(const Image<float>& image, const std::string& path) {
  const int64_t nx = image.nx(), ny = image.ny(), nz = image.nz();
  for (std::size_t v = 0; v < image.data.size(); ++v) {
    if (std::isfinite(image.data[v])) continue;
    const int64_t n = static_cast<int64_t>(v);
    throw InputError(path, std::string(std::isnan(image.data[v]) ? "NaN" : "infinite value") + " at voxel (" +
                               std::to_string(n % nx) + ", " + std::to_string(n / nx % ny) + ", " +
                               std::to_string(n / (nx * ny) % nz) + "): not allowed here");
  }
}

}  // namespace axon::denoise
