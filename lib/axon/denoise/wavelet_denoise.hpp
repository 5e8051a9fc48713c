#pragma once
// Wavelet shrinkage denoising of a 3D volume: forward DWT, a threshold per
// detail sub-band, soft or hard thresholding, inverse DWT. The definitions
// are those of scikit-image's denoise_wavelet (skimage/restoration/
// _denoise.py), so results can be set beside it:
//  - noise sigma: median(|d|) / Phi^-1(0.75) over the non-zero coefficients
//    d of the finest diagonal sub-band HHH (Donoho & Johnstone 1994, sec. 4.2);
//  - VisuShrink: one universal threshold sigma sqrt(2 ln N), N the number of
//    voxels (Donoho & Johnstone 1994);
//  - BayesShrink: per sub-band, sigma^2 / sqrt(max(mean(d^2) - sigma^2, eps))
//    (Chang, Yu & Vetterli 2000, "Adaptive wavelet thresholding for image
//    denoising and compression", IEEE TIP 9(9), eq. 12);
//  - the approximation (LLL of the coarsest level) is never thresholded.
// It differs from skimage in the transform's border: periodization (see
// dwt3d.hpp) instead of PyWavelets' default symmetric extension.
#include <array>
#include <cstddef>
#include <optional>
#include <vector>

#include "axon/denoise/dwt3d.hpp"

namespace axon::denoise {

enum class ThresholdRule { bayes, visu };
enum class ThresholdMode { soft, hard };

// sign(x) max(|x| - t, 0).
double soft_threshold(double x, double t);
// x where |x| >= t, else 0 (PyWavelets' pywt.threshold(mode='hard')).
double hard_threshold(double x, double t);

// Phi^-1(0.75): the median of |N(0, 1)|.
constexpr double kMadToSigma = 0.6744897501960817;

// median(|c|) / 0.6745 over the non-zero coefficients (zeros are taken for
// masked-out background, as skimage does); 0 when every coefficient is 0.
double estimate_noise_sigma(const std::vector<double>& finest_diagonal);

double bayes_shrink_threshold(const std::vector<double>& band, double sigma);
double visu_shrink_threshold(double sigma, std::size_t voxels);

struct WaveletDenoiseOptions {
  Wavelet wavelet = Wavelet::sym4;
  int levels = 3;
  ThresholdRule rule = ThresholdRule::bayes;
  ThresholdMode mode = ThresholdMode::soft;
  std::optional<double> sigma;  // unset: estimated from the data
};

struct WaveletDenoiseResult {
  std::vector<float> volume;
  double sigma = 0;
  bool sigma_estimated = false;
  // thresholds[level - 1][code - 1] for every detail sub-band.
  std::vector<std::array<double, kDetailBands>> thresholds;
};

// Throws std::invalid_argument for levels < 1 or a negative sigma.
WaveletDenoiseResult wavelet_denoise(const float* volume, const Dims3& dims, const WaveletDenoiseOptions& options);

}  // namespace axon::denoise
