#include "axon/motion/confounds.hpp"

#include <cmath>
#include <cstdio>

namespace axon::motion {
namespace {

const char* const kParameterNames[6] = {"trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"};

std::vector<double> as_vector(const Eigen::VectorXd& v) { return {v.data(), v.data() + v.size()}; }

std::string two_digits(const std::string& prefix, int64_t k) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld", static_cast<long long>(k));
  return prefix + buf;
}

void add_one_hot(Table& table, const std::string& prefix, const std::vector<int64_t>& volumes, int64_t total) {
  const OneHotColumns columns = one_hot_columns(prefix, volumes, total);
  for (std::size_t c = 0; c < columns.names.size(); ++c)
    table.add_column(columns.names[c], as_vector(columns.values.col(static_cast<Eigen::Index>(c))));
}

}  // namespace

Eigen::VectorXd mean_signal(const Eigen::MatrixXf& series) {
  Eigen::VectorXd mean(series.cols());
  for (Eigen::Index t = 0; t < series.cols(); ++t) mean[t] = series.col(t).cast<double>().mean();
  return mean;
}

MotionConfounds build_confounds(const ParameterSeries& params, const DvarsResult& dvars,
                                const TissueSignals& tissue, const ConfoundSettings& settings) {
  const int64_t nt = params.rows();
  MotionConfounds out;
  Table& table = out.table;
  const Eigen::MatrixXd d1 = derivative1(params);
  const Eigen::MatrixXd p2 = power2(params), d1p2 = power2(d1);
  for (int c = 0; c < 6; ++c) table.add_column(kParameterNames[c], as_vector(params.col(c)));
  for (int c = 0; c < 6; ++c) {
    const std::string name = kParameterNames[c];
    table.add_column(name + "_derivative1", as_vector(d1.col(c)));
    table.add_column(name + "_power2", as_vector(p2.col(c)));
    table.add_column(name + "_derivative1_power2", as_vector(d1p2.col(c)));
  }
  out.framewise_displacement = framewise_displacement(params, settings.head_radius_mm);
  table.add_column("framewise_displacement", as_vector(out.framewise_displacement));
  table.add_column("rmsd", as_vector(relative_rms(params, settings.rms_radius_mm)));
  table.add_column("dvars", as_vector(dvars.dvars));
  table.add_column("std_dvars", as_vector(dvars.std_dvars));
  table.add_column("global_signal", as_vector(dvars.global_signal));
  if (tissue.white_matter.size() == nt) table.add_column("white_matter", as_vector(tissue.white_matter));
  if (tissue.csf.size() == nt) table.add_column("csf", as_vector(tissue.csf));
  if (tissue.acompcor)
    for (int64_t c = 0; c < tissue.acompcor->kept; ++c)
      table.add_column(two_digits("a_comp_cor_", c), as_vector(tissue.acompcor->components.col(c)));

  std::vector<int64_t> non_steady;
  for (int64_t t = 0; t < std::min(settings.non_steady_volumes, nt); ++t) non_steady.push_back(t);
  add_one_hot(table, "non_steady_state_outlier_", non_steady, nt);
  out.fd_outliers = volumes_over(out.framewise_displacement, settings.fd_threshold_mm);
  out.dvars_outliers = volumes_over(dvars.std_dvars, settings.dvars_threshold);
  out.motion_outliers = merge_volumes(out.fd_outliers, out.dvars_outliers);
  add_one_hot(table, "motion_outlier_", out.motion_outliers, nt);
  return out;
}

nlohmann::json motion_summary(const ParameterSeries& params, const MotionConfounds& confounds,
                              const ConfoundSettings& settings) {
  const Eigen::VectorXd& fd = confounds.framewise_displacement;
  double sum = 0, max_fd = 0;
  int64_t counted = 0;
  for (Eigen::Index t = 0; t < fd.size(); ++t)
    if (std::isfinite(fd[t])) sum += fd[t], ++counted, max_fd = std::max(max_fd, fd[t]);
  double max_translation = 0, max_rotation = 0;
  for (Eigen::Index t = 0; t < params.rows(); ++t) {
    max_translation = std::max(max_translation, params.row(t).head<3>().norm());
    max_rotation = std::max(max_rotation, params.row(t).tail<3>().cwiseAbs().maxCoeff());
  }
  const auto percent = [&](std::size_t n) { return counted ? 100.0 * static_cast<double>(n) / counted : 0.0; };
  return {{"volumes", params.rows()},
          {"mean_fd_mm", counted ? sum / counted : 0.0},
          {"max_fd_mm", max_fd},
          {"fd_threshold_mm", settings.fd_threshold_mm},
          {"volumes_over_fd_threshold", confounds.fd_outliers.size()},
          {"percent_over_fd_threshold", percent(confounds.fd_outliers.size())},
          {"dvars_threshold", settings.dvars_threshold},
          {"volumes_over_dvars_threshold", confounds.dvars_outliers.size()},
          {"motion_outliers", confounds.motion_outliers.size()},
          {"percent_motion_outliers", percent(confounds.motion_outliers.size())},
          {"max_translation_from_first_mm", max_translation},
          {"max_rotation_from_first_deg", max_rotation * 180.0 / M_PI},
          {"non_steady_state_volumes", settings.non_steady_volumes}};
}

}  // namespace axon::motion
