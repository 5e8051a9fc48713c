// axon's signal and stats libraries against an independent numpy / scipy /
// sklearn implementation (tests/signal/peer.py) on fixed fixtures.
#include <filesystem>

#include "axon/signal/butterworth.hpp"
#include "axon/signal/clean.hpp"
#include "axon/signal/detrend.hpp"
#include "axon/signal/interpolate.hpp"
#include "axon/stats/covariance.hpp"
#include "peer_fixture.hpp"

namespace axon::signal::test {
namespace {

constexpr double kRel = 1e-4;  // the tolerance

void check_against_peer(PeerCase c, const std::string& name) {
  if (!python_has("scipy") || !python_has("sklearn")) GTEST_SKIP() << "scipy/sklearn missing (scripts/bootstrap)";
  ASSERT_TRUE(run_peer(c, name));
  const std::string d = c.dir;

  const TransferFunction f = butterworth(c.order, c.high_pass, c.low_pass, c.tr);
  expect_close(Eigen::Map<const Eigen::VectorXd>(f.b.data(), f.b.size()), read_matrix(d + "/ref_b.txt"), 1e-9, "b");
  expect_close(Eigen::Map<const Eigen::VectorXd>(f.a.data(), f.a.size()), read_matrix(d + "/ref_a.txt"), 1e-9, "a");

  Eigen::MatrixXd filtered = c.signals;
  filtfilt(f, filtered);
  expect_close(filtered, read_matrix(d + "/ref_filtfilt.txt"), kRel, "filtfilt");

  Eigen::MatrixXd detrended = c.signals;
  detrend_linear(detrended);
  expect_close(detrended, read_matrix(d + "/ref_detrend.txt"), kRel, "detrend");

  Eigen::MatrixXd interpolated = c.signals;
  interpolate_censored(interpolated, c.keep);
  expect_close(interpolated, read_matrix(d + "/ref_interpolate.txt"), kRel, "interpolation");

  CleanOptions options;
  options.tr = c.tr;
  options.high_pass_hz = c.high_pass;
  options.low_pass_hz = c.low_pass;
  options.filter_order = c.order;
  options.keep = c.keep;
  const CleanResult cleaned = clean(c.signals, c.confounds, options);
  expect_close(cleaned.signals, read_matrix(d + "/ref_clean.txt"), kRel, "clean");
  EXPECT_EQ(cleaned.confound_rank, c.confounds.cols());

  const Eigen::MatrixXd& s = cleaned.signals;
  expect_close(stats::pearson_correlation(s), read_matrix(d + "/ref_correlation.txt"), kRel, "correlation");
  const stats::ShrunkCovariance lw = stats::ledoit_wolf(s);
  expect_close(lw.covariance, read_matrix(d + "/ref_lw_covariance.txt"), kRel, "Ledoit-Wolf covariance");
  EXPECT_NEAR(lw.shrinkage, read_matrix(d + "/ref_lw_shrinkage.txt")(0, 0), 1e-8);
  const Eigen::MatrixXd precision = stats::precision_from_covariance(lw.covariance);
  expect_close(precision, read_matrix(d + "/ref_precision.txt"), kRel, "precision");
  expect_close(stats::partial_correlation(precision), read_matrix(d + "/ref_partial.txt"), kRel, "partial");
  std::filesystem::remove_all(d);
}

TEST(SignalPeer, BandPassOrder2WithCensoring) {
  PeerCase c = make_case(150, 8, 4, 7);
  for (int t : {0, 1, 40, 41, 42, 90, 149}) c.keep[t] = false;  // both ends: extrapolated
  check_against_peer(c, "band");
}

TEST(SignalPeer, LowPassOrder3NoCensoring) {
  PeerCase c = make_case(97, 5, 3, 11);
  c.tr = 1.5;
  c.high_pass = 0;
  c.low_pass = 0.08;
  c.order = 3;
  check_against_peer(c, "low");
}

TEST(SignalPeer, HighPassOrder1Censored) {
  PeerCase c = make_case(200, 12, 6, 3);
  c.tr = 0.8;
  c.high_pass = 0.009;
  c.low_pass = 0;
  c.order = 1;
  for (int t = 60; t < 70; ++t) c.keep[t] = false;
  check_against_peer(c, "high");
}

}  // namespace
}  // namespace axon::signal::test
