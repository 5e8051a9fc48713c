#include "axon/network/unit_series.hpp"

#include <cmath>
#include <stdexcept>

namespace axon::network {

UnitSeries unit_series(const Eigen::MatrixXd& series) {
  if (series.rows() < 3) throw std::invalid_argument("fewer than 3 time points");
  UnitSeries u;
  const Eigen::Index t = series.rows();
  std::vector<double> norms(series.cols());
  for (Eigen::Index c = 0; c < series.cols(); ++c) {
    const double mean = series.col(c).mean();
    const double norm = (series.col(c).array() - mean).matrix().norm();
    // Relative to the mean's size, so float noise on a flat series is flat.
    if (norm > 1e-12 * std::max(1.0, std::abs(mean) * std::sqrt(static_cast<double>(t)))) {
      u.column.push_back(c);
      norms[c] = norm;
    }
  }
  const Eigen::Index n = static_cast<Eigen::Index>(u.column.size());
  u.exact.resize(n, t);
  u.single.resize(n, t);
#pragma omp parallel for schedule(static)
  for (Eigen::Index i = 0; i < n; ++i) {
    const Eigen::Index c = u.column[i];
    const double mean = series.col(c).mean();
    u.exact.row(i) = ((series.col(c).array() - mean) / norms[c]).matrix().transpose();
    u.single.row(i) = u.exact.row(i).cast<float>();
  }
  return u;
}

}  // namespace axon::network
