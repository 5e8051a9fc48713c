#pragma once
// Connectivity matrices of cleaned parcel time series, with parcels that
// were set to n/a (low coverage) kept in place as n/a rows and columns so
// that row i always means label i.
#include <Eigen/Core>
#include <string>
#include <vector>

namespace axon::connectivity {

// correlation: Pearson. covariance: Ledoit-Wolf shrunk (nilearn's
// ConnectivityMeasure default estimator). precision: its inverse. partial:
// partial correlation from that precision.
enum class Measure { correlation, partial, covariance, precision };
Measure parse_measure(const std::string& name);  // throws UsageError
const char* measure_name(Measure m);

struct MeasureResult {
  Eigen::MatrixXd matrix;  // parcels x parcels, NaN where a parcel is excluded
  double shrinkage = 0;    // Ledoit-Wolf shrinkage used (0 for correlation)
};

// `series`: volumes x parcels; `included[p]` false gives parcel p n/a.
MeasureResult compute_measure(const Eigen::MatrixXd& series, const std::vector<bool>& included, Measure m);

}  // namespace axon::connectivity
