// The 3D DWT: orthonormal filter banks, perfect reconstruction for every
// wavelet, level and size (odd sizes included), energy preservation, the
// Haar approximation in closed form, and sub-band shapes.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <numeric>
#include <random>

#include "axon/denoise/dwt3d.hpp"

using namespace axon::denoise;

namespace {

std::vector<double> random_volume(const Dims3& d, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1000.0);
  std::vector<double> v(static_cast<std::size_t>(d[0] * d[1] * d[2]));
  for (double& x : v) x = u(rng);
  return v;
}

double energy(const std::vector<double>& v) { return std::inner_product(v.begin(), v.end(), v.begin(), 0.0); }

const Wavelet kAll[] = {Wavelet::haar, Wavelet::db2, Wavelet::db4, Wavelet::sym4};

}  // namespace

TEST(WaveletFilters, BanksAreOrthonormal) {
  // sum h = sqrt 2, and the shifts by 2 of h and g are orthonormal and
  // mutually orthogonal (Daubechies 1992, eq. 5.1.39): this catches a
  // mistyped coefficient.
  for (Wavelet w : kAll) {
    const FilterBank& f = filter_bank(w);
    const int n = f.length();
    EXPECT_NEAR(std::accumulate(f.dec_lo.begin(), f.dec_lo.end(), 0.0), std::sqrt(2.0), 1e-12) << wavelet_name(w);
    for (int shift = 0; shift < n; shift += 2) {
      double hh = 0, gg = 0, hg = 0;
      for (int j = 0; j + shift < n; ++j) {
        hh += f.dec_lo[j] * f.dec_lo[j + shift];
        gg += f.dec_hi[j] * f.dec_hi[j + shift];
        hg += f.dec_lo[j] * f.dec_hi[j + shift] + f.dec_hi[j] * f.dec_lo[j + shift];
      }
      EXPECT_NEAR(hh, shift == 0 ? 1.0 : 0.0, 1e-12) << wavelet_name(w) << " shift " << shift;
      EXPECT_NEAR(gg, shift == 0 ? 1.0 : 0.0, 1e-12) << wavelet_name(w) << " shift " << shift;
      EXPECT_NEAR(hg, 0.0, 1e-12) << wavelet_name(w) << " shift " << shift;
    }
  }
}

TEST(WaveletFilters, NamesAndMaxLevel) {
  for (const auto& name : wavelet_names()) EXPECT_EQ(wavelet_name(wavelet_from_name(name)), name);
  EXPECT_THROW(wavelet_from_name("db7"), std::invalid_argument);
  EXPECT_EQ(dwt_max_level(181, Wavelet::haar), 7);  // PyWavelets: dwt_max_level(181, 'haar')
  EXPECT_EQ(dwt_max_level(181, Wavelet::db4), 4);   // floor(log2(181 / 7))
  EXPECT_EQ(dwt_max_level(5, Wavelet::db4), 0);
}

TEST(Dwt3d, PerfectReconstructionForEveryWaveletLevelAndSize) {
  const Dims3 sizes[] = {{16, 16, 16}, {17, 12, 9}, {33, 31, 30}, {5, 3, 2}, {1, 7, 4}};
  for (Wavelet w : kAll)
    for (const Dims3& d : sizes)
      for (int levels = 1; levels <= 4; ++levels) {
        const auto v = random_volume(d, 11);
        const auto p = dwt3d_forward(v, d, w, levels);
        ASSERT_EQ(p.levels(), levels);
        const auto back = dwt3d_inverse(p);
        ASSERT_EQ(back.size(), v.size());
        double worst = 0;
        for (std::size_t i = 0; i < v.size(); ++i) worst = std::max(worst, std::abs(back[i] - v[i]));
        EXPECT_LT(worst, 1e-5 * 1000) << wavelet_name(w) << " " << d[0] << "x" << d[1] << "x" << d[2]
                                      << " levels " << levels;  // values up to 1000: 1e-5 relative
        EXPECT_LT(worst, 1e-8) << "reconstruction is exact up to rounding (1e-11 relative)";
      }
}

TEST(Dwt3d, EvenSizesPreserveEnergy) {
  // Periodization of an even-sized volume is an orthogonal transform (Parseval).
  const Dims3 d{16, 24, 8};
  const auto v = random_volume(d, 12);
  for (Wavelet w : kAll) {
    const auto p = dwt3d_forward(v, d, w, 2);
    double e = energy(p.approximation.data);
    for (int level = 1; level <= 2; ++level)
      for (int code = 1; code <= kDetailBands; ++code) e += energy(p.detail(level, code).data);
    EXPECT_NEAR(e / energy(v), 1.0, 1e-12) << wavelet_name(w);
  }
}

