// Wavelet shrinkage: the thresholding functions, the noise estimator and
// the two threshold rules against their definitions (skimage's
// denoise_wavelet, Donoho & Johnstone 1994, Chang et al. 2000).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "axon/denoise/wavelet_denoise.hpp"

using namespace axon::denoise;

TEST(WaveletDenoise, SoftThresholdShrinksTowardsZero) {
  EXPECT_DOUBLE_EQ(soft_threshold(5.0, 2.0), 3.0);
  EXPECT_DOUBLE_EQ(soft_threshold(-5.0, 2.0), -3.0);
  EXPECT_DOUBLE_EQ(soft_threshold(1.5, 2.0), 0.0);
  EXPECT_DOUBLE_EQ(soft_threshold(-2.0, 2.0), 0.0);
  EXPECT_DOUBLE_EQ(soft_threshold(0.7, 0.0), 0.7);
}

TEST(WaveletDenoise, HardThresholdKeepsOrKills) {
  EXPECT_DOUBLE_EQ(hard_threshold(5.0, 2.0), 5.0);
  EXPECT_DOUBLE_EQ(hard_threshold(-5.0, 2.0), -5.0);
  EXPECT_DOUBLE_EQ(hard_threshold(1.9, 2.0), 0.0);
  EXPECT_DOUBLE_EQ(hard_threshold(-2.0, 2.0), -2.0);  // |x| >= t is kept, as pywt.threshold
}

TEST(WaveletDenoise, NoiseSigmaIsTheMedianAbsoluteValueOverPhiInverse) {
  // median of |{0 (ignored), 1, -2, 3, -4}| = 2.5 (even count: mean of the middle two)
  EXPECT_NEAR(estimate_noise_sigma({0.0, 1.0, -2.0, 3.0, -4.0}), 2.5 / 0.6744897501960817, 1e-12);
  EXPECT_NEAR(estimate_noise_sigma({-3.0, 1.0, 2.0}), 2.0 / 0.6744897501960817, 1e-12);
  EXPECT_EQ(estimate_noise_sigma({0.0, 0.0}), 0.0);
  // Gaussian coefficients of known sigma: the estimate is close.
  std::mt19937 rng(21);
  std::normal_distribution<double> g(0.0, 7.0);
  std::vector<double> c(200000);
  for (double& x : c) x = g(rng);
  EXPECT_NEAR(estimate_noise_sigma(c), 7.0, 0.07);
}

TEST(WaveletDenoise, ThresholdRulesFollowTheirFormulas) {
  const std::vector<double> band{3.0, -4.0, 0.0, 5.0};  // mean square 12.5
  EXPECT_NEAR(bayes_shrink_threshold(band, 2.0), 4.0 / std::sqrt(12.5 - 4.0), 1e-12);
  // Noise stronger than the band: the signal variance floors at eps.
  EXPECT_NEAR(bayes_shrink_threshold(band, 10.0), 100.0 / std::sqrt(std::numeric_limits<double>::epsilon()), 1e-3);
  EXPECT_NEAR(visu_shrink_threshold(3.0, 1000), 3.0 * std::sqrt(2.0 * std::log(1000.0)), 1e-12);
}

TEST(WaveletDenoise, ZeroSigmaLeavesTheVolumeUnchanged) {
  const Dims3 d{13, 10, 9};
  std::mt19937 rng(22);
  std::uniform_real_distribution<float> u(0.f, 100.f);
  std::vector<float> v(13 * 10 * 9);
  for (float& x : v) x = u(rng);
  for (ThresholdRule rule : {ThresholdRule::bayes, ThresholdRule::visu}) {
    WaveletDenoiseOptions o;
    o.sigma = 0.0;
    o.rule = rule;
    const auto r = wavelet_denoise(v.data(), d, o);
    for (std::size_t i = 0; i < v.size(); ++i) ASSERT_NEAR(r.volume[i], v[i], 1e-4);
  }
}

TEST(WaveletDenoise, RemovesGaussianNoiseFromASmoothVolume) {
  const Dims3 d{32, 32, 32};
  std::mt19937 rng(23);
  std::normal_distribution<float> g(0.f, 10.f);
  std::vector<float> clean(32 * 32 * 32), noisy(clean.size());
  for (int64_t k = 0; k < 32; ++k)
    for (int64_t j = 0; j < 32; ++j)
      for (int64_t i = 0; i < 32; ++i) {
        const std::size_t v = static_cast<std::size_t>((k * 32 + j) * 32 + i);
        clean[v] = 100.f + 50.f * std::sin(i / 5.f) * std::cos(j / 7.f) + (k > 16 ? 40.f : 0.f);
        noisy[v] = clean[v] + g(rng);
      }
  auto mse = [&](const std::vector<float>& x) {
    double s = 0;
    for (std::size_t i = 0; i < x.size(); ++i) s += (x[i] - clean[i]) * (x[i] - clean[i]);
    return s / static_cast<double>(x.size());
  };
  WaveletDenoiseOptions o;
  const auto r = wavelet_denoise(noisy.data(), d, o);
  EXPECT_TRUE(r.sigma_estimated);
  EXPECT_NEAR(r.sigma, 10.0, 1.0);
  EXPECT_LT(mse(r.volume), 0.3 * mse(noisy));
  ASSERT_EQ(r.thresholds.size(), 3u);
}
