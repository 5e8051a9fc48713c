#include "axon/signal/clean.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "axon/signal/butterworth.hpp"
#include "axon/signal/detrend.hpp"
#include "axon/signal/interpolate.hpp"

namespace axon::signal {

Eigen::MatrixXd kept_rows(const Eigen::MatrixXd& x, const std::vector<bool>& keep) {
  if (keep.empty()) return x;
  Eigen::Index count = 0;
  for (bool k : keep) count += k ? 1 : 0;
  Eigen::MatrixXd out(count, x.cols());
  Eigen::Index r = 0;
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    if (keep[i]) out.row(r++) = x.row(i);
  return out;
}

int regress_out(Eigen::MatrixXd& signals, Eigen::MatrixXd confounds) {
  if (confounds.cols() == 0 || signals.rows() == 0) return 0;
  if (confounds.rows() != signals.rows()) throw std::invalid_argument("confounds and signals differ in length");
  standardize(confounds, Standardize::zscore);
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(confounds);
  const Eigen::MatrixXd r = qr.matrixR().triangularView<Eigen::Upper>();
  const double threshold = std::numeric_limits<double>::epsilon() * 100.0;
  int rank = 0;
  for (Eigen::Index i = 0; i < std::min(r.rows(), r.cols()); ++i)
    if (std::abs(r(i, i)) > threshold) ++rank;
  if (rank == 0) return 0;
  // Pivoting orders |R(i,i)| decreasingly, so the first `rank` columns of Q
  // span the confounds.
  const Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(confounds.rows(), rank);
  signals.noalias() -= q * (q.transpose() * signals);
  return rank;
}

CleanResult clean(Eigen::MatrixXd signals, Eigen::MatrixXd confounds, const CleanOptions& options) {
  const Eigen::Index n = signals.rows();
  if (confounds.cols() > 0 && confounds.rows() != n)
    throw std::invalid_argument("the confounds have " + std::to_string(confounds.rows()) + " rows, the series " +
                                std::to_string(n) + " volumes");
  if (!options.keep.empty() && static_cast<Eigen::Index>(options.keep.size()) != n)
    throw std::invalid_argument("the censoring mask differs in length from the series");
  const bool filtering = options.high_pass_hz > 0 || options.low_pass_hz > 0;
  std::vector<bool> keep = options.keep;
  const Eigen::RowVectorXd raw_means = n > 0 ? Eigen::RowVectorXd(signals.colwise().mean()) : Eigen::RowVectorXd();

  // Without a filter nilearn censors first: nothing needs interpolating.
  if (!filtering && !keep.empty()) {
    signals = kept_rows(signals, keep);
    if (confounds.cols() > 0) confounds = kept_rows(confounds, keep);
    keep.clear();
  }
  if (options.detrend) {
    detrend_linear(signals);
    if (confounds.cols() > 0) detrend_linear(confounds);
  }
  if (filtering) {
    if (!keep.empty()) {
      interpolate_censored(signals, keep);
      if (confounds.cols() > 0) interpolate_censored(confounds, keep);
    }
    const TransferFunction f =
        butterworth(options.filter_order, options.high_pass_hz, options.low_pass_hz, options.tr);
    filtfilt(f, signals);
    if (confounds.cols() > 0) filtfilt(f, confounds);
    if (!keep.empty()) {
      signals = kept_rows(signals, keep);
      if (confounds.cols() > 0) confounds = kept_rows(confounds, keep);
    }
  }
  CleanResult result;
  result.confound_rank = regress_out(signals, confounds);
  standardize(signals, options.standardize, raw_means);
  result.signals = std::move(signals);
  return result;
}

}  // namespace axon::signal
