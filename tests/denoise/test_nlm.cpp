// Non-local means and its noise estimation against known truths: Rician
// moments of known sigma (Koay & Basser 2006), synthetic volumes with noise
// of known sigma, the Rician bias of a flat region, and thread independence.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <random>

#include "axon/denoise/nlm.hpp"
#include "axon/denoise/noise_estimation.hpp"

using namespace axon::denoise;

namespace {

constexpr double kPi = 3.14159265358979323846;

// sqrt((nu + n1)^2 + n2^2), n1, n2 ~ N(0, sigma^2)
std::vector<float> rician(const std::vector<float>& clean, double sigma, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, sigma);
  std::vector<float> out(clean.size());
  for (std::size_t i = 0; i < clean.size(); ++i) {
    const double re = clean[i] + g(rng), im = g(rng);
    out[i] = static_cast<float>(std::sqrt(re * re + im * im));
  }
  return out;
}

double mean_over(const std::vector<float>& v, const std::vector<std::size_t>& where) {
  double s = 0;
  for (std::size_t i : where) s += v[i];
  return s / static_cast<double>(where.size());
}

}  // namespace

TEST(NoiseEstimation, RicianVarianceFactorLimits) {
  // Rayleigh: var = (2 - pi/2) sigma^2 (Koay & Basser 2006, xi(0)); high SNR: Gaussian.
  EXPECT_NEAR(rician_variance_factor(0.0), 2.0 - kPi / 2, 1e-12);
  EXPECT_NEAR(rician_variance_factor(30.0), 1.0, 1e-3);
  EXPECT_GT(rician_variance_factor(2.0), rician_variance_factor(1.0));
}

TEST(NoiseEstimation, SigmaFromRicianMomentsAtEverySnr) {
  for (double snr : {0.0, 1.0, 2.0, 4.0, 20.0}) {
    const double sigma = 10.0;
    const auto x = rician(std::vector<float>(400000, static_cast<float>(snr * sigma)), sigma, 5);
    double s = 0, s2 = 0;
    for (float v : x) {
      s += v;
      s2 += static_cast<double>(v) * v;
    }
    const double m = s / x.size(), sd = std::sqrt(s2 / x.size() - m * m);
    // Near SNR 0 the mean/sd ratio is flat in the SNR (Koay & Basser 2006,
    // fig. 2), so sampling error in the ratio is amplified there.
    EXPECT_NEAR(rician_sigma_from_moments(m, sd), sigma, (snr < 1.5 ? 0.05 : 0.02) * sigma) << "SNR " << snr;
  }
}

TEST(NoiseEstimation, PseudoResidualsVanishOnALinearRamp) {
  const Dims3 d{9, 8, 7};
  std::vector<float> v(9 * 8 * 7);
  for (int64_t k = 0; k < 7; ++k)
    for (int64_t j = 0; j < 8; ++j)
      for (int64_t i = 0; i < 9; ++i) v[static_cast<std::size_t>((k * 8 + j) * 9 + i)] = 3.f * i - 2.f * j + k;
  const auto e = pseudo_residuals(v.data(), d);
  for (int64_t k = 1; k < 6; ++k)
    for (int64_t j = 1; j < 7; ++j)
      for (int64_t i = 1; i < 8; ++i) EXPECT_NEAR(e[static_cast<std::size_t>((k * 8 + j) * 9 + i)], 0.f, 1e-4);
}

TEST(NoiseEstimation, MapRecoversKnownSigmaInObjectAndBackground) {
  // A bright sphere in a zero background, Rician noise of sigma 20: the map
  // should read 20 inside (Gaussian regime) and outside (Rayleigh regime).
  const int64_t n = 40;
  const Dims3 d{n, n, n};
  std::vector<float> clean(static_cast<std::size_t>(n * n * n));
  std::vector<std::size_t> inside, outside;
  for (int64_t k = 0; k < n; ++k)
    for (int64_t j = 0; j < n; ++j)
      for (int64_t i = 0; i < n; ++i) {
        const std::size_t v = static_cast<std::size_t>((k * n + j) * n + i);
        const double r = std::sqrt((i - 20.0) * (i - 20.0) + (j - 20.0) * (j - 20.0) + (k - 20.0) * (k - 20.0));
        clean[v] = r < 12 ? 500.f : 0.f;
        if (r < 8) inside.push_back(v);
        if (r > 17) outside.push_back(v);
      }
  const auto noisy = rician(clean, 20.0, 6);
  const auto map = estimate_noise_map(noisy.data(), d);
  EXPECT_NEAR(mean_over(map, inside), 20.0, 2.0);
  EXPECT_NEAR(mean_over(map, outside), 20.0, 2.0);
  // Without the Rician correction the background reads the Rayleigh spread.
  NoiseMapOptions gaussian;
  gaussian.model = NoiseModel::gaussian;
  const auto raw = estimate_noise_map(noisy.data(), d, gaussian);
  EXPECT_NEAR(mean_over(raw, outside), 20.0 * std::sqrt(2.0 - kPi / 2), 2.0);
}

