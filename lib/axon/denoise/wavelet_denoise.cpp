#include "axon/denoise/wavelet_denoise.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace axon::denoise {

double soft_threshold(double x, double t) {
  const double magnitude = std::abs(x) - t;
  return magnitude > 0 ? std::copysign(magnitude, x) : 0.0;
}

double hard_threshold(double x, double t) { return std::abs(x) >= t ? x : 0.0; }

double estimate_noise_sigma(const std::vector<double>& finest_diagonal) {
  std::vector<double> magnitudes;
  magnitudes.reserve(finest_diagonal.size());
  for (double c : finest_diagonal)
    if (c != 0) magnitudes.push_back(std::abs(c));
  if (magnitudes.empty()) return 0;
  // numpy's median: the mean of the two middle values for an even count.
  const std::size_t n = magnitudes.size(), mid = n / 2;
  std::nth_element(magnitudes.begin(), magnitudes.begin() + mid, magnitudes.end());
  double median = magnitudes[mid];
  if (n % 2 == 0) median = 0.5 * (median + *std::max_element(magnitudes.begin(), magnitudes.begin() + mid));
  return median / kMadToSigma;
}

double bayes_shrink_threshold(const std::vector<double>& band, double sigma) {
  // The detail coefficients have zero mean, so mean(d^2) is their variance:
  // signal variance = max(var - sigma^2, eps), threshold = sigma^2 / signal sd.
  double sum = 0;
  for (double c : band) sum += c * c;
  const double variance = band.empty() ? 0 : sum / static_cast<double>(band.size());
  const double var = sigma * sigma;
  return var / std::sqrt(std::max(variance - var, std::numeric_limits<double>::epsilon()));
}

double visu_shrink_threshold(double sigma, std::size_t voxels) {
  return sigma * std::sqrt(2.0 * std::log(static_cast<double>(voxels)));
}

WaveletDenoiseResult wavelet_denoise(const float* volume, const Dims3& dims, const WaveletDenoiseOptions& options) {
  if (options.sigma && !(*options.sigma >= 0)) throw std::invalid_argument("noise sigma must not be negative");
  const std::size_t n = static_cast<std::size_t>(dims[0] * dims[1] * dims[2]);
  WaveletPyramid pyramid = dwt3d_forward(std::vector<double>(volume, volume + n), dims, options.wavelet, options.levels);

  WaveletDenoiseResult result;
  result.sigma_estimated = !options.sigma;
  result.sigma = options.sigma ? *options.sigma : estimate_noise_sigma(pyramid.detail(1, 7).data);
  const double universal = visu_shrink_threshold(result.sigma, n);
  for (int level = 1; level <= pyramid.levels(); ++level) {
    result.thresholds.emplace_back();
    for (int code = 1; code <= kDetailBands; ++code) {
      std::vector<double>& band = pyramid.detail(level, code).data;
      const double t = options.rule == ThresholdRule::bayes ? bayes_shrink_threshold(band, result.sigma) : universal;
      result.thresholds.back()[code - 1] = t;
      const int64_t count = static_cast<int64_t>(band.size());
      if (options.mode == ThresholdMode::soft) {
#pragma omp parallel for schedule(static)
        for (int64_t i = 0; i < count; ++i) band[i] = soft_threshold(band[i], t);
      } else {
#pragma omp parallel for schedule(static)
        for (int64_t i = 0; i < count; ++i) band[i] = hard_threshold(band[i], t);
      }
    }
  }
  const std::vector<double> denoised = dwt3d_inverse(pyramid);
  result.volume.assign(denoised.begin(), denoised.end());
  return result;
}

}  // namespace axon::denoise
