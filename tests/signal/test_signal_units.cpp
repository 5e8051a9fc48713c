// Properties of the signal and stats functions that need no peer.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include <Eigen/Dense>

#include "axon/signal/butterworth.hpp"
#include "axon/signal/clean.hpp"
#include "axon/signal/detrend.hpp"
#include "axon/signal/interpolate.hpp"
#include "axon/stats/covariance.hpp"

namespace axon::signal {
namespace {

TEST(Detrend, RemovesAnExactLine) {
  Eigen::MatrixXd x(50, 2);
  for (int t = 0; t < 50; ++t) {
    x(t, 0) = 3.0 + 0.25 * t;
    x(t, 1) = -7.0 - 2.0 * t;
  }
  detrend_linear(x);
  EXPECT_LT(x.cwiseAbs().maxCoeff(), 1e-10);
}

TEST(Butterworth, RejectsCutOffsOutsideNyquist) {
  EXPECT_THROW(butterworth(2, 0.01, 0.3, 2.0), std::invalid_argument);  // Nyquist 0.25 Hz
  EXPECT_THROW(butterworth(2, 0.1, 0.05, 2.0), std::invalid_argument);
  EXPECT_THROW(butterworth(2, 0, 0, 2.0), std::invalid_argument);
  EXPECT_NO_THROW(butterworth(2, 0.01, 0.1, 2.0));
}

TEST(Butterworth, LowPassHasUnitGainAtZeroFrequency) {
  const TransferFunction f = butterworth(4, 0, 0.1, 2.0);
  double sb = 0, sa = 0;
  for (double v : f.b) sb += v;
  for (double v : f.a) sa += v;
  EXPECT_NEAR(sb / sa, 1.0, 1e-12);
}

TEST(Filtfilt, TooShortSeriesIsAnError) {
  const TransferFunction f = butterworth(2, 0.01, 0.1, 2.0);  // 5 coefficients: padding 15
  Eigen::MatrixXd x = Eigen::MatrixXd::Ones(15, 1);
  EXPECT_THROW(filtfilt(f, x), std::invalid_argument);
}

TEST(Filtfilt, LowPassKeepsAConstant) {
  const TransferFunction f = butterworth(2, 0, 0.1, 2.0);
  Eigen::MatrixXd x = Eigen::MatrixXd::Constant(40, 1, 5.0);
  filtfilt(f, x);
  EXPECT_LT((x.array() - 5.0).abs().maxCoeff(), 1e-9);
}

TEST(Interpolate, ReproducesACubicExactly) {
  Eigen::MatrixXd x(30, 1);
  std::vector<bool> keep(30, true);
  for (int t = 0; t < 30; ++t) x(t, 0) = 0.01 * t * t * t - t * t + 2 * t;
  const Eigen::MatrixXd truth = x;
  for (int t : {0, 5, 6, 17, 29}) {
    keep[t] = false;
    x(t, 0) = 1e6;  // a spike that must disappear
  }
  interpolate_censored(x, keep);
  EXPECT_LT((x - truth).cwiseAbs().maxCoeff(), 1e-6);
}

TEST(Interpolate, NeedsTwoKeptVolumes) {
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(10, 1);
  std::vector<bool> keep(10, false);
  keep[3] = true;
  EXPECT_THROW(interpolate_censored(x, keep), std::invalid_argument);
}

TEST(Regression, ProjectsOutConfoundsAndIgnoresDuplicates) {
  Eigen::MatrixXd c = Eigen::MatrixXd::Random(80, 2);
  Eigen::MatrixXd conf(80, 3);
  conf << c, c.col(0) * 2.0;  // a duplicate column: rank 2
  Eigen::MatrixXd s = c * Eigen::Vector2d(1.5, -0.5);
  s.array() += 4.0;
  const double mean = s.mean();  // stays: z-scored confounds have no mean
  const int rank = regress_out(s, conf);
  EXPECT_EQ(rank, 2);
  EXPECT_LT((s.array() - mean).abs().maxCoeff(), 1e-8);
}

TEST(Clean, ZscoreGivesUnitSampleVariance) {
  Eigen::MatrixXd s = Eigen::MatrixXd::Random(60, 3);
  CleanOptions o;
  const CleanResult r = clean(s, Eigen::MatrixXd(60, 0), o);
  for (int j = 0; j < 3; ++j) {
    EXPECT_NEAR(r.signals.col(j).mean(), 0.0, 1e-12);
    EXPECT_NEAR(r.signals.col(j).squaredNorm() / 59.0, 1.0, 1e-12);
  }
}

TEST(Clean, CensoringWithoutFilterDropsVolumes) {
  Eigen::MatrixXd s = Eigen::MatrixXd::Random(60, 2);
  CleanOptions o;
  o.keep.assign(60, true);
  o.keep[10] = o.keep[11] = false;
  EXPECT_EQ(clean(s, Eigen::MatrixXd(60, 0), o).signals.rows(), 58);
}

TEST(Clean, WrongConfoundLengthIsAnError) {
  EXPECT_THROW(clean(Eigen::MatrixXd::Random(60, 2), Eigen::MatrixXd::Random(59, 1), CleanOptions{}),
               std::invalid_argument);
}

TEST(Stats, ConstantColumnGivesNaNCorrelation) {
  Eigen::MatrixXd x = Eigen::MatrixXd::Random(30, 3);
  x.col(1).setConstant(2.0);
  const Eigen::MatrixXd r = stats::pearson_correlation(x);
  EXPECT_TRUE(std::isnan(r(0, 1)));
  EXPECT_DOUBLE_EQ(r(0, 0), 1.0);
}

TEST(Stats, FisherZ) {
  Eigen::MatrixXd r(2, 2);
  r << 1, 0.5, 0.5, 1;
  const Eigen::MatrixXd z = stats::fisher_z(r);
  EXPECT_NEAR(z(0, 1), 0.5 * std::log(3.0), 1e-14);
  EXPECT_TRUE(std::isnan(z(0, 0)));
}

TEST(Stats, PartialCorrelationOfIndependentChainIsZero) {
  // Precision of a chain 0 - 1 - 2: 0 and 2 are conditionally independent.
  Eigen::MatrixXd p(3, 3);
  p << 2, -1, 0, -1, 2, -1, 0, -1, 2;
  const Eigen::MatrixXd pc = stats::partial_correlation(p);
  EXPECT_DOUBLE_EQ(pc(0, 2), 0.0);
  EXPECT_NEAR(pc(0, 1), 0.5, 1e-15);
  EXPECT_NEAR((stats::precision_from_covariance(p.inverse()) - p).cwiseAbs().maxCoeff(), 0.0, 1e-10);
}

}  // namespace
}  // namespace axon::signal
