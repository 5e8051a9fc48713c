#pragma once
// Covariates as a design matrix for confound regression: numeric columns
// as they are, categorical columns one-hot coded (first level, in sorted
// order, dropped as the reference), no intercept column (the regressions
// centre on the training subjects instead).
#include <Eigen/Core>
#include <string>
#include <vector>

#include "axon/io/tsv.hpp"

namespace axon::group {

struct Design {
  Eigen::MatrixXd x;                  // subjects x regressors
  std::vector<std::string> columns;   // "age", "sex[M]", ...
};

// Rows of `table` (read from `path`) matched to `subjects` through its
// participant_id column (a "sub-" prefix is optional on either side), else
// its first column. InputError (exit 3) naming `path`: a subject missing, a
// named column missing, n/a in a used column, a non-numeric value in a
// column not declared categorical, a constant covariate.
Design design_from_table(const Table& table, const std::string& path, const std::vector<std::string>& subjects,
                         const std::vector<std::string>& covariates, const std::vector<std::string>& categorical);

// "sub-01" and "01" name the same subject.
std::string subject_key(const std::string& id);

}  // namespace axon::group
