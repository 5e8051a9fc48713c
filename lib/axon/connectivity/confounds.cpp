#include "axon/connectivity/confounds.hpp"

#include <cmath>
#include <algorithm>
#include <limits>
#include <map>
#include <regex>

#include <yaml-cpp/yaml.h>

#include "axon/core/error.hpp"

namespace axon::connectivity {
namespace {

const std::vector<std::string> kMotion = {"trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"};

// Each base column with fMRIPrep's expansions: the column, its temporal
// derivative, their squares (Satterthwaite et al. 2013, NeuroImage 64:240).
std::vector<std::string> expanded(const std::vector<std::string>& base, bool squares) {
  std::vector<std::string> out;
  for (const auto& b : base) out.push_back(b);
  for (const auto& b : base) out.push_back(b + "_derivative1");
  if (squares) {
    for (const auto& b : base) out.push_back(b + "_power2");
    for (const auto& b : base) out.push_back(b + "_derivative1_power2");
  }
  return out;
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// `name` computed from its base column, or an empty vector when `name` is
// not an expansion of a column of `table`.
std::vector<double> derive_column(const Table& table, const std::string& path, const std::string& name) {
  std::string base = name;
  bool derivative = false, square = false;
  if (ends_with(base, "_power2")) {
    base.resize(base.size() - 7);
    square = true;
  }
  if (ends_with(base, "_derivative1")) {
    base.resize(base.size() - 12);
    derivative = true;
  }
  if (!(derivative || square) || !table.has_column(base)) return {};
  std::vector<double> v = table.numeric(base, path);
  if (derivative) {
    for (std::size_t t = v.size(); t-- > 1;) v[t] = v[t] - v[t - 1];  // NaN where either side is n/a
    if (!v.empty()) v[0] = kNaN;
  }
  if (square)
    for (double& x : v) x = x * x;
  return v;
}

}  // namespace

ConfoundSpec strategy_columns(const std::string& strategy) {
  ConfoundSpec spec;
  if (strategy == "none") return spec;
  if (strategy == "6P") {
    spec.names = kMotion;
  } else if (strategy == "24P") {
    spec.names = expanded(kMotion, true);
  } else if (strategy == "36P") {
    spec.names = expanded(kMotion, true);
    for (const auto& c : expanded({"csf", "white_matter", "global_signal"}, true)) spec.names.push_back(c);
  } else if (strategy == "acompcor") {
    spec.names = expanded(kMotion, false);
    for (int i = 0; i < 5; ++i) spec.names.push_back("a_comp_cor_0" + std::to_string(i));
    spec.patterns.push_back("cosine[0-9]+");
  } else {
    throw UsageError("unknown confound strategy '" + strategy + "' (6P, 24P, 36P, acompcor, none)");
  }
  return spec;
}

ConfoundSpec spec_from_list(const std::vector<std::string>& entries) {
  ConfoundSpec spec;
  for (const auto& e : entries) {
    if (e.find_first_of("*+?[](){}|^$\\.") != std::string::npos)
      spec.patterns.push_back(e);
    else
      spec.names.push_back(e);
  }
  return spec;
}

ConfoundSpec strategy_from_yaml(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw InputError(path, std::string("not a readable YAML strategy file: ") + e.what());
  }
  if (!root.IsMap()) throw InputError(path, "a strategy file is a mapping with 'strategy' and/or 'columns'");
  ConfoundSpec spec;
  std::vector<std::string> extra;
  try {
    for (const auto& entry : root) {
      const std::string key = entry.first.as<std::string>();
      if (key == "strategy") {
        spec = strategy_columns(entry.second.as<std::string>());
      } else if (key == "columns") {
        if (!entry.second.IsSequence()) throw InputError(path, "'columns' must be a list");
        for (const auto& c : entry.second) extra.push_back(c.as<std::string>());
      } else {
        throw InputError(path, "unknown key '" + key + "' (strategy, columns)");
      }
    }
  } catch (const YAML::Exception& e) {
    throw InputError(path, e.what());
  } catch (const UsageError& e) {
    throw InputError(path, e.what());
  }
  const ConfoundSpec more = spec_from_list(extra);
  for (const auto& n : more.names)
    if (std::find(spec.names.begin(), spec.names.end(), n) == spec.names.end()) spec.names.push_back(n);
  for (const auto& p : more.patterns) spec.patterns.push_back(p);
  return spec;
}

Confounds select_confounds(const Table& table, const std::string& path, const ConfoundSpec& spec, long volumes) {
  Confounds out;
  std::map<std::string, std::vector<double>> derived_values;  // by column name
  std::string missing;
  for (const auto& name : spec.names) {
    if (table.has_column(name)) {
      out.columns.push_back(name);
      continue;
    }
    std::vector<double> v = derive_column(table, path, name);
    if (v.empty()) {
      missing += (missing.empty() ? "" : ", ") + name;
      continue;
    }
    out.columns.push_back(name);
    out.derived.push_back(name);
    derived_values[name] = std::move(v);
  }
  if (!missing.empty()) throw InputError(path, "confound columns missing (and not derivable from a base column): " + missing);
  for (const auto& pattern : spec.patterns) {
    std::regex re;
    try {
      re = std::regex(pattern);
    } catch (const std::regex_error&) {
      throw UsageError("invalid regular expression '" + pattern + "' in the confound columns");
    }
    for (const auto& c : table.columns)
      if (std::regex_match(c, re) && std::find(out.columns.begin(), out.columns.end(), c) == out.columns.end())
        out.columns.push_back(c);
  }
  if (static_cast<long>(table.rows.size()) != volumes)
    throw InputError(path, "has " + std::to_string(table.rows.size()) + " rows; the BOLD series has " +
                               std::to_string(volumes) + " volumes");
  out.values.resize(volumes, static_cast<Eigen::Index>(out.columns.size()));
  for (std::size_t j = 0; j < out.columns.size(); ++j) {
    const auto d = derived_values.find(out.columns[j]);
    const std::vector<double> v = d == derived_values.end() ? table.numeric(out.columns[j], path) : d->second;
    bool leading = true;
    for (long t = 0; t < volumes; ++t) {
      if (std::isfinite(v[t])) {
        leading = false;
        out.values(t, j) = v[t];
      } else if (leading && std::isnan(v[t])) {
        out.values(t, j) = 0.0;
      } else {
        throw InputError(path, "column " + out.columns[j] + " has n/a (or a non-finite value) at row " +
                                   std::to_string(t + 1) + ", after values: only leading n/a are allowed");
      }
    }
    if (leading) throw InputError(path, "column " + out.columns[j] + " has no values");
  }
  return out;
}

int dummy_scans_from_table(const Table& table, const std::string& path) {
  int dummy = 0;
  for (const auto& c : table.columns) {
    if (c.rfind("non_steady_state_outlier", 0) != 0) continue;
    const std::vector<double> v = table.numeric(c, path);
    for (std::size_t t = 0; t < v.size(); ++t)
      if (v[t] == 1.0) dummy = std::max(dummy, static_cast<int>(t) + 1);
  }
  return dummy;
}

}  // namespace axon::connectivity
