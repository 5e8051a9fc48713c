#include "axon/signal/detrend.hpp"

namespace axon::signal {

void remove_mean(Eigen::MatrixXd& x) {
  if (x.rows() == 0) return;
  x.rowwise() -= x.colwise().mean();
}

void detrend_linear(Eigen::MatrixXd& x) {
  const Eigen::Index n = x.rows();
  if (n == 0) return;
  remove_mean(x);
  if (n < 2) return;
  // A centred time axis is orthogonal to the constant, so the slope is a
  // plain projection once the mean is gone.
  Eigen::VectorXd t(n);
  for (Eigen::Index i = 0; i < n; ++i) t(i) = static_cast<double>(i) - 0.5 * static_cast<double>(n - 1);
  const double tt = t.squaredNorm();
  const Eigen::RowVectorXd slope = (t.transpose() * x) / tt;
  x.noalias() -= t * slope;
}

}  // namespace axon::signal
