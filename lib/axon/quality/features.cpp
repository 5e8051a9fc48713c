#include "axon/quality/features.hpp"

#include <algorithm>
#include <cmath>


#include "axon/denoise/dwt3d.hpp"
#include "axon/quality/line_fft.hpp"

namespace axon::quality {
namespace {
constexpr double kBandEdges[6] = {0.0, 0.05, 0.15, 0.30, 0.50, 1.0001};
constexpr int kBands = 5;
constexpr int kWaveletLevels = 2;

double safe_log(double x) { return std::log(std::max(x, 1e-12)); }

// The IQMs the model reads, each made free of the intensity scale.
std::vector<std::pair<std::string, double>> iqm_features(const std::map<std::string, double>& q) {
  const double wm = q.at("summary_wm_median");
  auto rel = [&](const char* name) { return wm != 0 ? q.at(name) / wm : 0.0; };
  return {{"cjv", q.at("cjv")},
          {"cnr", q.at("cnr")},
          {"efc", q.at("efc")},
          {"log_fber", safe_log(std::abs(q.at("fber")))},
          {"qi_1", q.at("qi_1")},
          {"snr_total", q.at("snr_total")},
          {"log_snrd_total", safe_log(std::abs(q.at("snrd_total")))},
          {"wm2max", q.at("wm2max")},
          {"fwhm_max", std::max({q.at("fwhm_x"), q.at("fwhm_y"), q.at("fwhm_z")})},
          {"fwhm_min", std::min({q.at("fwhm_x"), q.at("fwhm_y"), q.at("fwhm_z")})},
          {"fwhm_avg", q.at("fwhm_avg")},
          {"inu_range", q.at("inu_range")},
          {"bg_mean_wm", rel("summary_bg_mean")},
          {"bg_stdv_wm", rel("summary_bg_stdv")},
          {"bg_p95_wm", rel("summary_bg_p95")},
          {"bg_k", q.at("summary_bg_k")},
          {"gm_wm", rel("summary_gm_median")},
          {"csf_wm", rel("summary_csf_median")},
          {"wm_mad_wm", rel("summary_wm_mad")},
          {"gm_mad_wm", rel("summary_gm_mad")},
          {"csf_mad_wm", rel("summary_csf_mad")},
          {"wm_k", q.at("summary_wm_k")},
          {"gm_k", q.at("summary_gm_k")}};
}

// Per band: max, median, min over the three axes.
std::vector<std::pair<std::string, double>> kspace_features(const Image<float>& image) {
  std::vector<std::vector<double>> per_axis;
  for (int a = 0; a < 3; ++a) per_axis.push_back(kspace_band_fractions(image, a));
  std::vector<std::pair<std::string, double>> out;
  for (int b = 0; b < kBands; ++b) {
    double v[3] = {safe_log(per_axis[0][b]), safe_log(per_axis[1][b]), safe_log(per_axis[2][b])};
    std::sort(v, v + 3);
    const std::string base = "kspace_band" + std::to_string(b) + "_";
    out.push_back({base + "max", v[2]});
    out.push_back({base + "mid", v[1]});
    out.push_back({base + "min", v[0]});
  }
  return out;
}

// Per level: log energy fraction of the detail bands with 1, 2 and 3 high
// passes, and the largest and smallest of the three single-axis bands.
std::vector<std::pair<std::string, double>> wavelet_features(const Image<float>& image) {
  std::vector<double> volume(image.data.begin(), image.data.end());
  const denoise::Dims3 dims{image.nx(), image.ny(), image.nz()};
  const auto pyramid = denoise::dwt3d_forward(std::move(volume), dims, denoise::Wavelet::haar, kWaveletLevels);
  auto energy = [](const denoise::SubBand& s) {
    double e = 0;
    for (double x : s.data) e += x * x;
    return e;
  };
  double total = energy(pyramid.approximation);
  std::vector<std::array<double, 8>> e(kWaveletLevels);
  for (int l = 1; l <= kWaveletLevels; ++l)
    for (int code = 1; code <= denoise::kDetailBands; ++code) total += e[l - 1][code] = energy(pyramid.detail(l, code));
  std::vector<std::pair<std::string, double>> out;
  for (int l = 1; l <= kWaveletLevels; ++l) {
    double by_count[4] = {0, 0, 0, 0};
    double single[3];
    int s = 0;
    for (int code = 1; code <= denoise::kDetailBands; ++code) {
      const int highs = __builtin_popcount(code);
      by_count[highs] += e[l - 1][code];
      if (highs == 1) single[s++] = e[l - 1][code];
    }
    std::sort(single, single + 3);
    const std::string base = "dwt_level" + std::to_string(l) + "_";
    for (int h = 1; h <= 3; ++h) out.push_back({base + std::to_string(h) + "high", safe_log(by_count[h] / total)});
    out.push_back({base + "single_max", safe_log(single[2] / total)});
    out.push_back({base + "single_min", safe_log(single[0] / total)});
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
    for (const char* k : {"summary_wm_median", "cjv", "cnr", "efc", "fber", "qi_1", "snr_total", "snrd_total",
                          "wm2max", "fwhm_x", "fwhm_y", "fwhm_z", "fwhm_avg", "inu_range", "summary_bg_mean",
                          "summary_bg_stdv", "summary_bg_p95", "summary_bg_k", "summary_gm_median",
                          "summary_csf_median", "summary_wm_mad", "summary_gm_mad", "summary_csf_mad",
                          "summary_wm_k", "summary_gm_k"})
      q[k] = 1.0;
    return image_features(probe, q).names;
  }();
  return names;
}

FeatureVector image_features(const Image<float>& image, const std::map<std::string, double>& iqms) {
  FeatureVector f;
  for (auto part : {iqm_features(iqms), kspace_features(image), wavelet_features(image)})
    for (auto& [name, value] : part) f.names.push_back(name), f.values.push_back(value);
  return f;
}

}  // namespace axon::quality
