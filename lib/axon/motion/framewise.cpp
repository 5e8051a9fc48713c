#include "axon/motion/framewise.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>

namespace axon::motion {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The rigid transform of a row in coordinates centred on the centre of
// rotation, where p' = R p + t (rigid.hpp with c = 0).
Eigen::Matrix4d centred_matrix(const ParameterSeries& series, Eigen::Index row) {
  RigidParams p;
  p.tx = series(row, 0);
  p.ty = series(row, 1);
  p.tz = series(row, 2);
  p.rx = series(row, 3);
  p.ry = series(row, 4);
  p.rz = series(row, 5);
  return rigid_matrix(p, Eigen::Vector3d::Zero());
}
}  // namespace

ParameterSeries parameter_series(const std::vector<RigidParams>& params) {
  ParameterSeries s(static_cast<Eigen::Index>(params.size()), 6);
  for (std::size_t t = 0; t < params.size(); ++t) {
    const auto& p = params[t];
    s.row(static_cast<Eigen::Index>(t)) << p.tx, p.ty, p.tz, p.rx, p.ry, p.rz;
  }
  return s;
}

std::vector<RigidParams> rigid_params(const ParameterSeries& series) {
  std::vector<RigidParams> out(static_cast<std::size_t>(series.rows()));
  for (Eigen::Index t = 0; t < series.rows(); ++t)
    out[static_cast<std::size_t>(t)] = {series(t, 0), series(t, 1), series(t, 2),
                                        series(t, 3), series(t, 4), series(t, 5)};
  return out;
}

Eigen::MatrixXd derivative1(const Eigen::MatrixXd& series) {
  Eigen::MatrixXd d(series.rows(), series.cols());
  if (series.rows() == 0) return d;
  d.row(0).setConstant(kNaN);
  for (Eigen::Index t = 1; t < series.rows(); ++t) d.row(t) = series.row(t) - series.row(t - 1);
  return d;
}

Eigen::MatrixXd power2(const Eigen::MatrixXd& series) { return series.array().square().matrix(); }

Eigen::VectorXd framewise_displacement(const ParameterSeries& series, double radius_mm) {
  Eigen::VectorXd fd(series.rows());
  if (series.rows() == 0) return fd;
  fd(0) = kNaN;
  for (Eigen::Index t = 1; t < series.rows(); ++t) {
    const auto d = (series.row(t) - series.row(t - 1)).cwiseAbs();
    fd(t) = d.head<3>().sum() + radius_mm * d.tail<3>().sum();
  }
  return fd;
}

Eigen::VectorXd relative_rms(const ParameterSeries& series, double radius_mm) {
  Eigen::VectorXd rms(series.rows());
  if (series.rows() == 0) return rms;
  rms(0) = kNaN;
  Eigen::Matrix4d previous = centred_matrix(series, 0);
  for (Eigen::Index t = 1; t < series.rows(); ++t) {
    const Eigen::Matrix4d current = centred_matrix(series, t);
    // FSL's rms_deviation(current, previous): M = a1 a2^-1 - I.
    const Eigen::Matrix4d m = current * previous.inverse() - Eigen::Matrix4d::Identity();
    const Eigen::Matrix3d a = m.topLeftCorner<3, 3>();
    const Eigen::Vector3d td = m.topRightCorner<3, 1>();
    rms(t) = std::sqrt(td.squaredNorm() + radius_mm * radius_mm / 5.0 * (a.transpose() * a).trace());
    previous = current;
  }
  return rms;
}

std::vector<int64_t> volumes_over(const Eigen::VectorXd& values, double threshold) {
  std::vector<int64_t> out;
  for (Eigen::Index t = 0; t < values.size(); ++t)
    if (values(t) > threshold) out.push_back(static_cast<int64_t>(t));  // false for NaN
  return out;
}

std::vector<int64_t> merge_volumes(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  std::vector<int64_t> out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

OneHotColumns one_hot_columns(const std::string& prefix, const std::vector<int64_t>& volumes, int64_t total_volumes) {
  OneHotColumns out;
  out.values = Eigen::MatrixXd::Zero(total_volumes, static_cast<Eigen::Index>(volumes.size()));
  for (std::size_t k = 0; k < volumes.size(); ++k) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "%02zu", k);
    out.names.push_back(prefix + suffix);
    out.values(volumes[k], static_cast<Eigen::Index>(k)) = 1.0;
  }
  return out;
}

}  // namespace axon::motion
