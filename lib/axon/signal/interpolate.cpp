#include "axon/signal/interpolate.hpp"

#include <Eigen/Dense>
#include <stdexcept>

namespace axon::signal {

void interpolate_censored(Eigen::MatrixXd& x, const std::vector<bool>& keep) {
  const Eigen::Index n = x.rows();
  if (static_cast<Eigen::Index>(keep.size()) != n) throw std::invalid_argument("censoring mask length differs from the series");
  std::vector<Eigen::Index> kept;
  for (Eigen::Index i = 0; i < n; ++i)
    if (keep[i]) kept.push_back(i);
  const Eigen::Index m = static_cast<Eigen::Index>(kept.size());
  if (m == n) return;
  if (m < 2) throw std::invalid_argument("fewer than 2 volumes remain after censoring");

  // The time axis is in volumes; the spline does not depend on its scale.
  Eigen::VectorXd t(m);
  Eigen::MatrixXd y(m, x.cols());
  for (Eigen::Index i = 0; i < m; ++i) {
    t(i) = static_cast<double>(kept[i]);
    y.row(i) = x.row(kept[i]);
  }
  // Second derivatives M at the knots (all zero: linear interpolation).
  Eigen::MatrixXd second = Eigen::MatrixXd::Zero(m, x.cols());
  if (m >= 4) {
    Eigen::MatrixXd system = Eigen::MatrixXd::Zero(m, m);
    Eigen::MatrixXd rhs = Eigen::MatrixXd::Zero(m, x.cols());
    for (Eigen::Index i = 1; i + 1 < m; ++i) {
      const double h0 = t(i) - t(i - 1), h1 = t(i + 1) - t(i);
      system(i, i - 1) = h0;
      system(i, i) = 2 * (h0 + h1);
      system(i, i + 1) = h1;
      rhs.row(i) = 6 * ((y.row(i + 1) - y.row(i)) / h1 - (y.row(i) - y.row(i - 1)) / h0);
    }
    // Not-a-knot: the third derivative is continuous at the second and the
    // second-to-last knot.
    const double a0 = t(1) - t(0), a1 = t(2) - t(1);
    system(0, 0) = a1;
    system(0, 1) = -(a0 + a1);
    system(0, 2) = a0;
    const double b0 = t(m - 2) - t(m - 3), b1 = t(m - 1) - t(m - 2);
    system(m - 1, m - 3) = b1;
    system(m - 1, m - 2) = -(b0 + b1);
    system(m - 1, m - 1) = b0;
    second = system.partialPivLu().solve(rhs);
  }
  Eigen::Index piece = 0;
  for (Eigen::Index r = 0; r < n; ++r) {
    if (keep[r]) continue;
    const double tr = static_cast<double>(r);
    while (piece + 2 < m && t(piece + 1) < tr) ++piece;  // the end pieces extrapolate
    const Eigen::Index a = piece, b = piece + 1;
    const double h = t(b) - t(a), da = t(b) - tr, db = tr - t(a);
    x.row(r) = second.row(a) * (da * da * da) / (6 * h) + second.row(b) * (db * db * db) / (6 * h) +
               (y.row(a) / h - second.row(a) * h / 6) * da + (y.row(b) / h - second.row(b) * h / 6) * db;
  }
}

}  // namespace axon::signal
