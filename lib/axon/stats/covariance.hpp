#pragma once
// Covariance-based connectivity measures of region time series (time along
// rows, regions along columns).
#include <Eigen/Core>

namespace axon::stats {

// Maximum-likelihood covariance of the centred columns (divides by n, as
// sklearn's empirical_covariance).
Eigen::MatrixXd empirical_covariance(const Eigen::MatrixXd& x);

// Pearson correlation; a constant column gives NaN in its row and column.
Eigen::MatrixXd pearson_correlation(const Eigen::MatrixXd& x);

struct ShrunkCovariance {
  Eigen::MatrixXd covariance;
  double shrinkage = 0;
};

// Ledoit & Wolf (2004, J Multivariate Anal 88:365) shrinkage towards a
// scaled identity, computed as sklearn.covariance.LedoitWolf (centred data,
// sklearn's ledoit_wolf_shrinkage formula).
ShrunkCovariance ledoit_wolf(const Eigen::MatrixXd& x);

// Inverse of a symmetric positive (semi-)definite matrix through its
// eigendecomposition (scipy.linalg.pinvh: eigenvalues below the cut-off are
// treated as zero).
Eigen::MatrixXd precision_from_covariance(const Eigen::MatrixXd& covariance);

// Partial correlation from a precision matrix: -P_ij / sqrt(P_ii P_jj) off
// the diagonal, 1 on it (nilearn's prec_to_partial).
Eigen::MatrixXd partial_correlation(const Eigen::MatrixXd& precision);

// Covariance -> correlation (nilearn's cov_to_corr).
Eigen::MatrixXd covariance_to_correlation(const Eigen::MatrixXd& covariance);

// Fisher's z = atanh(r); the diagonal (r = 1) and NaNs give NaN.
Eigen::MatrixXd fisher_z(const Eigen::MatrixXd& r);

}  // namespace axon::stats
