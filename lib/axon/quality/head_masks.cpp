#include "axon/quality/head_masks.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>

#include "axon/image/grid.hpp"

namespace axon::quality {

double otsu_threshold(const float* values, std::size_t n) {
  float lo = values[0], hi = values[0];
  for (std::size_t i = 1; i < n; ++i) lo = std::min(lo, values[i]), hi = std::max(hi, values[i]);
  if (!(hi > lo)) return lo;
  constexpr int bins = 256;
  std::array<double, bins> hist{};
  const double scale = bins / (static_cast<double>(hi) - lo);
  for (std::size_t i = 0; i < n; ++i)
    hist[std::min(bins - 1, static_cast<int>((values[i] - lo) * scale))] += 1;
  double total_mean = 0;
  for (int b = 0; b < bins; ++b) total_mean += b * hist[b];
  total_mean /= static_cast<double>(n);
  double w0 = 0, mu0 = 0, best = -1;
  int best_bin = 0;
  for (int b = 0; b < bins - 1; ++b) {
    w0 += hist[b] / static_cast<double>(n);
    mu0 += b * hist[b] / static_cast<double>(n);
    const double w1 = 1 - w0;
    if (w0 <= 0 || w1 <= 0) continue;
    const double m0 = mu0 / w0, m1 = (total_mean - mu0) / w1;
    const double between = w0 * w1 * (m0 - m1) * (m0 - m1);
    if (between > best) best = between, best_bin = b;
  }
  return lo + (best_bin + 1) / scale;  // upper edge of the last background bin
}

ByteMask head_mask(const Image<float>& image) {
  const int64_t nx = image.nx(), ny = image.ny(), nz = image.nz();
  const std::size_t n = static_cast<std::size_t>(nx * ny * nz);
  const double t = otsu_threshold(image.data.data(), n);
  ByteMask air(n, 0);
  std::deque<int64_t> queue;
  auto seed = [&](int64_t i, int64_t j, int64_t k) {
    const int64_t v = (k * ny + j) * nx + i;
    if (!air[v] && image.data[v] <= t) air[v] = 1, queue.push_back(v);
  };
  for (int64_t k = 0; k < nz; ++k)
    for (int64_t j = 0; j < ny; ++j)
      for (int64_t i = 0; i < nx; ++i)
        if (i == 0 || j == 0 || k == 0 || i == nx - 1 || j == ny - 1 || k == nz - 1) seed(i, j, k);
  while (!queue.empty()) {
    const int64_t v = queue.front();
    queue.pop_front();
    const int64_t i = v % nx, j = (v / nx) % ny, k = v / (nx * ny);
    if (i > 0) seed(i - 1, j, k);
    if (i + 1 < nx) seed(i + 1, j, k);
    if (j > 0) seed(i, j - 1, k);
    if (j + 1 < ny) seed(i, j + 1, k);
    if (k > 0) seed(i, j, k - 1);
    if (k + 1 < nz) seed(i, j, k + 1);
  }
  ByteMask head(n);
  for (std::size_t v = 0; v < n; ++v) head[v] = air[v] ? 0 : 1;
  return head;
}

ByteMask erode_box(const ByteMask& mask, const int64_t dims[3], const int64_t radius[3], bool border_inside) {
  ByteMask cur = mask, next(mask.size());
  const int64_t strides[3] = {1, dims[0], dims[0] * dims[1]};
  for (int axis = 0; axis < 3; ++axis) {
    const int64_t n = dims[axis], r = radius[axis], s = strides[axis];
    if (r <= 0) continue;
    const int64_t lines = dims[0] * dims[1] * dims[2] / n;
    const int a = axis == 0 ? 1 : 0, b = axis == 2 ? 1 : 2;
#pragma omp parallel for schedule(static)
    for (int64_t l = 0; l < lines; ++l) {
      const int64_t start = (l % dims[a]) * strides[a] + (l / dims[a]) * strides[b];
      // Distance to the last outside voxel, scanning both ways.
      std::vector<int64_t> left(n), right(n);
      int64_t last = -1;
      for (int64_t i = 0; i < n; ++i) {
        if (!cur[start + i * s]) last = i;
        left[i] = last < 0 ? (border_inside ? n + r + 1 : i + 1) : i - last;
      }
      last = n;
      for (int64_t i = n - 1; i >= 0; --i) {
        if (!cur[start + i * s]) last = i;
        right[i] = last >= n ? (border_inside ? n + r + 1 : n - i) : last - i;
      }
      for (int64_t i = 0; i < n; ++i) next[start + i * s] = (left[i] > r && right[i] > r) ? 1 : 0;
    }
    std::swap(cur, next);
  }
  return cur;
}

ByteMask dilate_box(const ByteMask& mask, const int64_t dims[3], const int64_t radius[3]) {
  ByteMask inverse(mask.size());
  for (std::size_t v = 0; v < mask.size(); ++v) inverse[v] = mask[v] ? 0 : 1;
  ByteMask eroded = erode_box(inverse, dims, radius, true);
  for (auto& v : eroded) v = v ? 0 : 1;
  return eroded;
}

ByteMask default_brain_mask(const Image<float>& image, const ByteMask& head, double erosion_mm) {
  const Eigen::Vector3d spacing = grid_of(image.header).spacing();
  const int64_t dims[3] = {image.nx(), image.ny(), image.nz()};
  int64_t radius[3];
  for (int a = 0; a < 3; ++a) radius[a] = static_cast<int64_t>(std::lround(erosion_mm / std::max(spacing[a], 1e-6)));
  ByteMask brain = erode_box(head, dims, radius);
  std::size_t count = 0;
  for (auto v : brain) count += v;
  return count >= 1000 ? brain : head;
}

}  // namespace axon::quality
