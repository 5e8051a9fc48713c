#include "axon/denoise/spectral_projection.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

// LAPACK: all eigenvalues of a symmetric tridiagonal matrix by the
// Pal-Walker-Kahan square-root-free QL/QR (ascending on return). Measured
// about 1.6x faster than Eigen's QR without vectors, whose square roots and
// divisions per Givens rotation were most of MP-PCA's run time.
extern "C" void dsterf_(const int* n, double* d, double* e, int* info);

namespace axon::denoise {

namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

// Inverse iterations per eigenvector. With a shift within rounding of an
// isolated eigenvalue one solve already gives the vector to working
// precision; the further ones refine members of a cluster after their
// orthogonalization (LAPACK's dstein takes up to 5, usually 2 or 3).
constexpr int kInverseIterations = 3;

// A fixed pseudo-random start in [-0.5, 0.5) per (eigenvalue index, entry),
// so results never depend on the thread or call order (dstein's start is
// random too: a start orthogonal to the wanted vector would fail).
double start_entry(int index, int entry) {
  std::uint64_t h = (static_cast<std::uint64_t>(index) << 32) ^ static_cast<std::uint64_t>(entry) ^ 0x9E3779B97F4A7C15ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return static_cast<double>(h >> 11) * 0x1.0p-53 - 0.5;
}

}  // namespace

void SymmetricSpectrum::compute(const Eigen::MatrixXd& g) {
  // Scaled to a largest entry of 1, as SelfAdjointEigenSolver::compute does,
  // so the tolerances below are relative and nothing over- or underflows.
  const Eigen::Index n = g.rows();
  scale_ = 0;
  for (Eigen::Index c = 0; c < n; ++c) scale_ = std::max(scale_, g.col(c).tail(n - c).cwiseAbs().maxCoeff());
  if (!(scale_ > 0)) scale_ = 1;
  tridiagonal_.compute(g * (1.0 / scale_));
  diag_ = tridiagonal_.diagonal();
  sub_ = tridiagonal_.subDiagonal();
  lambda_ = diag_;
  work_ = sub_;
  const int n_int = static_cast<int>(n);
  int info = 0;
  if (n > 0) dsterf_(&n_int, lambda_.data(), work_.data(), &info);
  if (info != 0) {  // no convergence (not met in practice): Eigen's QR instead
    solver_.computeFromTridiagonal(diag_, sub_, Eigen::EigenvaluesOnly);
    lambda_ = solver_.eigenvalues();
  }
  values_ = lambda_ * scale_;
  norm_ = 0;
  for (Eigen::Index i = 0; i < n; ++i)
    norm_ = std::max(norm_, std::abs(diag_(i)) + (i > 0 ? std::abs(sub_(i - 1)) : 0.0) +
                                (i + 1 < n ? std::abs(sub_(i)) : 0.0));
}

void SymmetricSpectrum::tridiagonal_eigenvector(int index, int j) {
  const Eigen::Index n = diag_.size();
  double lambda = lambda_(index);
  // dstein's perturbation: a shift equal to the previous one would give
  // the same vector; moved apart, Gram-Schmidt separates them.
  if (j > 0) {
    const double gap = 10 * kEps * std::max(std::abs(lambda), norm_);
    if (lambda - last_shift_ < gap) lambda = last_shift_ + gap;
  }
  last_shift_ = lambda;
  // LU of T - lambda I with partial pivoting (Golub & Van Loan alg. 4.3.x
  // for band matrices): row i of U has entries at columns i, i+1, i+2.
  lu_.resize(n, 4);
  swapped_.resize(n);
  double c0 = diag_(0) - lambda, c1 = n > 1 ? sub_(0) : 0.0;  // the row being reduced, columns i and i+1
  for (Eigen::Index i = 0; i + 1 < n; ++i) {
    const double s0 = sub_(i), s1 = diag_(i + 1) - lambda, s2 = i + 2 < n ? sub_(i + 1) : 0.0;
    if (std::abs(c0) >= std::abs(s0)) {
      const double mult = c0 != 0 ? s0 / c0 : 0.0;
      lu_.row(i) << c0, c1, 0.0, mult;
      swapped_(i) = false;
      c0 = s1 - mult * c1;
      c1 = s2;
    } else {
      const double mult = c0 / s0;
      lu_.row(i) << s0, s1, s2, mult;
      swapped_(i) = true;
      c0 = c1 - mult * s1;
      c1 = -mult * s2;
    }
  }
  lu_.row(n - 1) << c0, 0.0, 0.0, 0.0;
  // A pivot lost to cancellation (the shift is an eigenvalue) becomes
  // eps ||T||: the solve then amplifies exactly the wanted direction.
  const double tiny = kEps * std::max(norm_, std::numeric_limits<double>::min());
  for (Eigen::Index i = 0; i < n; ++i)
    if (std::abs(lu_(i, 0)) < tiny) lu_(i, 0) = lu_(i, 0) < 0 ? -tiny : tiny;

  auto z = z_.col(j);
  for (Eigen::Index i = 0; i < n; ++i) z(i) = start_entry(index, static_cast<int>(i));
  for (int it = 0; it < kInverseIterations; ++it) {
    rhs_ = z;
    for (Eigen::Index i = 0; i + 1 < n; ++i) {
      if (swapped_(i)) std::swap(rhs_(i), rhs_(i + 1));
      rhs_(i + 1) -= lu_(i, 3) * rhs_(i);
    }
    for (Eigen::Index i = n - 1; i >= 0; --i) {
      double v = rhs_(i);
      if (i + 1 < n) v -= lu_(i, 1) * z(i + 1);
      if (i + 2 < n) v -= lu_(i, 2) * z(i + 2);
      z(i) = v / lu_(i, 0);
    }
    z /= z.cwiseAbs().maxCoeff();  // keeps the next solve's growth in range
    for (int p = 0; p < j; ++p) z -= z_.col(p).dot(z) * z_.col(p);  // modified Gram-Schmidt
    z.normalize();
  }
}

void SymmetricSpectrum::project_on_largest(Eigen::VectorXd& x, int count) {
  const int r = static_cast<int>(diag_.size());
  if (count <= 0) {
    x.setZero();
    return;
  }
  if (count >= r) return;
  // The fewer vectors of the two complementary projectors.
  const bool signal = count <= r - count;
  const int vectors = signal ? count : r - count, first = signal ? r - count : 0;
  z_.resize(r, vectors);
  for (int j = 0; j < vectors; ++j) tridiagonal_eigenvector(first + j, j);
  tridiagonal_.matrixQ().transpose().applyThisOnTheLeft(x, workspace_);  // x <- Q^T x
  const Eigen::VectorXd part = z_ * (z_.transpose() * x);
  if (signal)
    x = part;
  else
    x -= part;
  tridiagonal_.matrixQ().applyThisOnTheLeft(x, workspace_);  // x <- Q x
}

}  // namespace axon::denoise
