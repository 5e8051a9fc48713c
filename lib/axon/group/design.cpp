#include "axon/group/design.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "axon/core/error.hpp"

namespace axon::group {

std::string subject_key(const std::string& id) { return id.rfind("sub-", 0) == 0 ? id.substr(4) : id; }

Design design_from_table(const Table& table, const std::string& path, const std::vector<std::string>& subjects,
                         const std::vector<std::string>& covariates, const std::vector<std::string>& categorical) {
  if (table.columns.empty()) throw InputError(path, "no columns");
  const std::size_t id_col = table.has_column("participant_id") ? table.column_index("participant_id") : 0;
  std::map<std::string, std::size_t> row_of;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const std::string key = subject_key(table.rows[r][id_col]);
    if (row_of.count(key)) throw InputError(path, "subject " + table.rows[r][id_col] + " appears twice");
    row_of[key] = r;
  }
  std::vector<std::size_t> rows;
  for (const auto& s : subjects) {
    auto it = row_of.find(subject_key(s));
    if (it == row_of.end()) throw InputError(path, "no row for subject " + s);
    rows.push_back(it->second);
  }
  Design d;
  std::vector<Eigen::VectorXd> cols;
  for (const auto& name : covariates) {
    if (!table.has_column(name)) throw InputError(path, "no column '" + name + "'");
    const std::size_t c = table.column_index(name);
    const bool is_categorical = std::find(categorical.begin(), categorical.end(), name) != categorical.end();
    std::vector<std::string> text;
    for (auto r : rows) {
      const std::string& v = table.rows[r][c];
      if (v == "n/a" || v.empty()) throw InputError(path, "column '" + name + "' has n/a for a subject");
      text.push_back(v);
    }
    if (is_categorical) {
      const std::set<std::string> levels(text.begin(), text.end());
      if (levels.size() < 2) throw InputError(path, "covariate '" + name + "' is constant over the subjects");
      auto level = levels.begin();
      for (++level; level != levels.end(); ++level) {
        Eigen::VectorXd col(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) col[i] = text[i] == *level ? 1.0 : 0.0;
        cols.push_back(col);
        d.columns.push_back(name + "[" + *level + "]");
      }
    } else {
      Eigen::VectorXd col(rows.size());
      for (std::size_t i = 0; i < rows.size(); ++i) {
        try {
          std::size_t used = 0;
          col[i] = std::stod(text[i], &used);
          if (used != text[i].size() || !std::isfinite(col[i])) throw std::invalid_argument(text[i]);
        } catch (const std::exception&) {
          throw InputError(path, "column '" + name + "' has the non-numeric value '" + text[i] +
                                     "' (declare it with --categorical)");
        }
      }
      if (col.maxCoeff() == col.minCoeff())
        throw InputError(path, "covariate '" + name + "' is constant over the subjects");
      cols.push_back(col);
      d.columns.push_back(name);
    }
  }
  d.x.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(cols.size()));
  for (std::size_t j = 0; j < cols.size(); ++j) d.x.col(static_cast<Eigen::Index>(j)) = cols[j];
  return d;
}

}  // namespace axon::group
