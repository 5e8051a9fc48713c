#pragma once
// The eigenvalues of a symmetric matrix and projections onto the span of its
// largest eigenvectors, without computing every eigenvector.
//
// MP-PCA needs all eigenvalues of a patch's Gram matrix (to find the
// Marchenko-Pastur cut) but only one projection per matrix: the centre
// voxel's series onto the signal eigenvectors. A full eigen-decomposition
// (QR iteration accumulating every rotation, as dwidenoise does) costs about
// 9 r^3 flops; this costs about 4/3 r^3 (Golub & Van Loan, "Matrix
// Computations", 4th ed., sec. 8.3):
//  1. Householder tridiagonalization G = Q T Q^T (Eigen);
//  2. every eigenvalue of T by root-free QR without vectors (LAPACK dsterf);
//  3. the eigenvectors of T for the needed eigenvalues only, by inverse
//     iteration with the tridiagonal LU factorization with partial pivoting
//     (sec. 8.2.2; as LAPACK's dstein does), orthonormalized against each
//     other (Gram-Schmidt), so that a cluster of close eigenvalues still
//     yields an orthonormal basis of its span;
//  4. the projection applied as Q (Z Z^T (Q^T x)): two Householder sweeps
//     of r^2 flops each, and Z of r x min(k, r - k) columns (the projector
//     on the largest k is I minus the one on the smallest r - k, whichever
//     needs fewer vectors).
#include <Eigen/Core>
#include <Eigen/Eigenvalues>

namespace axon::denoise {

class SymmetricSpectrum {
 public:
  // Decomposes g (only its lower triangle is read). Reuses the buffers of
  // earlier calls of the same size, so one object per thread allocates once.
  void compute(const Eigen::MatrixXd& g);

  // All eigenvalues, ascending.
  const Eigen::VectorXd& eigenvalues() const { return values_; }

  // x <- its projection onto the span of the eigenvectors of the `count`
  // largest eigenvalues (0 <= count <= size).
  void project_on_largest(Eigen::VectorXd& x, int count);

 private:
  // Column j of z_ <- the unit eigenvector of T for eigenvalues_(index), by
  // inverse iteration, orthogonal to columns 0 .. j-1.
  void tridiagonal_eigenvector(int index, int j);

  Eigen::Tridiagonalization<Eigen::MatrixXd> tridiagonal_;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver_;
  Eigen::VectorXd values_, lambda_, diag_, sub_, work_, rhs_, workspace_;  // lambda_: scaled eigenvalues
  Eigen::MatrixXd z_;
  Eigen::MatrixXd lu_;  // U's three diagonals (cols 0-2) and the multipliers (col 3)
  Eigen::Matrix<bool, Eigen::Dynamic, 1> swapped_;
  double scale_ = 1, norm_ = 0, last_shift_ = 0;
};

}  // namespace axon::denoise
