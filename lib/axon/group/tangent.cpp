#include "axon/group/tangent.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <stdexcept>

namespace axon::group {
namespace {

// f applied to the eigenvalues of a symmetric matrix.
template <class F>
Eigen::MatrixXd map_eigenvalues(const Eigen::MatrixXd& m, F f) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(m);
  const Eigen::VectorXd v = eig.eigenvalues().unaryExpr(f);
  return eig.eigenvectors() * v.asDiagonal() * eig.eigenvectors().transpose();
}

}  // namespace

TangentResult tangent_embedding(const std::vector<Eigen::MatrixXd>& mats, double tolerance, int max_iterations) {
  if (mats.empty()) throw std::invalid_argument("no matrices");
  const Eigen::Index p = mats[0].rows();
  for (std::size_t s = 0; s < mats.size(); ++s) {
    const auto& m = mats[s];
    if (m.rows() != p || m.cols() != p) throw std::invalid_argument("matrix " + std::to_string(s + 1) + " differs in size");
    if (!m.allFinite()) throw std::invalid_argument("matrix " + std::to_string(s + 1) + " has n/a or infinite values");
    if ((m - m.transpose()).cwiseAbs().maxCoeff() > 1e-8 * std::max(1.0, m.cwiseAbs().maxCoeff()))
      throw std::invalid_argument("matrix " + std::to_string(s + 1) + " is not symmetric");
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(m, Eigen::EigenvaluesOnly);
    if (!(eig.eigenvalues().minCoeff() > 0))
      throw std::invalid_argument("matrix " + std::to_string(s + 1) + " is not positive definite");
  }
  TangentResult r;
  Eigen::MatrixXd g = Eigen::MatrixXd::Zero(p, p);
  for (const auto& m : mats) g += m;
  g /= static_cast<double>(mats.size());
  double step = 1, norm_old = std::numeric_limits<double>::infinity();
  for (r.iterations = 1; r.iterations <= max_iterations; ++r.iterations) {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(g);
    const Eigen::MatrixXd& vec = eig.eigenvectors();
    const Eigen::VectorXd val = eig.eigenvalues();
    const Eigen::MatrixXd inv_sqrt = vec * val.cwiseSqrt().cwiseInverse().asDiagonal() * vec.transpose();
    const Eigen::MatrixXd sqrt_g = vec * val.cwiseSqrt().asDiagonal() * vec.transpose();
    Eigen::MatrixXd logs = Eigen::MatrixXd::Zero(p, p);
    for (const auto& m : mats)
      logs += map_eigenvalues(inv_sqrt * m * inv_sqrt, [](double x) { return std::log(x); });
    logs /= static_cast<double>(mats.size());
    double norm = logs.norm();
    g = sqrt_g * map_eigenvalues(logs, [&](double x) { return std::exp(x * step); }) * sqrt_g;
    g = 0.5 * (g + g.transpose());
    if (norm < norm_old) norm_old = norm;
    else if (norm > norm_old) {
      step /= 2;
      norm = norm_old;
    }
    if (norm / static_cast<double>(p * p) < tolerance) break;
  }
  r.mean = g;
  const Eigen::MatrixXd w = map_eigenvalues(g, [](double x) { return 1.0 / std::sqrt(x); });
  for (const auto& m : mats) r.tangent.push_back(map_eigenvalues(w * m * w, [](double x) { return std::log(x); }));
  return r;
}

}  // namespace axon::group
