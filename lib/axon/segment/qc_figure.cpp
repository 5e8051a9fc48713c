#include "axon/segment/qc_figure.hpp"

#include <algorithm>
#include <cmath>

#include "axon/image/grid.hpp"

namespace axon::segment {
namespace {

const Color kPalette[] = {{255, 40, 40}, {40, 220, 40}, {60, 120, 255}, {255, 220, 0}, {255, 0, 255}, {0, 230, 230}};

}  // namespace

Raster label_overlay_figure(const Image<float>& image, const std::vector<int32_t>& labels) {
  const int64_t nx = image.nx(), ny = image.ny(), nz = image.nz();
  const Eigen::Vector3d s = grid_of(image.header).spacing();
  // Slice position: the centre of mass of the labelled voxels (else the middle).
  double c[3] = {0, 0, 0}, count = 0;
  for (int64_t i = 0; i < nx * ny * nz; ++i)
    if (labels[i]) c[0] += i % nx, c[1] += i / nx % ny, c[2] += i / (nx * ny), count += 1;
  const int64_t centre[3] = {count > 0 ? std::llround(c[0] / count) : nx / 2, count > 0 ? std::llround(c[1] / count) : ny / 2,
                             count > 0 ? std::llround(c[2] / count) : nz / 2};
  std::vector<float> sorted(image.data.begin(), image.data.end());
  std::sort(sorted.begin(), sorted.end());
  const double lo = sorted[sorted.size() / 100], hi = std::max<double>(sorted[sorted.size() * 99 / 100], lo + 1e-6);

  const double pixel_mm = std::max(0.5, s.minCoeff());
  // Panels: (horizontal axis, vertical axis, fixed axis).
  const int panels[3][3] = {{0, 1, 2}, {0, 2, 1}, {1, 2, 0}};
  const int64_t dims[3] = {nx, ny, nz};
  int width = 0, height = 0;
  int w[3], h[3];
  for (int p = 0; p < 3; ++p) {
    w[p] = static_cast<int>(std::ceil(dims[panels[p][0]] * s[panels[p][0]] / pixel_mm));
    h[p] = static_cast<int>(std::ceil(dims[panels[p][1]] * s[panels[p][1]] / pixel_mm));
    width += w[p];
    height = std::max(height, h[p]);
  }
  Raster raster(width, height, {0, 0, 0});
  int x0 = 0;
  for (int p = 0; p < 3; ++p) {
    const int a = panels[p][0], b = panels[p][1], f = panels[p][2];
    auto voxel = [&](int px, int py, int64_t v[3]) {
      v[a] = std::min<int64_t>(dims[a] - 1, static_cast<int64_t>((px + 0.5) * pixel_mm / s[a]));
      v[b] = std::min<int64_t>(dims[b] - 1, static_cast<int64_t>((h[p] - 1 - py + 0.5) * pixel_mm / s[b]));
      v[f] = centre[f];
      return (v[2] * ny + v[1]) * nx + v[0];
    };
    std::vector<int32_t> panel_labels(static_cast<std::size_t>(w[p] * h[p]));
    for (int py = 0; py < h[p]; ++py)
      for (int px = 0; px < w[p]; ++px) {
        int64_t v[3];
        const int64_t i = voxel(px, py, v);
        const double g = std::clamp((image.data[i] - lo) / (hi - lo), 0.0, 1.0);
        raster.set(x0 + px, py, gray_map(g));
        panel_labels[py * w[p] + px] = labels[i];
      }
    // Outlines: a pixel whose label differs from a 4-neighbour's.
    for (int py = 0; py < h[p]; ++py)
      for (int px = 0; px < w[p]; ++px) {
        const int32_t l = panel_labels[py * w[p] + px];
        if (l == 0) continue;
        const bool edge = px == 0 || py == 0 || px == w[p] - 1 || py == h[p] - 1 ||
                          panel_labels[py * w[p] + px - 1] != l || panel_labels[py * w[p] + px + 1] != l ||
                          panel_labels[(py - 1) * w[p] + px] != l || panel_labels[(py + 1) * w[p] + px] != l;
        if (edge) raster.set(x0 + px, py, kPalette[(l - 1) % 6]);
      }
    x0 += w[p];
  }
  return raster;
}

}  // namespace axon::segment
