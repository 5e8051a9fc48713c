#include "testdata/true_motion.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "axon/core/error.hpp"

namespace axon::testdata {
namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kDegree = kPi / 180.0;
constexpr int kMinJumpSpacing = 3;

Eigen::Vector3d random_unit_vector(Rng& rng) {
  Eigen::Vector3d v;
  do v = Eigen::Vector3d(rng.normal(), rng.normal(), rng.normal());
  while (v.norm() < 1e-6);
  return v.normalized();
}

double& param(RigidParams& p, int j) {
  double* fields[6] = {&p.tx, &p.ty, &p.tz, &p.rx, &p.ry, &p.rz};
  return *fields[j];
}
}  // namespace

MotionKind parse_motion_kind(const std::string& name) {
  if (name == "none") return MotionKind::none;
  if (name == "jumps") return MotionKind::jumps;
  throw UsageError("unknown motion kind '" + name + "' (none, jumps)");
}

const char* motion_kind_name(MotionKind kind) { return kind == MotionKind::none ? "none" : "jumps"; }

MotionTruth make_true_motion(int64_t volumes, MotionKind kind, int jumps, Rng& rng) {
  if (volumes < 1) throw UsageError("the number of volumes must be positive");
  MotionTruth truth;
  truth.params.assign(static_cast<size_t>(volumes), RigidParams{});
  if (kind == MotionKind::none) return truth;
  if (jumps < 0) throw UsageError("the number of jumps must not be negative");
  if (jumps > 0 && (volumes - 1) < static_cast<int64_t>(jumps) * kMinJumpSpacing)
    throw UsageError(std::to_string(jumps) + " jumps need at least " + std::to_string(jumps * kMinJumpSpacing + 1) +
                     " volumes");

  for (int j = 0; j < 6; ++j) {
    const double amplitude = j < 3 ? 0.1 : 0.1 * kDegree;
    for (int wave = 0; wave < 2; ++wave) {
      const double period = rng.uniform(0.5, 2.0) * static_cast<double>(volumes);
      const double phase = rng.uniform(0.0, 2.0 * kPi);
      for (int64_t t = 0; t < volumes; ++t)
        param(truth.params[static_cast<size_t>(t)], j) +=
            amplitude * (std::cos(2.0 * kPi * static_cast<double>(t) / period + phase) - std::cos(phase));
    }
  }

  // Spaced jump volumes without rejection dead ends: k distinct sorted u_i
  // from [1, last], then v_i = u_i + i (spacing - 1), a bijection onto the
  // sets with gaps of at least `spacing` inside [1, volumes - 1].
  const int64_t last = (volumes - 1) - static_cast<int64_t>(std::max(jumps - 1, 0)) * (kMinJumpSpacing - 1);
  std::vector<int64_t> u;
  while (static_cast<int>(u.size()) < jumps) {
    const int64_t candidate = rng.uniform_int(1, last);
    if (std::find(u.begin(), u.end(), candidate) == u.end()) u.push_back(candidate);
  }
  std::sort(u.begin(), u.end());
  for (size_t i = 0; i < u.size(); ++i)
    truth.jump_volumes.push_back(u[i] + static_cast<int64_t>(i) * (kMinJumpSpacing - 1));
  for (int64_t v : truth.jump_volumes) {
    const Eigen::Vector3d shift = random_unit_vector(rng) * rng.uniform(0.5, 2.0);
    const Eigen::Vector3d turn = random_unit_vector(rng) * rng.uniform(0.5, 2.0) * kDegree;
    RigidParams step{shift.x(), shift.y(), shift.z(), turn.x(), turn.y(), turn.z()};
    truth.jump_steps.push_back(step);
    for (int64_t t = v; t < volumes; ++t)
      for (int j = 0; j < 6; ++j) param(truth.params[static_cast<size_t>(t)], j) += param(step, j);
  }
  return truth;
}

}  // namespace axon::testdata
