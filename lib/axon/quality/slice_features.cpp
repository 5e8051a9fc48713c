#include "axon/quality/slice_features.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "axon/quality/line_fft.hpp"

namespace axon::quality {
namespace {
constexpr int kBands = 5;  // kspace_band_fractions' bands
constexpr double kMinVoxels = 20;  // a region smaller than this gives a missing feature

double nan_value() { return std::numeric_limits<double>::quiet_NaN(); }
double log_ratio(double a, double b) { return a > 0 && b > 0 ? std::log(a / b) : nan_value(); }

const std::vector<std::string>& own_names() {
  static const std::vector<std::string> names = {
      "slice_head_fraction", "slice_head_relative", "slice_shadow_max_min", "slice_shadow_max_corner",
      "slice_shadow_max_head", "slice_shadow_corner_head", "slice_grad1_max_min", "slice_grad1_max",
      "slice_grad2_max_min", "slice_rough_max", "slice_grad1_through_in", "slice_kspace_band2_max_min",
      "slice_kspace_band3_max_min", "slice_kspace_band4_max_min"};
  return names;
}

// Energy fractions (DC excluded, kspace_band_fractions' bands) of the summed
// power spectra of `lines` lines of length n, read from `src` with the
// given line start step and sample stride.
std::vector<double> band_fractions(LineFft& fft, const float* src, int64_t lines, int64_t line_step, int64_t stride) {
  const int64_t n = fft.size();
  std::vector<double> power(static_cast<std::size_t>(n), 0.0);
  cfloat* buf = fft.buffer();
  for (int64_t l = 0; l < lines; ++l) {
    for (int64_t i = 0; i < n; ++i) buf[i] = cfloat(src[l * line_step + i * stride], 0.0f);
    fft.forward();
    for (int64_t b = 0; b < n; ++b) power[b] += std::norm(buf[b]);
  }
  return band_fractions_of_power(power);
}

// The slice's own features (own_names() order).
std::vector<double> one_slice(const Image<float>& image, const ByteMask& head, int64_t z, double max_head_count,
                              LineFft& fft_x, LineFft& fft_y) {
  const int64_t nx = image.nx(), ny = image.ny(), nz = image.nz();
  const std::size_t base = static_cast<std::size_t>(z * nx * ny);
  const float* x = image.data.data() + base;
  const std::uint8_t* h = head.data() + base;
  std::vector<std::uint8_t> row_hit(static_cast<std::size_t>(ny), 0), col_hit(static_cast<std::size_t>(nx), 0);
  double hn = 0, hsum = 0;
  for (int64_t j = 0; j < ny; ++j)
    for (int64_t i = 0; i < nx; ++i)
      if (h[i + j * nx]) row_hit[j] = col_hit[i] = 1, hn += 1, hsum += std::max(0.0f, x[i + j * nx]);
  const double head_mean = hn > 0 ? hsum / hn : 0;
  double var = 0;
  for (int64_t v = 0; v < nx * ny; ++v)
    if (h[v]) var += (x[v] - head_mean) * (x[v] - head_mean);
  var = hn > 1 ? var / hn : 0;

  // In-plane air shadows (features.cpp explains the idea in 3D).
  std::array<double, 2> shadow_sum{0, 0}, shadow_n{0, 0};
  double corner_sum = 0, corner_n = 0;
  for (int64_t j = 0; j < ny; ++j)
    for (int64_t i = 0; i < nx; ++i) {
      if (h[i + j * nx]) continue;
      const double val = std::max(0.0f, x[i + j * nx]);
      const bool along_x = row_hit[j] != 0, along_y = col_hit[i] != 0;
      if (along_x == along_y) {
        if (!along_x) corner_sum += val, corner_n += 1;
      } else {
        const int a = along_x ? 0 : 1;
        shadow_sum[a] += val, shadow_n[a] += 1;
      }
    }
  std::array<double, 2> shadow{};
  for (int a = 0; a < 2; ++a) shadow[a] = shadow_n[a] >= kMinVoxels ? shadow_sum[a] / shadow_n[a] : nan_value();
  const double corner = corner_n >= kMinVoxels ? corner_sum / corner_n : nan_value();
  const double s_max = std::isnan(shadow[1]) || shadow[0] > shadow[1] ? shadow[0] : shadow[1];
  const double s_min = std::isnan(shadow[1]) || shadow[0] > shadow[1] ? shadow[1] : shadow[0];

  // Gradient energy inside the head, in-plane and through the slice.
  std::array<double, 2> d1{0, 0}, d2{0, 0}, c1{0, 0}, c2{0, 0};
  double dz = 0, cz = 0;
  const int64_t step[2] = {1, nx};
  const int64_t zstep = z + 1 < nz ? nx * ny : -nx * ny;  // the next slice, or the previous one for the last
  for (int64_t j = 0; j < ny; ++j)
    for (int64_t i = 0; i < nx; ++i) {
      const int64_t v = i + j * nx;
      if (!h[v]) continue;
      const int64_t c[2] = {i, j}, n[2] = {nx, ny};
      for (int a = 0; a < 2; ++a) {
        if (c[a] + 1 >= n[a] || !h[v + step[a]]) continue;
        const double f = x[v + step[a]] - x[v];
        d1[a] += f * f, c1[a] += 1;
        if (c[a] >= 1 && h[v - step[a]]) {
          const double s2 = x[v + step[a]] - 2.0 * x[v] + x[v - step[a]];
          d2[a] += s2 * s2, c2[a] += 1;
        }
      }
      if (nz > 1 && h[v + zstep]) {
        const double f = x[v + zstep] - x[v];
        dz += f * f, cz += 1;
      }
    }
  for (int a = 0; a < 2; ++a) {
    d1[a] = c1[a] >= kMinVoxels && var > 0 ? d1[a] / c1[a] / var : nan_value();
    d2[a] = c2[a] >= kMinVoxels && var > 0 ? d2[a] / c2[a] / var : nan_value();
  }
  dz = cz >= kMinVoxels && var > 0 ? dz / cz / var : nan_value();
  const double rough0 = d1[0] > 0 ? d2[0] / d1[0] : nan_value(), rough1 = d1[1] > 0 ? d2[1] / d1[1] : nan_value();

  // k-space along the rows (x) and the columns (y) of the slice.
  const auto bx = band_fractions(fft_x, x, ny, nx, 1);
  const auto by = band_fractions(fft_y, x, nx, 1, nx);

  // NaN when either is missing (std::max/min would keep one of them,
  // depending on the order of the axes).
  auto max_min = [](double a, double b) {
    return std::isnan(a) || std::isnan(b) ? nan_value() : log_ratio(std::max(a, b), std::min(a, b));
  };
  std::vector<double> f;
  f.push_back(hn / static_cast<double>(nx * ny));
  f.push_back(max_head_count > 0 ? hn / max_head_count : 0.0);
  f.push_back(log_ratio(s_max, s_min));
  f.push_back(log_ratio(s_max, corner));
  f.push_back(log_ratio(s_max, head_mean));
  f.push_back(log_ratio(corner, head_mean));
  f.push_back(max_min(d1[0], d1[1]));
  f.push_back(std::isnan(d1[0]) || std::isnan(d1[1]) ? nan_value() : std::log(std::max({d1[0], d1[1], 1e-12})));
  f.push_back(max_min(d2[0], d2[1]));
  f.push_back(std::isnan(rough0) || std::isnan(rough1) ? nan_value() : std::max(rough0, rough1));
  f.push_back(log_ratio(dz, 0.5 * (d1[0] + d1[1])));
  for (int b = 2; b < kBands; ++b) f.push_back(max_min(bx[b], by[b]));
  return f;
}
}  // namespace

const std::vector<std::string>& slice_feature_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all = own_names();
    for (const auto& n : feature_names()) all.push_back("volume_" + n);
    return all;
  }();
  return names;
}

