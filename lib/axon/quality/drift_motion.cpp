#include "axon/quality/drift_motion.hpp"

#include <algorithm>
#include <cmath>

#include "axon/core/error.hpp"
#include "axon/core/random.hpp"

namespace axon::quality {

RigidParams drift_pose(const DriftPlan& plan, double t) {
  const double u = t - 0.5;
  const double wave = std::sin(2 * M_PI * plan.cycles * u + plan.phase) - std::sin(plan.phase);
  auto at = [&](double rate, double amplitude) { return rate * u + amplitude * wave; };
  RigidParams p;
  p.rx = at(plan.rate.rx, plan.oscillation.rx), p.ry = at(plan.rate.ry, plan.oscillation.ry);
  p.rz = at(plan.rate.rz, plan.oscillation.rz);
  p.tx = at(plan.rate.tx, plan.oscillation.tx), p.ty = at(plan.rate.ty, plan.oscillation.ty);
  p.tz = at(plan.rate.tz, plan.oscillation.tz);
  return p;
}

DriftPlan draw_drift_plan(const MotionSettings& settings, int axis, std::uint64_t seed) {
  if (settings.max_degrees < 0 || settings.max_translation_mm < 0)
    throw UsageError("motion settings must not be negative");
  Rng rng(seed);
  DriftPlan plan;
  plan.axis = axis;
  auto draw = [&](double scale) {
    RigidParams p = draw_rigid_pose(rng, settings);
    p.rx *= scale, p.ry *= scale, p.rz *= scale, p.tx *= scale, p.ty *= scale, p.tz *= scale;
    return p;
  };
  plan.rate = draw(1.0);
  plan.oscillation = draw(0.5);
  plan.cycles = rng.uniform(0.5, 4.0);
  plan.phase = rng.uniform(0.0, 2 * M_PI);
  if (settings.ghosting) plan.ghosting = draw_ghosting(rng, settings.max_degrees);
  return plan;
}

Image<float> simulate_drift(const Image<float>& volume, const DriftPlan& plan) {
  if (plan.axis < 0 || plan.axis > 2) throw UsageError("phase-encode axis must be 0, 1 or 2");
  if (plan.steps < 1) throw UsageError("drift motion: steps must be positive");
  const int64_t n = plan.axis == 0 ? volume.nx() : plan.axis == 1 ? volume.ny() : volume.nz();
  // Step s (of time 1/2 + s / steps) for every line; the steps in use, in
  // order, each one pose.
  const double steps = static_cast<double>(plan.steps);
  std::vector<int64_t> bin_step(static_cast<std::size_t>(n));
  for (int64_t bin = 0; bin < n; ++bin)
    bin_step[bin] = std::llround((linear_acquisition_time(bin, n) - 0.5) * steps);
  std::vector<int64_t> used(bin_step);
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  LineMixing mixing;
  mixing.axis = plan.axis;
  for (const int64_t s : used)
    mixing.poses.push_back(s == 0 ? RigidParams{} : drift_pose(plan, 0.5 + static_cast<double>(s) / steps));
  mixing.bin_pose.resize(static_cast<std::size_t>(n));
  for (int64_t bin = 0; bin < n; ++bin)
    mixing.bin_pose[bin] = static_cast<int>(std::lower_bound(used.begin(), used.end(), bin_step[bin]) - used.begin());
  mixing.bin_scale = ghost_scales(n, plan.ghosting);
  return mix_pose_spectra(volume, mixing);
}

}  // namespace axon::quality
