#pragma once
// Confound cleaning of region time series in one step, in the order
// nilearn.signal.clean documents (nilearn 0.10): detrend the signals and the
// confounds; when filtering, interpolate censored volumes, filter the
// signals and the confounds with the same Butterworth filter (so that the
// regression stays orthogonal to the filter: Lindquist et al. 2019, Hum
// Brain Mapp 40:2358) and drop censored volumes; z-score the confounds and
// project them out by least squares (pivoted QR, rank-deficient columns
// dropped); standardise last.
#include <Eigen/Core>
#include <vector>

#include "axon/signal/standardize.hpp"

namespace axon::signal {

struct CleanOptions {
  bool detrend = true;
  double high_pass_hz = 0;  // 0: none
  double low_pass_hz = 0;   // 0: none
  int filter_order = 2;
  double tr = 0;  // seconds; needed when filtering
  Standardize standardize = Standardize::zscore;
  std::vector<bool> keep;  // empty: every volume kept
};

struct CleanResult {
  Eigen::MatrixXd signals;  // kept volumes x columns
  int confound_rank = 0;    // regressors actually projected out
};

// `signals` and `confounds` are volumes x columns (confounds may have no
// columns). Throws std::invalid_argument on inconsistent sizes or filter
// settings.
CleanResult clean(Eigen::MatrixXd signals, Eigen::MatrixXd confounds, const CleanOptions& options);

// Projects the column space of `confounds` out of `signals` (both with the
// same rows); returns the rank used. Columns are z-scored first, as nilearn
// does, and pivots below 100 * machine epsilon are dropped.
int regress_out(Eigen::MatrixXd& signals, Eigen::MatrixXd confounds);

// Rows of `x` where `keep` is true.
Eigen::MatrixXd kept_rows(const Eigen::MatrixXd& x, const std::vector<bool>& keep);

}  // namespace axon::signal
