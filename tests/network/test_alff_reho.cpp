// ALFF, fALFF and ReHo against an independent numpy/scipy implementation of
// the published definitions (tests/network/alff_reho_peer.py), tolerance 1e-4.
#include <cmath>
#include <random>

#include "axon/network/low_frequency.hpp"
#include "axon/network/reho.hpp"
#include "axon/signal/clean.hpp"
#include "common/python_peer.hpp"

namespace axon::network {
namespace {

// A 6x5x4 grid, a mask of the voxels inside an ellipsoid, series with slow
// oscillations of varying amplitude, a shared smooth component (so
// neighbours concord), noise, and one constant voxel.
struct Fixture {
  Mask mask;
  Eigen::MatrixXd series;  // volumes x mask voxels
};

Fixture make_fixture(int volumes, double tr, unsigned seed) {
  Fixture f;
  f.mask.grid.dims = {6, 5, 4};
  for (int z = 0; z < 4; ++z)
    for (int y = 0; y < 5; ++y)
      for (int x = 0; x < 6; ++x) {
        const double e = std::pow((x - 2.5) / 3.2, 2) + std::pow((y - 2) / 2.6, 2) + std::pow((z - 1.5) / 2.1, 2);
        if (e < 1) f.mask.indices.push_back((z * 5 + y) * 6 + x);
      }
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  const Eigen::Index v = static_cast<Eigen::Index>(f.mask.indices.size());
  Eigen::VectorXd shared(volumes);
  for (int t = 0; t < volumes; ++t) shared[t] = std::sin(2 * M_PI * 0.03 * t * tr) + 0.3 * normal(rng);
  f.series.resize(volumes, v);
  for (Eigen::Index j = 0; j < v; ++j) {
    const double a = 0.5 + 0.1 * static_cast<double>(j % 7), fr = 0.015 + 0.004 * static_cast<double>(j % 11);
    for (int t = 0; t < volumes; ++t)
      f.series(t, j) = 50 + a * shared[t] + std::cos(2 * M_PI * fr * t * tr + j) + 0.8 * normal(rng);
  }
  f.series.col(3).setConstant(4);
  return f;
}

void check(const std::vector<bool>& keep_all, int volumes) {
  if (!test::python_has("scipy")) GTEST_SKIP() << "scipy missing (scripts/bootstrap)";
  const double tr = 2.0, low = 0.01, high = 0.08;
  const Fixture f = make_fixture(volumes, tr, 5);
  test::ScratchDir dir;
  test::write_matrix(f.series, dir / "series.txt");
  Eigen::MatrixXd keep(volumes, 1), grid(1, 3), idx(f.mask.count(), 1);
  for (int t = 0; t < volumes; ++t) keep(t, 0) = keep_all.empty() || keep_all[t] ? 1 : 0;
  grid << 6, 5, 4;
  for (std::size_t i = 0; i < f.mask.count(); ++i) idx(i, 0) = static_cast<double>(f.mask.indices[i]);
  test::write_matrix(keep, dir / "keep.txt");
  test::write_matrix(grid, dir / "grid.txt");
  test::write_matrix(idx, dir / "indices.txt");
  ASSERT_TRUE(test::run_peer("network/alff_reho_peer.py", dir.str() + " 2 0.01 0.08"));

  LowFrequencyOptions o;
  o.tr = tr;
  o.band_low_hz = low;
  o.band_high_hz = high;
  const Eigen::MatrixXd kept = keep_all.empty() ? f.series : signal::kept_rows(f.series, keep_all);
  const LowFrequencyMaps m = low_frequency_maps(kept, keep_all, o);
  const Eigen::MatrixXd ref_alff = test::read_matrix(dir / "ref_alff.txt");
  const Eigen::MatrixXd ref_falff = test::read_matrix(dir / "ref_falff.txt");
  for (Eigen::Index j = 0; j < f.series.cols(); ++j) {
    EXPECT_NEAR(m.alff[j], ref_alff(j, 0), 1e-4 * std::max(1.0, std::abs(ref_alff(j, 0)))) << "ALFF of voxel " << j;
    EXPECT_NEAR(m.falff[j], ref_falff(j, 0), 1e-4) << "fALFF of voxel " << j;
  }
  EXPECT_EQ(m.alff[3], 0.0);
  for (int size : {7, 19, 27}) {
    const std::vector<double> w = regional_homogeneity(f.series, f.mask, size);
    const Eigen::MatrixXd ref = test::read_matrix(dir / ("ref_reho" + std::to_string(size) + ".txt"));
    for (Eigen::Index j = 0; j < f.series.cols(); ++j)
      EXPECT_NEAR(w[j], ref(j, 0), 1e-4) << "ReHo-" << size << " of voxel " << j;
  }
}

TEST(LowFrequencyAndReHo, PeriodogramMatchesScipy) { check({}, 120); }

TEST(LowFrequencyAndReHo, LombScargleWithCensoringMatchesScipy) {
  std::vector<bool> keep(121, true);
  for (int t : {5, 6, 7, 40, 41, 90, 120}) keep[t] = false;
  check(keep, 121);
}

TEST(LowFrequencyAndReHo, RefusesBadBands) {
  const Fixture f = make_fixture(60, 2.0, 1);
  LowFrequencyOptions o;
  o.tr = 2.0;
  o.band_high_hz = 0.3;  // above Nyquist (0.25 Hz)
  EXPECT_THROW(low_frequency_maps(f.series, {}, o), std::invalid_argument);
  o.band_low_hz = 0.05;
  o.band_high_hz = 0.04;
  EXPECT_THROW(low_frequency_maps(f.series, {}, o), std::invalid_argument);
  EXPECT_THROW(regional_homogeneity(f.series, f.mask, 9), std::invalid_argument);
}

TEST(LowFrequencyAndReHo, RanksAverageTies) {
  Eigen::VectorXd x(5);
  x << 3, 1, 3, 2, 3;
  Eigen::VectorXd r(5);
  r << 4, 1, 4, 2, 4;
  EXPECT_EQ(average_ranks(x), r);
}

}  // namespace
}  // namespace axon::network
