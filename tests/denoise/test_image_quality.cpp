// PSNR, SSIM and NRMSE against their definitions on cases whose answer is
// known in closed form; agreement with scikit-image itself on real data is
// checked by compare_skimage.sh.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <random>

#include "axon/denoise/image_quality.hpp"

using namespace axon::denoise;

namespace {

std::vector<float> random_volume(const Dims3& d, unsigned seed, float scale = 100.f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0.f, scale);
  std::vector<float> v(static_cast<std::size_t>(d[0] * d[1] * d[2]));
  for (float& x : v) x = u(rng);
  return v;
}

}  // namespace

TEST(ImageQuality, PsnrAndNrmseFollowTheirDefinitions) {
  const std::vector<float> ref{1, 2, 3, 4}, test{1, 2, 3, 6};  // MSE = 4 / 4 = 1
  EXPECT_NEAR(peak_signal_noise_ratio(test.data(), ref.data(), 4, 10.0), 20.0, 1e-12);
  EXPECT_NEAR(normalized_root_mse(test.data(), ref.data(), 4), 1.0 / std::sqrt(30.0 / 4.0), 1e-12);
  // Masked: only the last two voxels count, MSE = 4 / 2.
  const std::vector<std::uint8_t> mask{0, 0, 1, 1};
  EXPECT_NEAR(peak_signal_noise_ratio(test.data(), ref.data(), 4, 10.0, mask), 10 * std::log10(100.0 / 2.0), 1e-12);
  EXPECT_NEAR(normalized_root_mse(test.data(), ref.data(), 4, mask), std::sqrt(2.0) / std::sqrt(25.0 / 2.0), 1e-12);
  EXPECT_TRUE(std::isinf(peak_signal_noise_ratio(ref.data(), ref.data(), 4, 10.0)));
  EXPECT_EQ(normalized_root_mse(ref.data(), ref.data(), 4), 0.0);
  EXPECT_DOUBLE_EQ(reference_data_range(test.data(), 4), 5.0);
}

TEST(ImageQuality, SsimOfIdenticalVolumesIsOne) {
  const Dims3 d{16, 13, 12};
  const auto v = random_volume(d, 1);
  EXPECT_NEAR(structural_similarity(v.data(), v.data(), d, 100.0), 1.0, 1e-12);
}

TEST(ImageQuality, SsimOfConstantVolumesHasClosedForm) {
  // Local means are a and b, variances 0: SSIM = (2ab + C1) / (a^2 + b^2 + C1).
  const Dims3 d{12, 11, 14};
  const std::size_t n = 12 * 11 * 14;
  const std::vector<float> a(n, 30.f), b(n, 50.f);
  const double c1 = (0.01 * 100) * (0.01 * 100);
  EXPECT_NEAR(structural_similarity(a.data(), b.data(), d, 100.0), (2 * 30.0 * 50 + c1) / (30.0 * 30 + 50.0 * 50 + c1), 1e-9);
}

TEST(ImageQuality, SsimFallsWithNoiseAndIsSymmetric) {
  const Dims3 d{20, 18, 16};
  const auto clean = random_volume(d, 2);
  auto noisy = clean, noisier = clean;
  std::mt19937 rng(3);
  std::normal_distribution<float> g(0.f, 1.f);
  for (std::size_t i = 0; i < clean.size(); ++i) {
    const float e = g(rng);
    noisy[i] += 5 * e;
    noisier[i] += 20 * e;
  }
  const double s1 = structural_similarity(noisy.data(), clean.data(), d, 100.0);
  const double s2 = structural_similarity(noisier.data(), clean.data(), d, 100.0);
  EXPECT_LT(s1, 1.0);
  EXPECT_LT(s2, s1);
  EXPECT_NEAR(structural_similarity(clean.data(), noisy.data(), d, 100.0), s1, 1e-12);
}

TEST(ImageQuality, SsimMaskAveragesOnlyMaskedInteriorVoxels) {
  // A volume whose left half is identical and right half differs: a mask on
  // the left half, far from the difference, gives exactly 1.
  const Dims3 d{40, 12, 12};
  const auto ref = random_volume(d, 4);
  auto test = ref;
  std::vector<std::uint8_t> mask(ref.size(), 0);
  for (int64_t k = 0; k < d[2]; ++k)
    for (int64_t j = 0; j < d[1]; ++j)
      for (int64_t i = 0; i < d[0]; ++i) {
        const std::size_t v = static_cast<std::size_t>((k * d[1] + j) * d[0] + i);
        if (i >= 25) test[v] += 10;
        if (i < 12) mask[v] = 1;
      }
  EXPECT_NEAR(structural_similarity(test.data(), ref.data(), d, 100.0, mask), 1.0, 1e-12);
  EXPECT_LT(structural_similarity(test.data(), ref.data(), d, 100.0), 0.999);
  // A mask only in the border strip skimage crops: no voxel to average.
  std::vector<std::uint8_t> border(ref.size(), 0);
  border[0] = 1;
  EXPECT_TRUE(std::isnan(structural_similarity(test.data(), ref.data(), d, 100.0, border)));
}

