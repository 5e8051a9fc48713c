#include "cleaning_options.hpp"

#include <stdexcept>

#include "axon/connectivity/confounds.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/io/tsv.hpp"
#include "axon/signal/butterworth.hpp"

using namespace axon::cli;
namespace conn = axon::connectivity;

namespace {

double positive_or_zero(const Args& args, const std::string& name) {
  if (!args.has(name)) return 0;
  const double v = args.real(name);
  if (v < 0) throw axon::UsageError("--" + name + " must not be negative");
  return v;
}

}  // namespace

Command& add_cleaning_options(Command& c) {
  return c
      .option(value(ValueKind::input_file, "confounds", "TSV", "fMRIPrep-style confounds (one row per volume)"))
      .option(choice("strategy", {"auto", "6P", "24P", "36P", "acompcor", "none"}, "auto",
                     "confound preset (docs/axon-connectivity.md); auto: 36P with --confounds, none without"))
      .option(repeated(value(ValueKind::text, "confound-columns", "NAME|REGEX",
                             "confound columns by name or regular expression (replaces --strategy)")))
      .option(value(ValueKind::input_file, "strategy-file", "YAML",
                    "confound strategy file: 'strategy: PRESET' and/or 'columns: [...]' (replaces --strategy)"))
      .option(value(ValueKind::real, "high-pass", "HZ", "high-pass cut-off (Butterworth); 0: none", "0"))
      .option(value(ValueKind::real, "low-pass", "HZ", "low-pass cut-off (Butterworth); 0: none", "0"))
      .option(value(ValueKind::integer, "filter-order", "N", "Butterworth order (zero-phase: applied twice)", "2"))
      .option(value(ValueKind::real, "tr", "S", "repetition time, overriding the header's"))
      .option(choice("detrend", {"linear", "none"}, "linear", "detrending of signals and confounds"))
      .option(choice("standardize", {"zscore", "psc", "none"}, "zscore", "scaling of the cleaned series"))
      .option(value(ValueKind::text, "dummy-scans", "N|auto",
                    "volumes removed at the start; auto: from non_steady_state_outlier columns", "0"))
      .option(value(ValueKind::real, "censor-fd", "MM",
                    "censor volumes with framewise_displacement above this; 0: off", "0"))
      .option(value(ValueKind::real, "censor-std-dvars", "X", "censor volumes with std_dvars above this; 0: off", "0"))
      .option(value(ValueKind::integer, "min-segment", "N", "censor runs of kept volumes shorter than N", "0"))
      .option(value(ValueKind::real, "min-time", "S", "refuse (exit 3) when fewer seconds remain", "0"));
}