TEST(Dwt3d, HaarApproximationIsTheScaledBlockSum) {
  const Dims3 d{4, 6, 2};
  const auto v = random_volume(d, 13);
  const auto p = dwt3d_forward(v, d, Wavelet::haar, 1);
  ASSERT_EQ(p.approximation.dims, (Dims3{2, 3, 1}));
  for (int64_t j = 0; j < 3; ++j)
    for (int64_t i = 0; i < 2; ++i) {
      double sum = 0;
      for (int64_t c = 0; c < 8; ++c)
        sum += v[static_cast<std::size_t>(((c >> 2) * 6 + 2 * j + ((c >> 1) & 1)) * 4 + 2 * i + (c & 1))];
      EXPECT_NEAR(p.approximation.data[j * 2 + i], sum / std::pow(std::sqrt(2.0), 3), 1e-9);
    }
  // A constant volume has no detail at all.
  const auto flat = dwt3d_forward(std::vector<double>(48, 7.0), d, Wavelet::db2, 1);
  for (int code = 1; code <= kDetailBands; ++code)
    for (double c : flat.detail(1, code).data) EXPECT_NEAR(c, 0.0, 1e-12) << subband_name(code);
}

TEST(Dwt3d, SubBandShapesAndNames) {
  const Dims3 d{17, 12, 9};
  const auto p = dwt3d_forward(random_volume(d, 14), d, Wavelet::db2, 3);
  EXPECT_EQ(p.detail(1, 7).dims, (Dims3{9, 6, 5}));
  EXPECT_EQ(p.detail(2, 1).dims, (Dims3{5, 3, 3}));
  EXPECT_EQ(p.approximation.dims, (Dims3{3, 2, 2}));
  EXPECT_EQ(subband_name(0), "LLL");
  EXPECT_EQ(subband_name(1), "HLL");
  EXPECT_EQ(subband_name(6), "LHH");
  EXPECT_EQ(subband_name(7), "HHH");
  EXPECT_THROW(dwt3d_forward(random_volume(d, 1), d, Wavelet::haar, 0), std::invalid_argument);
}

TEST(Dwt3d, IdenticalForAnyThreadCount) {
  const Dims3 d{37, 29, 21};
  const auto v = random_volume(d, 15);
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto one = dwt3d_forward(v, d, Wavelet::sym4, 2);
  omp_set_num_threads(3);
  const auto three = dwt3d_forward(v, d, Wavelet::sym4, 2);
  omp_set_num_threads(saved);
  for (int code = 1; code <= kDetailBands; ++code) EXPECT_EQ(one.detail(1, code).data, three.detail(1, code).data);
  EXPECT_EQ(one.approximation.data, three.approximation.data);
}

TEST(Dwt3d, MatchesPyWaveletsPeriodization) {
  // Expected values from PyWavelets 1.1.1 on the same 9x6x5 volume (odd
  // sizes: the last-sample extension is exercised):
  //   a = ((np.arange(270) * 37 % 101) * 0.5).reshape(5, 6, 9).transpose(2, 1, 0)
  //   c = pywt.wavedecn(a, w, mode='periodization', level=2)
  // columns: level-1 'daa', 'ada', 'aad', 'ddd' at flat index 3, level-2
  // 'ddd' at 1, approximation at 2 (flat indices in x-fastest order).
  const Dims3 d{9, 6, 5};
  std::vector<double> v(270);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i * 37 % 101) * 0.5;
  const double expected[4][6] = {
      {-8.3085046789, -3.3587572106, -2.2980970389, -17.8544462250, 18.9375000000, 196.7500000000},
      {3.8362756955, -3.8777331431, 14.3659586213, -3.0780286941, -7.4273837540, 206.7873731182},
      {4.3287740684, 14.1830041758, -8.9809588117, 0.0413292050, 0.1598044094, 208.9869424222},
      {15.8202407631, 1.0438395112, -0.6193243680, 21.5290003604, -8.6578605564, 201.5133883686}};
  for (int w = 0; w < 4; ++w) {
    const auto p = dwt3d_forward(v, d, kAll[w], 2);
    const double got[6] = {p.detail(1, 1).data[3], p.detail(1, 2).data[3], p.detail(1, 4).data[3],
                           p.detail(1, 7).data[3], p.detail(2, 7).data[1], p.approximation.data[2]};
    for (int c = 0; c < 6; ++c) EXPECT_NEAR(got[c], expected[w][c], 1e-9) << wavelet_name(kAll[w]) << " column " << c;
  }
}
