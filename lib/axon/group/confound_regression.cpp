#include "axon/group/confound_regression.hpp"

#include <Eigen/Dense>
#include <stdexcept>

namespace axon::group {

Eigen::MatrixXd select_rows(const Eigen::MatrixXd& m, const std::vector<bool>& rows) {
  Eigen::Index n = 0;
  for (bool r : rows) n += r ? 1 : 0;
  Eigen::MatrixXd out(n, m.cols());
  Eigen::Index k = 0;
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    if (rows[i]) out.row(k++) = m.row(i);
  return out;
}

ConfoundFit fit_confounds(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y) {
  if (x.rows() != y.rows()) throw std::invalid_argument("covariates and features differ in subjects");
  if (x.rows() <= x.cols() + 1)
    throw std::invalid_argument(std::to_string(x.rows()) + " subjects cannot fit " + std::to_string(x.cols()) +
                                " covariates and an intercept");
  ConfoundFit f;
  f.x_mean = x.colwise().mean();
  const Eigen::MatrixXd xc = x.rowwise() - f.x_mean;
  const Eigen::RowVectorXd y_mean = y.colwise().mean();
  const Eigen::MatrixXd yc = y.rowwise() - y_mean;
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(xc);
  qr.setThreshold(1e-10);
  if (qr.rank() < xc.cols()) throw std::invalid_argument("the covariates are collinear (rank-deficient design)");
  f.beta = qr.solve(yc);
  const Eigen::MatrixXd resid = yc - xc * f.beta;
  f.r2.resize(y.cols());
  for (Eigen::Index j = 0; j < y.cols(); ++j) {
    const double total = yc.col(j).squaredNorm();
    f.r2[j] = total > 0 ? 1.0 - resid.col(j).squaredNorm() / total : 0.0;
  }
  return f;
}

Eigen::MatrixXd remove_confounds(const ConfoundFit& f, const Eigen::MatrixXd& x, const Eigen::MatrixXd& y) {
  return y - (x.rowwise() - f.x_mean) * f.beta;
}

}  // namespace axon::group