CleaningPlan plan_cleaning(const Args& args, const axon::ImageHeader& header, const std::string& bold, bool need_tr) {
  CleaningPlan p;
  p.volumes = static_cast<long>(header.nt());
  axon::signal::CleanOptions& clean = p.clean;
  clean.high_pass_hz = positive_or_zero(args, "high-pass");
  clean.low_pass_hz = positive_or_zero(args, "low-pass");
  clean.filter_order = static_cast<int>(args.integer("filter-order"));
  if (clean.filter_order < 1 || clean.filter_order > 8) throw axon::UsageError("--filter-order must be 1 to 8");
  clean.detrend = args.text("detrend") == "linear";
  clean.standardize = axon::signal::parse_standardize(args.text("standardize"));
  const double min_time = positive_or_zero(args, "min-time");
  const bool filtering = clean.high_pass_hz > 0 || clean.low_pass_hz > 0;
  double tr = args.has("tr") ? args.real("tr") : header.repetition_time();
  if (args.has("tr") && !(tr > 0)) throw axon::UsageError("--tr must be positive");
  const std::string tr_problem = args.has("tr") ? "" : header.repetition_time_problem();
  if (!(tr > 0) || !tr_problem.empty()) {
    if (filtering || min_time > 0 || need_tr)
      throw axon::InputError(bold, "no usable repetition time in the header" +
                                       (tr_problem.empty() ? std::string() : " (" + tr_problem + ")") + ": give --tr");
    tr = 0;
  }
  clean.tr = tr;
  if (filtering) {
    try {
      axon::signal::butterworth(clean.filter_order, clean.high_pass_hz, clean.low_pass_hz, tr);
    } catch (const std::invalid_argument& e) {
      throw axon::UsageError(e.what());
    }
  }
  conn::CensorOptions& censor = p.censor;
  const std::string dummy_text = args.text("dummy-scans");
  const bool dummy_auto = dummy_text == "auto";
  if (!dummy_auto) {
    try {
      std::size_t used = 0;
      censor.dummy_scans = std::stoi(dummy_text, &used);
      if (used != dummy_text.size()) throw std::invalid_argument(dummy_text);
    } catch (const std::exception&) {
      throw axon::UsageError("--dummy-scans takes a number or auto, not '" + dummy_text + "'");
    }
  }
  censor.fd_threshold = positive_or_zero(args, "censor-fd");
  censor.std_dvars_threshold = positive_or_zero(args, "censor-std-dvars");
  censor.min_segment = static_cast<int>(args.integer("min-segment"));
  if (censor.dummy_scans < 0 || censor.dummy_scans >= p.volumes)
    throw axon::UsageError("--dummy-scans must lie in [0, volumes)");

  const bool have_confounds = args.has("confounds");
  p.strategy = args.text("strategy");
  if (p.strategy == "auto") p.strategy = have_confounds ? "36P" : "none";
  conn::ConfoundSpec spec = args.has("confound-columns") ? conn::spec_from_list(args.list("confound-columns"))
                                                          : conn::strategy_columns(p.strategy);
  if (args.has("confound-columns")) p.strategy = "custom";
  if (args.has("strategy-file")) {
    if (args.has("confound-columns")) throw axon::UsageError("give --strategy-file or --confound-columns, not both");
    spec = conn::strategy_from_yaml(args.text("strategy-file"));
    p.strategy = "file:" + args.text("strategy-file");
  }
  const bool need_table = !spec.names.empty() || !spec.patterns.empty() || censor.fd_threshold > 0 ||
                          censor.std_dvars_threshold > 0;
  if ((need_table || dummy_auto) && !have_confounds)
    throw axon::UsageError("the confound strategy, censoring or --dummy-scans auto needs --confounds");
  conn::Confounds confounds;
  std::vector<double> fd, dvars;
  if (have_confounds) {
    const std::string path = args.text("confounds");
    const axon::Table table = axon::read_tsv(path);
    confounds = conn::select_confounds(table, path, spec, p.volumes);
    p.derived_columns = confounds.derived;
    if (!confounds.derived.empty()) {
      std::string names;
      for (const auto& c : confounds.derived) names += (names.empty() ? "" : ", ") + c;
      axon::log::warn(path + ": " + std::to_string(confounds.derived.size()) +
                      " confound columns are absent and were derived from their base columns (as XCP-D does): " +
                      names);
    }
    auto column = [&](const std::string& name) {
      if (!table.has_column(name)) throw axon::InputError(path, "censoring needs the column " + name);
      return table.numeric(name, path);
    };
    if (dummy_auto) censor.dummy_scans = conn::dummy_scans_from_table(table, path);
    if (censor.dummy_scans >= p.volumes) throw axon::InputError(path, "every volume is a dummy scan");
    if (censor.fd_threshold > 0) fd = column("framewise_displacement");
    if (censor.std_dvars_threshold > 0) dvars = column("std_dvars");
  }
  p.reasons = conn::censor_volumes(p.volumes, fd, dvars, censor);
  p.first = censor.dummy_scans;
  const long kept_total = p.volumes - p.first;
  p.confounds = confounds.values.rows() ? Eigen::MatrixXd(confounds.values.bottomRows(kept_total))
                                        : Eigen::MatrixXd(kept_total, 0);
  p.confound_columns = confounds.columns;
  clean.keep.assign(kept_total, true);
  for (long t = 0; t < kept_total; ++t) {
    clean.keep[t] = p.reasons[p.first + t] == conn::CensorReason::kept;
    p.kept += clean.keep[t] ? 1 : 0;
  }
  if (p.kept == 0) throw axon::InputError(bold, "every volume is censored");
  if (min_time > 0 && p.kept * tr < min_time)
    throw axon::InputError(bold, std::to_string(p.kept) + " volumes (" + axon::format_number(p.kept * tr) +
                                     " s) remain after censoring, fewer than --min-time " +
                                     axon::format_number(min_time) + " s");
  if (p.kept <= p.confounds.cols() + 2)
    throw axon::InputError(bold, std::to_string(p.kept) + " volumes remain for " +
                                     std::to_string(p.confounds.cols()) + " confounds: too few degrees of freedom");
  return p;
}

nlohmann::json CleaningPlan::parameters(const Args& args) const {
  return {{"Strategy", strategy},
          {"ConfoundColumns", confound_columns},
          {"ConfoundColumnsDerived", derived_columns},
          {"HighPass", clean.high_pass_hz},
          {"LowPass", clean.low_pass_hz},
          {"FilterOrder", clean.filter_order},
          {"RepetitionTime", clean.tr},
          {"Detrend", args.text("detrend")},
          {"Standardize", args.text("standardize")},
          {"DummyScans", censor.dummy_scans},
          {"VolumesTotal", volumes},
          {"VolumesKept", kept},
          {"CleaningOrder", "detrend; interpolate censored (cubic spline); filter signals and confounds; "
                            "drop censored; regress z-scored confounds; standardize (nilearn.signal.clean)"}};
}
