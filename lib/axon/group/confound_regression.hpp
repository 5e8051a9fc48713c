#pragma once
// Removing covariate effects from features (edges) by ordinary least
// squares, fitted on training subjects only and applied to every subject,
// so that a held-out subject never informs the fit (no test leakage). The
// fit includes an intercept; the cleaned features keep the training mean
// (y - (x - mean_train(x)) b), so matrices stay on their scale.
#include <Eigen/Core>
#include <vector>

namespace axon::group {

struct ConfoundFit {
  Eigen::RowVectorXd x_mean;  // training mean of each regressor
  Eigen::MatrixXd beta;       // regressors x features (slopes)
  Eigen::VectorXd r2;         // per feature: variance explained on the training subjects
};

// `x`: training subjects x regressors; `y`: training subjects x features.
// Throws std::invalid_argument when the regressors are rank-deficient or
// there are no more subjects than regressors + 1.
ConfoundFit fit_confounds(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y);

// y - (x - x_mean) beta, for any subjects.
Eigen::MatrixXd remove_confounds(const ConfoundFit& fit, const Eigen::MatrixXd& x, const Eigen::MatrixXd& y);

// Rows of `m` whose flag in `rows` is true.
Eigen::MatrixXd select_rows(const Eigen::MatrixXd& m, const std::vector<bool>& rows);

}  // namespace axon::group