TEST(Nlm, RicianCorrectionRemovesTheBiasOfAFlatRegion) {
  // Flat signal 100, sigma 50 (SNR 2): the magnitude's mean is biased up;
  // NLM of the squares minus 2 sigma^2 brings it back near 100, while the
  // plain (Gaussian-model) average keeps the bias.
  const int64_t n = 24;
  const Dims3 d{n, n, n};
  const std::vector<float> clean(static_cast<std::size_t>(n * n * n), 100.f);
  const auto noisy = rician(clean, 50.0, 7);
  const std::vector<float> sigma(clean.size(), 50.f);
  NlmOptions o;
  o.search_radius = 3;
  const auto corrected = nlm_denoise(noisy.data(), d, sigma, {}, o);
  o.model = NoiseModel::gaussian;
  const auto plain = nlm_denoise(noisy.data(), d, sigma, {}, o);
  std::vector<std::size_t> all(clean.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  const double bias_noisy = mean_over(noisy, all) - 100, bias_plain = mean_over(plain, all) - 100,
               bias_corrected = mean_over(corrected, all) - 100;
  EXPECT_GT(bias_noisy, 10.0);  // E|X| - nu at SNR 2 is about 12.7
  EXPECT_GT(bias_plain, 0.5 * bias_noisy);
  EXPECT_LT(std::abs(bias_corrected), 0.35 * bias_noisy);
}

TEST(Nlm, RemovesGaussianNoiseAndKeepsAnEdge) {
  const int64_t n = 32;
  const Dims3 d{n, n, n};
  std::vector<float> clean(static_cast<std::size_t>(n * n * n)), noisy(clean.size());
  std::mt19937 rng(8);
  std::normal_distribution<float> g(0.f, 10.f);
  for (int64_t k = 0; k < n; ++k)
    for (int64_t j = 0; j < n; ++j)
      for (int64_t i = 0; i < n; ++i) {
        const std::size_t v = static_cast<std::size_t>((k * n + j) * n + i);
        clean[v] = 100.f + (i > 15 ? 80.f : 0.f) + 20.f * std::sin(j / 4.f);
        noisy[v] = clean[v] + g(rng);
      }
  NlmOptions o;
  o.model = NoiseModel::gaussian;
  const auto out = nlm_denoise(noisy.data(), d, std::vector<float>(clean.size(), 10.f), {}, o);
  double before = 0, after = 0;
  for (std::size_t i = 0; i < clean.size(); ++i) {
    before += (noisy[i] - clean[i]) * (noisy[i] - clean[i]);
    after += (out[i] - clean[i]) * (out[i] - clean[i]);
  }
  EXPECT_LT(after, 0.25 * before);  // RMSE at least halved
}

TEST(Nlm, MaskLeavesOutsideVoxelsAndThreadsDoNotChangeTheResult) {
  const int64_t nx = 30, ny = 27, nz = 23;
  const Dims3 d{nx, ny, nz};
  std::vector<float> clean(static_cast<std::size_t>(nx * ny * nz));
  for (std::size_t i = 0; i < clean.size(); ++i) clean[i] = static_cast<float>(200 + 100 * std::sin(i * 0.01));
  const auto noisy = rician(clean, 15.0, 9);
  const auto sigma = estimate_noise_map(noisy.data(), d);
  std::vector<std::uint8_t> mask(clean.size(), 0);
  for (std::size_t i = 0; i < mask.size(); i += 3) mask[i] = 1;
  const NlmOptions o;
  omp_set_num_threads(1);
  const auto one = nlm_denoise(noisy.data(), d, sigma, mask, o);
  omp_set_num_threads(3);
  const auto three = nlm_denoise(noisy.data(), d, sigma, mask, o);
  for (std::size_t i = 0; i < one.size(); ++i) {
    ASSERT_EQ(one[i], three[i]) << i;
    if (!mask[i]) {
      ASSERT_EQ(one[i], noisy[i]);
    }
  }
  EXPECT_THROW(nlm_denoise(noisy.data(), d, std::vector<float>(3), {}, o), std::invalid_argument);
}
