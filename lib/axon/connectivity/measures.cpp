#include "axon/connectivity/measures.hpp"

#include <limits>

#include "axon/core/error.hpp"
#include "axon/stats/covariance.hpp"

namespace axon::connectivity {

Measure parse_measure(const std::string& name) {
  if (name == "correlation") return Measure::correlation;
  if (name == "partial") return Measure::partial;
  if (name == "covariance") return Measure::covariance;
  if (name == "precision") return Measure::precision;
  throw UsageError("unknown --kind '" + name + "' (correlation, partial, covariance, precision)");
}

const char* measure_name(Measure m) {
  switch (m) {
    case Measure::correlation: return "correlation";
    case Measure::partial: return "partial";
    case Measure::covariance: return "covariance";
    case Measure::precision: return "precision";
  }
  return "correlation";
}

MeasureResult compute_measure(const Eigen::MatrixXd& series, const std::vector<bool>& included, Measure m) {
  std::vector<Eigen::Index> cols;
  for (std::size_t p = 0; p < included.size(); ++p)
    if (included[p]) cols.push_back(static_cast<Eigen::Index>(p));
  Eigen::MatrixXd x(series.rows(), static_cast<Eigen::Index>(cols.size()));
  for (std::size_t j = 0; j < cols.size(); ++j) x.col(j) = series.col(cols[j]);

  MeasureResult out;
  Eigen::MatrixXd inner;
  if (m == Measure::correlation) {
    inner = stats::pearson_correlation(x);
  } else {
    const stats::ShrunkCovariance lw = stats::ledoit_wolf(x);
    out.shrinkage = lw.shrinkage;
    if (m == Measure::covariance)
      inner = lw.covariance;
    else if (m == Measure::precision)
      inner = stats::precision_from_covariance(lw.covariance);
    else
      inner = stats::partial_correlation(stats::precision_from_covariance(lw.covariance));
  }
  const Eigen::Index p = static_cast<Eigen::Index>(included.size());
  out.matrix = Eigen::MatrixXd::Constant(p, p, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < cols.size(); ++i)
    for (std::size_t j = 0; j < cols.size(); ++j) out.matrix(cols[i], cols[j]) = inner(i, j);
  return out;
}

}  // namespace axon::connectivity
