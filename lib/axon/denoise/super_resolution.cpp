#include "axon/denoise/super_resolution.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "axon/denoise/nlm.hpp"
#include "axon/image/resample.hpp"

namespace axon::denoise {

Grid upsampled_grid(const Grid& lr, const Factors& factor) {
  Grid hr;
  Eigen::Matrix4d scale = Eigen::Matrix4d::Identity();
  for (int a = 0; a < 3; ++a) {
    if (factor[a] < 1) throw std::invalid_argument("super-resolution factors must be >= 1");
    hr.dims[a] = lr.dims[a] * factor[a];
    // lr index = hr index / f + (1 / f - 1) / 2
    scale(a, a) = 1.0 / factor[a];
    scale(a, 3) = (1.0 / factor[a] - 1.0) / 2.0;
  }
  hr.affine = lr.affine * scale;
  return hr;
}

std::vector<float> block_mean_downsample(const std::vector<float>& hr, const std::array<int64_t, 3>& d,
                                         const Factors& f) {
  for (int a = 0; a < 3; ++a)
    if (f[a] < 1 || d[a] % f[a]) throw std::invalid_argument("block averaging: dims not a multiple of the factor");
  const int64_t lx = d[0] / f[0], ly = d[1] / f[1], lz = d[2] / f[2];
  std::vector<float> lr(static_cast<std::size_t>(lx * ly * lz));
  const double norm = 1.0 / (f[0] * f[1] * f[2]);
#pragma omp parallel for schedule(static)
  for (int64_t k = 0; k < lz; ++k)
    for (int64_t j = 0; j < ly; ++j)
      for (int64_t i = 0; i < lx; ++i) {
        double s = 0;
        for (int64_t c = k * f[2]; c < (k + 1) * f[2]; ++c)
          for (int64_t b = j * f[1]; b < (j + 1) * f[1]; ++b)
            for (int64_t a = i * f[0]; a < (i + 1) * f[0]; ++a) s += hr[static_cast<std::size_t>((c * d[1] + b) * d[0] + a)];
        lr[static_cast<std::size_t>((k * ly + j) * lx + i)] = static_cast<float>(s * norm);
      }
  return lr;
}

namespace {

// y += the LR residual spread over each block: afterwards D(y) = lr exactly.
// Returns the mean absolute change.
double back_project(std::vector<float>& y, const std::array<int64_t, 3>& d, const std::vector<float>& lr,
                    const Factors& f) {
  const std::vector<float> current = block_mean_downsample(y, d, f);
  const int64_t lx = d[0] / f[0], ly = d[1] / f[1], lz = d[2] / f[2];
  double change = 0;
#pragma omp parallel for schedule(static) reduction(+ : change)
  for (int64_t k = 0; k < lz; ++k)
    for (int64_t j = 0; j < ly; ++j)
      for (int64_t i = 0; i < lx; ++i) {
        const std::size_t v = static_cast<std::size_t>((k * ly + j) * lx + i);
        const float r = lr[v] - current[v];
        change += std::abs(r) * f[0] * f[1] * f[2];
        for (int64_t c = k * f[2]; c < (k + 1) * f[2]; ++c)
          for (int64_t b = j * f[1]; b < (j + 1) * f[1]; ++b)
            for (int64_t a = i * f[0]; a < (i + 1) * f[0]; ++a) y[static_cast<std::size_t>((c * d[1] + b) * d[0] + a)] += r;
      }
  return change / static_cast<double>(y.size());
}

}  // namespace

SrResult super_resolve(const Image<float>& lr, const Factors& factor, const SrOptions& options) {
  if (lr.nt() != 1) throw std::invalid_argument("super-resolution takes a 3D volume");
  const Grid hr_grid = upsampled_grid(grid_of(lr.header), factor);
  SrResult result;
  // 1. cubic B-spline interpolation (ITK, with its prefilter).
  result.image = resample_like(lr, header_for_grid(lr.header, hr_grid), Interpolation::bspline, 0.0f);
  result.image.header.datatype = static_cast<int>(DataType::float32);
  result.image.header.scl_slope = 0;
  result.image.header.scl_inter = 0;
  if (options.method == SrMethod::bspline) return result;

  std::vector<float>& y = result.image.data;
  const std::array<int64_t, 3> d = hr_grid.dims;
  const auto [lo, hi] = std::minmax_element(lr.data.begin(), lr.data.end());
  const double range = static_cast<double>(*hi) - *lo, mean_abs = [&] {
    double s = 0;
    for (float v : lr.data) s += std::abs(v);
    return s / static_cast<double>(lr.data.size());
  }();
  back_project(y, d, lr.data, factor);
  NlmOptions nlm;
  nlm.model = NoiseModel::gaussian;  // the HR estimate carries interpolation error, not Rician noise
  nlm.search_radius = options.search_radius;
  double h = options.initial_h_fraction * range;
  for (int it = 0; it < options.iterations; ++it, h *= options.h_decay) {
    // 2a. non-local reconstruction; 2b. data consistency.
    y = nlm_denoise(y.data(), {d[0], d[1], d[2]}, std::vector<float>(y.size(), static_cast<float>(h)), {}, nlm);
    const double change = back_project(y, d, lr.data, factor);
    result.iterations = it + 1;
    if (change < options.tolerance * mean_abs) break;
  }
  return result;
}

}  // namespace axon::denoise