std::vector<float> slice_features(const Image<float>& image, const ByteMask& head, const FeatureVector& volume,
                                  const std::vector<int64_t>& slices) {
  const int64_t nx = image.nx(), ny = image.ny(), nz = image.nz();
  std::vector<int64_t> list = slices;
  if (list.empty())
    for (int64_t z = 0; z < nz; ++z) list.push_back(z);
  double max_head_count = 0;
  for (int64_t z = 0; z < nz; ++z) {
    double count = 0;
    for (int64_t v = z * nx * ny; v < (z + 1) * nx * ny; ++v) count += head[v];
    max_head_count = std::max(max_head_count, count);
  }
  const std::size_t cols = slice_feature_names().size(), own = own_names().size();
  std::vector<float> out(list.size() * cols);
  // Each slice fills its own row: the same values for any thread count.
#pragma omp parallel
  {
    LineFft fft_x(nx), fft_y(ny);
#pragma omp for schedule(dynamic, 1)
    for (int64_t r = 0; r < static_cast<int64_t>(list.size()); ++r) {
      const auto f = one_slice(image, head, list[r], max_head_count, fft_x, fft_y);
      float* row = out.data() + r * cols;
      for (std::size_t c = 0; c < own; ++c) row[c] = static_cast<float>(f[c]);
      for (std::size_t c = 0; c < volume.values.size(); ++c) row[own + c] = static_cast<float>(volume.values[c]);
    }
  }
  return out;
}

}  // namespace axon::quality
