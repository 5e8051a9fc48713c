// MP-PCA on a synthetic low-rank series with Gaussian noise of known sigma:
// the clean series is recovered far better than the noisy one, and the
// noise map reads the true sigma (Veraart et al. 2016; Cordero-Grande 2019).
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <random>

#include "axon/denoise/mppca.hpp"

using namespace axon::denoise;

namespace {

struct Series {
  Dims3 dims{20, 18, 16};
  int64_t volumes = 30;
  std::vector<float> clean, noisy;
};

// rank 4: a baseline and three smooth spatial maps with their own time courses
Series low_rank_series(double sigma, unsigned seed) {
  Series s;
  const int64_t nvox = s.dims[0] * s.dims[1] * s.dims[2];
  s.clean.resize(static_cast<std::size_t>(nvox * s.volumes));
  for (int64_t t = 0; t < s.volumes; ++t)
    for (int64_t k = 0; k < s.dims[2]; ++k)
      for (int64_t j = 0; j < s.dims[1]; ++j)
        for (int64_t i = 0; i < s.dims[0]; ++i) {
          const double a1 = std::sin(i / 4.0) + 0.5, a2 = std::cos(j / 5.0) * (k / 16.0), a3 = (i + j + k) / 50.0;
          const double v = 100 + 30 * a1 * std::exp(-t / 10.0) + 20 * a2 * std::cos(t / 3.0) + 25 * a3 * (t % 7) / 7.0;
          s.clean[static_cast<std::size_t>(t * nvox + (k * s.dims[1] + j) * s.dims[0] + i)] = static_cast<float>(v);
        }
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, sigma);
  s.noisy = s.clean;
  for (float& x : s.noisy) x = static_cast<float>(x + g(rng));
  return s;
}

double rmse(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(s / static_cast<double>(a.size()));
}

}  // namespace

TEST(Mppca, DefaultExtentIsTheSmallestOddCubeHoldingTheVolumes) {
  EXPECT_EQ(default_extent(3), 3);
  EXPECT_EQ(default_extent(27), 3);
  EXPECT_EQ(default_extent(28), 5);
  EXPECT_EQ(default_extent(65), 5);
  EXPECT_EQ(default_extent(126), 7);
}

TEST(Mppca, PureNoiseEigenvaluesAreAllNoise) {
  // The eigenvalues of a pure-noise Wishart matrix: every component is noise
  // and sigma^2 is their mean / q.
  std::mt19937 rng(3);
  std::normal_distribution<double> g(0.0, 2.0);
  const int64_t m = 20, n = 200;
  std::vector<double> x(static_cast<std::size_t>(m * n));
  for (double& v : x) v = g(rng);
  // a 10 x 20 x 1 "image" of m volumes; patches of 25 voxels
  std::vector<float> series(static_cast<std::size_t>(m * n));
  for (std::size_t i = 0; i < series.size(); ++i) series[i] = static_cast<float>(x[i]);
  MppcaOptions o;
  o.extent = {5, 5, 1};
  const Dims3 dims{10, 20, 1};
  const auto r = mppca_denoise(series.data(), dims, m, {}, o);
  double mean_sigma = 0;
  for (float s : r.sigma) mean_sigma += s;
  mean_sigma /= static_cast<double>(r.sigma.size());
  EXPECT_NEAR(mean_sigma, 2.0, 0.3);
}

TEST(Mppca, RecoversALowRankSeriesAndItsNoiseLevel) {
  const double sigma = 5.0;
  const Series s = low_rank_series(sigma, 11);
  for (MpEstimator e : {MpEstimator::cordero_grande, MpEstimator::veraart}) {
    MppcaOptions o;
    o.estimator = e;
    const auto r = mppca_denoise(s.noisy.data(), s.dims, s.volumes, {}, o);
    EXPECT_EQ(r.extent[0], 5);  // 30 volumes: 5^3 = 125 >= 30 > 27
    const double before = rmse(s.noisy, s.clean), after = rmse(r.series, s.clean);
    EXPECT_NEAR(before, sigma, 0.1);
    EXPECT_LT(after, 0.5 * before);
    double mean_sigma = 0;
    for (float x : r.sigma) mean_sigma += x;
    mean_sigma /= static_cast<double>(r.sigma.size());
    EXPECT_NEAR(mean_sigma, sigma, 0.1 * sigma);
    // The rank kept is near the true rank 4.
    double mean_rank = 0;
    for (int x : r.rank) mean_rank += x;
    EXPECT_NEAR(mean_rank / static_cast<double>(r.rank.size()), 4.0, 1.5);
  }
}

TEST(Mppca, MaskThreadsAndBadInput) {
  const Series s = low_rank_series(5.0, 12);
  const int64_t nvox = s.dims[0] * s.dims[1] * s.dims[2];
  std::vector<std::uint8_t> mask(static_cast<std::size_t>(nvox), 0);
  for (std::size_t i = 0; i < mask.size(); i += 2) mask[i] = 1;
  omp_set_num_threads(1);
  const auto one = mppca_denoise(s.noisy.data(), s.dims, s.volumes, mask, {});
  omp_set_num_threads(3);
  const auto three = mppca_denoise(s.noisy.data(), s.dims, s.volumes, mask, {});
  ASSERT_EQ(one.series, three.series);
  for (int64_t t = 0; t < s.volumes; ++t)
    EXPECT_EQ(one.series[static_cast<std::size_t>(t * nvox + 1)], s.noisy[static_cast<std::size_t>(t * nvox + 1)]);
  EXPECT_THROW(mppca_denoise(s.noisy.data(), s.dims, 2, {}, {}), std::invalid_argument);
  MppcaOptions even;
  even.extent = {4, 4, 4};
  EXPECT_THROW(mppca_denoise(s.noisy.data(), s.dims, s.volumes, {}, even), std::invalid_argument);
}
