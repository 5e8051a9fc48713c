// SymmetricSpectrum against Eigen's full SelfAdjointEigenSolver (the
// independent reference): the same eigenvalues, and the same projection
// onto the span of the largest eigenvectors, for well-separated spectra,
// exactly repeated eigenvalues (only the span is defined there) and the
// Wishart-like matrices MP-PCA meets (a few large signal eigenvalues above a
// noise bulk).
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <random>

#include "axon/denoise/spectral_projection.hpp"

using axon::denoise::SymmetricSpectrum;

namespace {

// The projection of x onto the eigenvectors of the `count` largest
// eigenvalues, from the full decomposition.
Eigen::VectorXd reference_projection(const Eigen::MatrixXd& g, const Eigen::VectorXd& x, int count) {
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> full(g);
  const Eigen::MatrixXd u = full.eigenvectors().rightCols(count);
  return u * (u.transpose() * x);
}

Eigen::MatrixXd random_orthogonal(int n, std::mt19937& rng) {
  std::normal_distribution<double> g;
  Eigen::MatrixXd a(n, n);
  for (int i = 0; i < a.size(); ++i) a.data()[i] = g(rng);
  return Eigen::HouseholderQR<Eigen::MatrixXd>(a).householderQ();
}

// Q diag(values) Q^T for a random orthogonal Q.
Eigen::MatrixXd with_spectrum(const Eigen::VectorXd& values, std::mt19937& rng) {
  const Eigen::MatrixXd q = random_orthogonal(static_cast<int>(values.size()), rng);
  return q * values.asDiagonal() * q.transpose();
}

void expect_matches_reference(const Eigen::MatrixXd& g, std::mt19937& rng, double tolerance) {
  const int n = static_cast<int>(g.rows());
  SymmetricSpectrum spectrum;
  spectrum.compute(g);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> full(g, Eigen::EigenvaluesOnly);
  const double scale = full.eigenvalues().cwiseAbs().maxCoeff();
  EXPECT_LT((spectrum.eigenvalues() - full.eigenvalues()).cwiseAbs().maxCoeff(), 1e-12 * scale);
  std::normal_distribution<double> normal;
  for (int count : {0, 1, 2, n / 3, n / 2, n - 3, n - 1, n}) {
    if (count < 0 || count > n) continue;
    Eigen::VectorXd x(n);
    for (int i = 0; i < n; ++i) x(i) = normal(rng);
    const Eigen::VectorXd expected = reference_projection(g, x, count);
    spectrum.project_on_largest(x, count);
    EXPECT_LT((x - expected).norm(), tolerance * std::max(expected.norm(), 1.0)) << "count " << count;
  }
}

}  // namespace

TEST(SymmetricSpectrum, MatchesAFullDecompositionOnSeparatedEigenvalues) {
  std::mt19937 rng(1);
  for (int n : {1, 2, 5, 30, 60}) {
    Eigen::VectorXd values(n);
    for (int i = 0; i < n; ++i) values(i) = std::pow(1.3, i) - 0.5;  // includes a negative one
    expect_matches_reference(with_spectrum(values, rng), rng, 1e-9);
  }
}

TEST(SymmetricSpectrum, SpansOfRepeatedEigenvaluesAreExact) {
  // Eigenvalues 1 (x10), 2 (x10), 7 (x10): any projection that keeps or cuts
  // whole clusters is defined, and must come out exactly.
  std::mt19937 rng(2);
  Eigen::VectorXd values(30);
  for (int i = 0; i < 30; ++i) values(i) = i < 10 ? 1.0 : i < 20 ? 2.0 : 7.0;
  const Eigen::MatrixXd g = with_spectrum(values, rng);
  SymmetricSpectrum spectrum;
  spectrum.compute(g);
  std::normal_distribution<double> normal;
  for (int count : {10, 20}) {
    Eigen::VectorXd x(30);
    for (int i = 0; i < 30; ++i) x(i) = normal(rng);
    const Eigen::VectorXd expected = reference_projection(g, x, count);
    spectrum.project_on_largest(x, count);
    EXPECT_LT((x - expected).norm(), 1e-9 * expected.norm()) << "count " << count;
  }
}

TEST(SymmetricSpectrum, MatchesOnWishartMatricesWithSignal) {
  // X = low rank signal + noise, m = 60 volumes, n = 125 voxels: G = X X^T.
  std::mt19937 rng(3);
  std::normal_distribution<double> normal;
  for (int trial = 0; trial < 5; ++trial) {
    Eigen::MatrixXd s(60, 4), c(4, 125), noise(60, 125);
    for (int i = 0; i < s.size(); ++i) s.data()[i] = 100 * normal(rng);
    for (int i = 0; i < c.size(); ++i) c.data()[i] = normal(rng);
    for (int i = 0; i < noise.size(); ++i) noise.data()[i] = 20 * normal(rng);
    const Eigen::MatrixXd x = s * c + noise;
    expect_matches_reference(x * x.transpose(), rng, 1e-8);
  }
}

TEST(SymmetricSpectrum, ReadsTheLowerTriangleOnlyAndHandlesZero) {
  std::mt19937 rng(4);
  Eigen::VectorXd values = Eigen::VectorXd::LinSpaced(8, 1, 8);
  Eigen::MatrixXd g = with_spectrum(values, rng);
  Eigen::MatrixXd lower = g.triangularView<Eigen::Lower>();  // upper triangle zero
  SymmetricSpectrum spectrum;
  spectrum.compute(lower);
  EXPECT_LT((spectrum.eigenvalues() - values).cwiseAbs().maxCoeff(), 1e-12);
  spectrum.compute(Eigen::MatrixXd::Zero(6, 6));
  EXPECT_EQ(spectrum.eigenvalues(), Eigen::VectorXd::Zero(6));
  Eigen::VectorXd x = Eigen::VectorXd::Ones(6);
  spectrum.project_on_largest(x, 6);
  EXPECT_EQ(x, Eigen::VectorXd::Ones(6));
}