TEST(ImageQuality, SsimRefusesVolumesSmallerThanTheWindow) {
  const Dims3 d{11, 11, 10};
  const auto v = random_volume(d, 5);
  EXPECT_THROW(structural_similarity(v.data(), v.data(), d, 100.0), std::invalid_argument);
}

TEST(ImageQuality, SsimIsIdenticalForAnyThreadCount) {
  const Dims3 d{33, 29, 31};
  const auto a = random_volume(d, 6), b = random_volume(d, 7);
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const double one = structural_similarity(a.data(), b.data(), d, 100.0);
  omp_set_num_threads(3);
  const double three = structural_similarity(a.data(), b.data(), d, 100.0);
  omp_set_num_threads(saved);
  EXPECT_EQ(one, three);  // bitwise
}

TEST(ImageQuality, SsimWithSlicesEqualsTheSeparateComputations) {
  // The 3D and per-slice SSIM from one pass are bit-identical to the two
  // separate functions, for 1 and 2 threads, also with more threads than
  // output slices (nz = 12: 2 output slices, and 11 + 0: 1 output slice).
  const int saved = omp_get_max_threads();
  for (const Dims3 d : {Dims3{23, 19, 17}, Dims3{14, 13, 12}, Dims3{12, 11, 11}}) {
    const auto a = random_volume(d, 8), b = random_volume(d, 9);
    std::vector<std::uint8_t> mask(a.size(), 1);
    for (std::size_t v = 0; v < mask.size(); v += 3) mask[v] = 0;
    const std::size_t slice = static_cast<std::size_t>(d[0] * d[1]);
    std::fill(mask.begin() + 2 * slice, mask.begin() + 3 * slice, 0);  // slice 2: no voxel -> NaN
    for (int threads : {1, 2, 3}) {
      omp_set_num_threads(threads);
      const auto both = structural_similarity_with_slices(a.data(), b.data(), d, 100.0, mask);
      omp_set_num_threads(1);
      const double volume = structural_similarity(a.data(), b.data(), d, 100.0, mask);
      const auto slices = slice_structural_similarity(a.data(), b.data(), d, 100.0, mask);
      EXPECT_EQ(both.volume, volume) << d[2] << " slices, " << threads << " threads";
      ASSERT_EQ(both.slices.size(), static_cast<std::size_t>(d[2]));
      for (int64_t k = 0; k < d[2]; ++k) {
        if (k == 2) {
          EXPECT_TRUE(std::isnan(both.slices[k]) && std::isnan(slices[k]));
          continue;
        }
        EXPECT_EQ(both.slices[k], slices[k]) << "slice " << k << ", " << threads << " threads";
      }
    }
  }
  omp_set_num_threads(saved);
}

TEST(ImageQuality, SliceSsimOfConstantSlicesHasClosedForm) {
  // Constant slices a and b: every window has means a, b and no variance,
  // so each slice's SSIM is (2ab + C1) / (a^2 + b^2 + C1).
  const Dims3 d{12, 13, 3};
  std::vector<float> a(static_cast<std::size_t>(d[0] * d[1] * d[2])), b(a.size());
  const std::size_t slice = static_cast<std::size_t>(d[0] * d[1]);
  for (int64_t k = 0; k < d[2]; ++k)
    for (std::size_t v = 0; v < slice; ++v) a[k * slice + v] = 10.0f * (k + 1), b[k * slice + v] = 40.0f;
  const auto s = slice_structural_similarity(a.data(), b.data(), d, 100.0);
  const double c1 = 1.0;  // (0.01 * 100)^2
  for (int64_t k = 0; k < d[2]; ++k) {
    const double x = 10.0 * (k + 1), y = 40.0;
    EXPECT_NEAR(s[k], (2 * x * y + c1) / (x * x + y * y + c1), 1e-12) << "slice " << k;
  }
}
