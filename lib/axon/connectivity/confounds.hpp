#pragma once
// Confound regressors from an fMRIPrep-style confounds TSV (one row per
// volume, "n/a" for missing values): strategy presets, explicit column
// names or regular expressions, and the checks that keep bad tables out.
#include <Eigen/Core>
#include <string>
#include <vector>

#include "axon/io/tsv.hpp"

namespace axon::connectivity {

// The column names (or regular expressions, matched against whole names)
// of a preset: 6P, 24P, 36P, acompcor, none. Throws UsageError for others.
// Exact names must all be present; patterns ("cosine.*") may match nothing.
struct ConfoundSpec {
  std::vector<std::string> names;
  std::vector<std::string> patterns;
};
ConfoundSpec strategy_columns(const std::string& strategy);

// A YAML strategy file: an optional preset and further columns, e.g.
//   strategy: 24P
//   columns: [csf, white_matter, "a_comp_cor_0[0-4]"]
// Throws InputError naming `path` for a file that is not such a mapping.
ConfoundSpec strategy_from_yaml(const std::string& path);

// An entry containing a regular-expression character is a pattern.
ConfoundSpec spec_from_list(const std::vector<std::string>& entries);

struct Confounds {
  std::vector<std::string> columns;
  Eigen::MatrixXd values;            // volumes x columns
  std::vector<std::string> derived;  // columns computed from a base column (absent from the table)
};

// Selects the columns of `spec` from `table` (read from `path`). A named
// column the table lacks is derived, as XCP-D does, when its base column is
// there: `<base>_derivative1` is the backward difference (first row n/a),
// `<base>_power2` the square, `<base>_derivative1_power2` the squared
// difference; such columns are listed in `derived` (older fMRIPrep writes
// only the six motion columns). Errors (InputError, exit 3): columns
// neither present nor derivable (all named), a row count other than
// `volumes`, n/a anywhere but at the start of a column. Leading n/a (the
// first row of fMRIPrep's derivative columns, empty cells in fMRIPrep 1.0)
// become 0, as XCP-D does.
Confounds select_confounds(const Table& table, const std::string& path, const ConfoundSpec& spec, long volumes);

// fMRIPrep's non-steady-state volumes: its non_steady_state_outlierNN
// columns each flag one leading volume with 1; the count of leading
// volumes to drop is the last flagged row + 1 (0 without such columns).
int dummy_scans_from_table(const Table& table, const std::string& path);

}  // namespace axon::connectivity
