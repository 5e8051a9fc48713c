#include "axon/quality/slice_ssim.hpp"

#include <cmath>
#include <limits>

namespace axon::quality {
namespace {

// scipy.ndimage 'reflect' (d c b a | a b c d | d c b a).
inline int64_t reflect(int64_t i, int64_t n) {
  const int64_t period = 2 * n;
  int64_t m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}

// Separable Gaussian filter of one nx * ny slice (x then y), reflect borders.
void gaussian_2d(const std::vector<double>& in, int64_t nx, int64_t ny, const std::vector<double>& w, int r,
                 std::vector<double>& tmp, std::vector<double>& out) {
  for (int64_t j = 0; j < ny; ++j)
    for (int64_t i = 0; i < nx; ++i) {
      double s = 0;
      for (int t = -r; t <= r; ++t) s += w[t + r] * in[j * nx + reflect(i + t, nx)];
      tmp[j * nx + i] = s;
    }
  for (int64_t j = 0; j < ny; ++j)
    for (int64_t i = 0; i < nx; ++i) {
      double s = 0;
      for (int t = -r; t <= r; ++t) s += w[t + r] * tmp[reflect(j + t, ny) * nx + i];
      out[j * nx + i] = s;
    }
}

}  // namespace

std::vector<double> slice_ssim(const float* test, const float* ref, const denoise::Dims3& dims, double data_range,
                               const std::vector<std::uint8_t>& mask) {
  const int64_t nx = dims[0], ny = dims[1], nz = dims[2];
  const denoise::SsimParameters p;
  const int r = p.radius();
  std::vector<double> w(2 * r + 1);
  double sum = 0;
  for (int t = -r; t <= r; ++t) sum += w[t + r] = std::exp(-0.5 * t * t / (p.sigma * p.sigma));
  for (double& v : w) v /= sum;
  const double c1 = std::pow(p.k1 * data_range, 2), c2 = std::pow(p.k2 * data_range, 2);
  std::vector<double> result(nz, std::numeric_limits<double>::quiet_NaN());
  if (nx < 2 * r + 1 || ny < 2 * r + 1) return result;
  const int64_t plane = nx * ny;
#pragma omp parallel
  {
    std::vector<double> m[5], f[5], tmp(plane);
    for (int q = 0; q < 5; ++q) m[q].resize(plane), f[q].resize(plane);
#pragma omp for schedule(dynamic)
    for (int64_t k = 0; k < nz; ++k) {
      const float* x = test + k * plane;
      const float* y = ref + k * plane;
      bool any = mask.empty();
      for (int64_t v = 0; v < plane && !any; ++v) any = mask[k * plane + v] != 0;
      if (!any) continue;
      for (int64_t v = 0; v < plane; ++v) {
        const double a = x[v], b = y[v];
        m[0][v] = a, m[1][v] = b, m[2][v] = a * a, m[3][v] = b * b, m[4][v] = a * b;
      }
      for (int q = 0; q < 5; ++q) gaussian_2d(m[q], nx, ny, w, r, tmp, f[q]);
      double total = 0;
      int64_t count = 0;
      for (int64_t j = r; j < ny - r; ++j)
        for (int64_t i = r; i < nx - r; ++i) {
          const int64_t v = j * nx + i;
          if (!mask.empty() && !mask[k * plane + v]) continue;
          const double mx = f[0][v], my = f[1][v];
          const double vx = f[2][v] - mx * mx, vy = f[3][v] - my * my, cxy = f[4][v] - mx * my;
          total += ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
          ++count;
        }
      if (count > 0) result[k] = total / static_cast<double>(count);
    }
  }
  return result;
}

}  // namespace axon::quality
