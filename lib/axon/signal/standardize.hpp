#pragma once
// Scaling cleaned time series (time along rows), as nilearn's
// signal._standardize: "zscore" divides by the sample standard deviation
// (n - 1, nilearn's "zscore_sample"), "psc" expresses the signal in percent
// of the column's mean before cleaning. Constant columns stay zero.
#include <Eigen/Core>
#include <string>

namespace axon::signal {

enum class Standardize { none, zscore, psc };
Standardize parse_standardize(const std::string& name);  // throws std::invalid_argument

// `raw_means` (one per column) is needed for psc only.
void standardize(Eigen::MatrixXd& x, Standardize how, const Eigen::RowVectorXd& raw_means = {});

}  // namespace axon::signal
