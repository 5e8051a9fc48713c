#include "axon/stats/covariance.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

namespace axon::stats {
namespace {

Eigen::MatrixXd centred(const Eigen::MatrixXd& x) {
  Eigen::MatrixXd c = x;
  if (x.rows() > 0) c.rowwise() -= x.colwise().mean();
  return c;
}

}  // namespace

Eigen::MatrixXd empirical_covariance(const Eigen::MatrixXd& x) {
  const Eigen::MatrixXd c = centred(x);
  return (c.transpose() * c) / static_cast<double>(std::max<Eigen::Index>(x.rows(), 1));
}

Eigen::MatrixXd pearson_correlation(const Eigen::MatrixXd& x) {
  return covariance_to_correlation(empirical_covariance(x));
}

Eigen::MatrixXd covariance_to_correlation(const Eigen::MatrixXd& covariance) {
  const Eigen::Index p = covariance.rows();
  Eigen::MatrixXd r(p, p);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (Eigen::Index i = 0; i < p; ++i)
    for (Eigen::Index j = 0; j < p; ++j) {
      const double d = std::sqrt(covariance(i, i) * covariance(j, j));
      r(i, j) = d > 0 ? covariance(i, j) / d : nan;
    }
  for (Eigen::Index i = 0; i < p; ++i)
    if (covariance(i, i) > 0) r(i, i) = 1.0;
  return r;
}

ShrunkCovariance ledoit_wolf(const Eigen::MatrixXd& x_in) {
  const Eigen::MatrixXd x = centred(x_in);
  const double n = static_cast<double>(x.rows());
  const double p = static_cast<double>(x.cols());
  const Eigen::MatrixXd emp = (x.transpose() * x) / n;
  ShrunkCovariance out;
  const double mu = emp.trace() / p;
  if (x.cols() == 1 || x.rows() < 2) {  // sklearn: no shrinkage for one feature
    out.covariance = emp;
    return out;
  }
  // sklearn.covariance.ledoit_wolf_shrinkage, term by term.
  const Eigen::MatrixXd x2 = x.array().square().matrix();
  const Eigen::VectorXd emp_cov_trace = x2.colwise().sum().transpose() / n;
  const double beta_sum = (x2.transpose() * x2).sum();
  const double delta_sum = (x.transpose() * x).array().square().sum() / (n * n);
  double beta = 1.0 / (p * n) * (beta_sum / n - delta_sum);
  double delta = delta_sum - 2.0 * mu * emp_cov_trace.sum() + p * mu * mu;
  delta /= p;
  beta = std::min(beta, delta);
  out.shrinkage = beta == 0 ? 0.0 : beta / delta;
  out.covariance = (1.0 - out.shrinkage) * emp;
  out.covariance.diagonal().array() += out.shrinkage * mu;
  return out;
}

Eigen::MatrixXd precision_from_covariance(const Eigen::MatrixXd& covariance) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(covariance);
  const Eigen::VectorXd values = eig.eigenvalues();
  // scipy.linalg.pinvh's default cut-off: max|lambda| * n * eps.
  const double cutoff = values.cwiseAbs().maxCoeff() * static_cast<double>(values.size()) *
                        std::numeric_limits<double>::epsilon();
  Eigen::VectorXd inverse(values.size());
  for (Eigen::Index i = 0; i < values.size(); ++i) inverse(i) = std::abs(values(i)) > cutoff ? 1.0 / values(i) : 0.0;
  return eig.eigenvectors() * inverse.asDiagonal() * eig.eigenvectors().transpose();
}

Eigen::MatrixXd partial_correlation(const Eigen::MatrixXd& precision) {
  const Eigen::Index p = precision.rows();
  Eigen::MatrixXd r(p, p);
  for (Eigen::Index i = 0; i < p; ++i)
    for (Eigen::Index j = 0; j < p; ++j)
      r(i, j) = i == j ? 1.0 : -precision(i, j) / std::sqrt(precision(i, i) * precision(j, j));
  return r;
}

Eigen::MatrixXd fisher_z(const Eigen::MatrixXd& r) {
  Eigen::MatrixXd z(r.rows(), r.cols());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (Eigen::Index i = 0; i < r.rows(); ++i)
    for (Eigen::Index j = 0; j < r.cols(); ++j)
      z(i, j) = (i == j || !(std::abs(r(i, j)) < 1.0)) ? nan : std::atanh(r(i, j));
  return z;
}

}  // namespace axon::stats
