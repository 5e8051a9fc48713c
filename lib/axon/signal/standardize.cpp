#include "axon/signal/standardize.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace axon::signal {

Standardize parse_standardize(const std::string& name) {
  if (name == "none") return Standardize::none;
  if (name == "zscore") return Standardize::zscore;
  if (name == "psc") return Standardize::psc;
  throw std::invalid_argument("unknown standardisation '" + name + "' (zscore, psc, none)");
}

void standardize(Eigen::MatrixXd& x, Standardize how, const Eigen::RowVectorXd& raw_means) {
  if (how == Standardize::none || x.rows() == 0) return;
  const Eigen::Index n = x.rows();
  x.rowwise() -= x.colwise().mean();
  for (Eigen::Index c = 0; c < x.cols(); ++c) {
    double scale = 1;
    if (how == Standardize::zscore) {
      scale = n > 1 ? std::sqrt(x.col(c).squaredNorm() / static_cast<double>(n - 1)) : 0.0;
    } else {
      // A mean of zero has no percent; nilearn warns and leaves such columns at zero.
      scale = raw_means.size() == x.cols() ? std::abs(raw_means(c)) / 100.0 : 0.0;
    }
    if (scale > std::numeric_limits<double>::epsilon())
      x.col(c) /= scale;
    else
      x.col(c).setZero();
  }
}

}  // namespace axon::signal
