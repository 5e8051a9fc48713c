#pragma once
// Tangent-space embedding of symmetric positive definite matrices around
// their group mean (Varoquaux et al. 2010, MICCAI 6361:200; nilearn's
// ConnectivityMeasure(kind="tangent")): the mean G is the geometric
// (Riemannian, affine-invariant) mean, and each subject's matrix C maps to
// logm(G^-1/2 C G^-1/2).
#include <Eigen/Core>
#include <vector>

namespace axon::group {

struct TangentResult {
  Eigen::MatrixXd mean;                  // geometric mean
  std::vector<Eigen::MatrixXd> tangent;  // one per subject
  int iterations = 0;
};

// Geometric mean by the gradient descent nilearn uses (_geometric_mean:
// start from the arithmetic mean, step along the mean of the whitened
// logs, halving the step when the gradient norm grows), run until the
// gradient's norm per entry falls below `tolerance`. Throws
// std::invalid_argument for matrices that are not square, symmetric and
// positive definite, or of different sizes.
TangentResult tangent_embedding(const std::vector<Eigen::MatrixXd>& matrices, double tolerance = 1e-10,
                                int max_iterations = 200);

}  // namespace axon::group
