#include "axon/quality/features.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>


#include "axon/quality/head_masks.hpp"
#include "axon/quality/line_fft.hpp"

namespace axon::quality {
namespace {
constexpr double kBandEdges[6] = {0.0, 0.05, 0.15, 0.30, 0.50, 1.0001};
constexpr int kBands = 5;

// The IQMs the model reads: those that describe blur and ghosting of the
// whole image (scale-free). The intensity ratios between tissues and the
// background statistics describe the anatomy and the scanner more than the
// motion, and did not transfer to unseen subjects (docs/axon-motion-quality.md,
// bench/quality_feature_subsets.sh), so the model no longer reads them.
std::vector<std::pair<std::string, double>> iqm_features(const std::map<std::string, double>& q) {
  return {{"efc", q.at("efc")},
          {"fwhm_max", std::max({q.at("fwhm_x"), q.at("fwhm_y"), q.at("fwhm_z")})},
          {"fwhm_min", std::min({q.at("fwhm_x"), q.at("fwhm_y"), q.at("fwhm_z")})},
          {"fwhm_avg", q.at("fwhm_avg")}};
}

double nan_value() { return std::numeric_limits<double>::quiet_NaN(); }

// log(a / b) of two positive statistics; NaN (XGBoost's "missing") when
// either is not positive.
double log_ratio(double a, double b) { return a > 0 && b > 0 ? std::log(a / b) : nan_value(); }

// Three per-axis statistics sorted descending.
std::array<double, 3> sorted_desc(std::array<double, 3> v) {
  std::sort(v.begin(), v.end(), [](double x, double y) { return x > y; });
  return v;
}

// Motion and ghosting smear signal along the phase-encode axis only, so
// every artefact feature below compares an axis with the others (a ratio,
// free of the intensity scale and much less of the anatomy), the axes
// sorted by the statistic (the phase-encode axis is not known when scoring).
std::vector<std::pair<std::string, double>> artefact_features(const Image<float>& image, const ByteMask& head,
                                                             const std::array<std::vector<double>, 3>& bands) {
  const int64_t n[3] = {image.nx(), image.ny(), image.nz()};
  const int64_t st[3] = {1, n[0], n[0] * n[1]};
  const std::size_t total = image.data.size();
  const float* x = image.data.data();
  // Air "shadows": air voxels whose line along axis a crosses the head.
  // Ghosts of the head fall in the shadow of the phase-encode axis and,
  // away from the head's other shadows, nowhere else.
  std::vector<std::uint8_t> hit[3];
  for (int a = 0; a < 3; ++a) {
    LineLayout layout{{n[0], n[1], n[2]}, a};
    hit[a].assign(static_cast<std::size_t>(layout.lines()), 0);
    for (int64_t l = 0; l < layout.lines(); ++l) {
      const int64_t s = layout.start(l);
      for (int64_t i = 0; i < n[a] && !hit[a][l]; ++i) hit[a][l] = head[s + i * layout.stride()];
    }
  }
  double head_sum = 0, head_n = 0;
  std::array<double, 3> shadow_sum{0, 0, 0}, shadow_n{0, 0, 0};
  double corner_sum = 0, corner_n = 0;
  for (int64_t k = 0; k < n[2]; ++k)
    for (int64_t j = 0; j < n[1]; ++j)
      for (int64_t i = 0; i < n[0]; ++i) {
        const std::size_t v = static_cast<std::size_t>(i + j * st[1] + k * st[2]);
        const double val = std::max(0.0f, x[v]);
        if (head[v]) {
          head_sum += val, head_n += 1;
          continue;
        }
        // Line indices in LineLayout order (the two other axes, x fastest).
        const bool in[3] = {hit[0][j + k * n[1]] != 0, hit[1][i + k * n[0]] != 0, hit[2][i + j * n[0]] != 0};
        const int count = in[0] + in[1] + in[2];
        if (count == 0) corner_sum += val, corner_n += 1;
        else if (count == 1)
          for (int a = 0; a < 3; ++a)
            if (in[a]) shadow_sum[a] += val, shadow_n[a] += 1;
      }
  const double head_mean = head_n > 0 ? head_sum / head_n : 0;
  std::array<double, 3> shadow{};
  for (int a = 0; a < 3; ++a) shadow[a] = shadow_n[a] >= 20 ? shadow_sum[a] / shadow_n[a] : nan_value();
  const double corner = corner_n >= 20 ? corner_sum / corner_n : nan_value();
  // NaN axes sort last.
  std::array<double, 3> g = shadow;
  std::sort(g.begin(), g.end(), [](double p, double q) { return !std::isnan(p) && (std::isnan(q) || p > q); });

  // Gradient energy along each axis inside the head: first differences
  // (edges, ringing) and second differences (the finest ripples of the
  // ghosts), relative to the head's variance.
  std::array<double, 3> d1{0, 0, 0}, d2{0, 0, 0}, cnt1{0, 0, 0}, cnt2{0, 0, 0};
  double mean = head_mean, var = 0;
  for (std::size_t v = 0; v < total; ++v)
    if (head[v]) var += (x[v] - mean) * (x[v] - mean);
  var = head_n > 1 ? var / head_n : 0;
  for (int a = 0; a < 3; ++a) {
    for (int64_t k = 0; k < n[2]; ++k)
      for (int64_t j = 0; j < n[1]; ++j)
        for (int64_t i = 0; i < n[0]; ++i) {
          const int64_t c[3] = {i, j, k};
          if (c[a] + 1 >= n[a]) continue;
          const std::size_t v = static_cast<std::size_t>(i + j * st[1] + k * st[2]);
          if (!head[v] || !head[v + st[a]]) continue;
          const double f = x[v + st[a]] - x[v];
          d1[a] += f * f, cnt1[a] += 1;
          if (c[a] >= 1 && head[v - st[a]]) {
            const double s2 = x[v + st[a]] - 2.0 * x[v] + x[v - st[a]];
            d2[a] += s2 * s2, cnt2[a] += 1;
          }
        }
    d1[a] = cnt1[a] > 0 && var > 0 ? d1[a] / cnt1[a] / var : nan_value();
    d2[a] = cnt2[a] > 0 && var > 0 ? d2[a] / cnt2[a] / var : nan_value();
  }
  std::array<double, 3> rough{};
  for (int a = 0; a < 3; ++a) rough[a] = d1[a] > 0 ? d2[a] / d1[a] : nan_value();
  const auto s1 = sorted_desc(d1), s2 = sorted_desc(d2), sr = sorted_desc(rough);

  // k-space: the spectra along the axis whose high bands hold the most
  // energy against the other two (log ratios per band).
  std::vector<std::pair<std::string, double>> out;
  out.push_back({"ghost_shadow_max_mid", log_ratio(g[0], g[1])});
  out.push_back({"ghost_shadow_mid_min", log_ratio(g[1], g[2])});
  out.push_back({"ghost_shadow_max_corner", log_ratio(g[0], corner)});
  out.push_back({"ghost_shadow_max_head", log_ratio(g[0], head_mean)});
  out.push_back({"ghost_shadow_mid_head", log_ratio(g[1], head_mean)});
  out.push_back({"ghost_corner_head", log_ratio(corner, head_mean)});
  out.push_back({"grad1_max_mid", log_ratio(s1[0], s1[1])});
  out.push_back({"grad1_mid_min", log_ratio(s1[1], s1[2])});
  out.push_back({"grad1_max", std::log(std::max(s1[0], 1e-12))});
  out.push_back({"grad2_max_mid", log_ratio(s2[0], s2[1])});
  out.push_back({"grad2_mid_min", log_ratio(s2[1], s2[2])});
  out.push_back({"rough_max_mid", log_ratio(sr[0], sr[1])});
  out.push_back({"rough_max", sr[0]});
  for (int b = 2; b < kBands; ++b) {
    std::array<double, 3> v{bands[0][b], bands[1][b], bands[2][b]};
    v = sorted_desc(v);
    const std::string base = "kspace_band" + std::to_string(b) + "_";
    out.push_back({base + "max_mid", log_ratio(v[0], v[1])});
    out.push_back({base + "mid_min", log_ratio(v[1], v[2])});
  }
  return out;
}
}  // namespace

std::vector<double> kspace_band_fractions(const Image<float>& image, int axis) {
  LineLayout layout{{image.nx(), image.ny(), image.nz()}, axis};
  const int64_t n = layout.length(), lines = layout.lines(), stride = layout.stride();
  // Lines are summed in fixed blocks, then the blocks in order: the same
  // additions in the same order for any thread count.
  constexpr int64_t kBlocks = 64;
  std::vector<double> block_power(static_cast<std::size_t>(kBlocks * n), 0.0);
  const float* src = image.data.data();
#pragma omp parallel
  {
    LineFft fft(n);
    cfloat* buf = fft.buffer();
#pragma omp for schedule(static)
    for (int64_t blk = 0; blk < kBlocks; ++blk) {
      double* acc = block_power.data() + blk * n;
      for (int64_t l = lines * blk / kBlocks; l < lines * (blk + 1) / kBlocks; ++l) {
        const int64_t s = layout.start(l);
        for (int64_t i = 0; i < n; ++i) buf[i] = cfloat(src[s + i * stride], 0.0f);
        fft.forward();
        for (int64_t b = 0; b < n; ++b) acc[b] += std::norm(buf[b]);
      }
    }
  }
  std::vector<double> power(n, 0.0);
  for (int64_t blk = 0; blk < kBlocks; ++blk)
    for (int64_t b = 0; b < n; ++b) power[b] += block_power[blk * n + b];
  return band_fractions_of_power(power);
}

std::vector<double> band_fractions_of_power(const std::vector<double>& power) {
  const int64_t n = static_cast<int64_t>(power.size());
  std::vector<double> bands(kBands, 0.0);
  double total = 0;
  for (int64_t b = 1; b < n; ++b) {
    const double r = std::abs(static_cast<double>(signed_frequency(b, n))) / (n / 2.0);
    for (int k = 0; k < kBands; ++k)
      if (r > kBandEdges[k] && r <= kBandEdges[k + 1]) bands[k] += power[b];
    total += power[b];
  }
  for (double& v : bands) v = total > 0 ? v / total : 0.0;
  return bands;
}

const std::vector<std::string>& feature_names() {
  static const std::vector<std::string> names = [] {
    Image<float> probe;
    probe.header.dim = {3, 16, 16, 16, 1, 1, 1, 1};
    probe.header.pixdim = {1, 1, 1, 1, 1, 1, 1, 1};
    probe.data.assign(16 * 16 * 16, 1.0f);
    std::map<std::string, double> q;
    for (const char* k : {"efc", "fwhm_x", "fwhm_y", "fwhm_z", "fwhm_avg"})
      q[k] = 1.0;
    const ByteMask head(probe.data.size(), 1);
    return image_features(probe, head, q).names;
  }();
  return names;
}

FeatureVector image_features(const Image<float>& image, const ByteMask& head, const std::map<std::string, double>& iqms) {
  std::array<std::vector<double>, 3> bands;
  for (int a = 0; a < 3; ++a) bands[a] = kspace_band_fractions(image, a);
  FeatureVector f;
  for (auto part : {iqm_features(iqms), artefact_features(image, head, bands)})
    for (auto& [name, value] : part) f.names.push_back(name), f.values.push_back(value);
  return f;
}

}  // namespace axon::quality
