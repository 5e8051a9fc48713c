#include "axon/quality/motion_simulation.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "axon/core/error.hpp"
#include "axon/core/random.hpp"
#include "axon/image/grid.hpp"

namespace axon::quality {

MotionSettings severity_settings(const std::string& severity) {
  MotionSettings s;
  if (severity == "low")
    s.max_degrees = 1, s.max_translation_mm = 1, s.transforms = 2;
  else if (severity == "medium")
    s.max_degrees = 3, s.max_translation_mm = 3, s.transforms = 4;
  else if (severity == "high")
    s.max_degrees = 6, s.max_translation_mm = 6, s.transforms = 8;
  else
    throw UsageError("--severity: '" + severity + "' is not one of low, medium, high");
  return s;
}

int pose_at(const MotionPlan& plan, double t) {
  int p = 0;
  for (int i = 0; i < static_cast<int>(plan.poses.size()); ++i)
    if (plan.poses[i].start_time <= t) p = i;
  return p;
}

RigidParams draw_rigid_pose(Rng& rng, const MotionSettings& settings) {
  const double rad = settings.max_degrees * M_PI / 180.0, mm = settings.max_translation_mm;
  RigidParams p;
  p.rx = rng.uniform(-rad, rad), p.ry = rng.uniform(-rad, rad), p.rz = rng.uniform(-rad, rad);
  p.tx = rng.uniform(-mm, mm), p.ty = rng.uniform(-mm, mm), p.tz = rng.uniform(-mm, mm);
  return p;
}

MotionPlan draw_motion_plan(const MotionSettings& settings, int axis, std::uint64_t seed) {
  if (settings.transforms < 0 || settings.max_degrees < 0 || settings.max_translation_mm < 0)
    throw UsageError("motion settings must not be negative");
  Rng rng(seed);
  MotionPlan plan;
  plan.axis = axis;
  std::vector<double> times(settings.transforms);
  for (double& t : times) t = rng.uniform();
  std::sort(times.begin(), times.end());
  times.insert(times.begin(), 0.0);
  // Absolute poses first (the head at each segment), drawn in a fixed order.
  std::vector<Eigen::Matrix4d> absolute;
  for (std::size_t i = 0; i < times.size(); ++i) {
    Pose p;
    p.start_time = times[i];
    p.params = draw_rigid_pose(rng, settings);
    plan.poses.push_back(p);
  }
  if (settings.ghosting) plan.ghosting = draw_ghosting(rng, settings.max_degrees);
  // Relative to the pose at the centre of k-space: M_i' = M_i M_ref^-1, so
  // the reference pose becomes the identity. The centre is the origin here;
  // rigid_matrix with centre 0 composes exactly and the parameters keep
  // their meaning about any fixed centre because the image code applies
  // them about the grid centre (the composition of motions about the same
  // centre c is a motion about c).
  plan.reference_pose = pose_at(plan, 0.5);
  const Eigen::Vector3d zero = Eigen::Vector3d::Zero();
  const Eigen::Matrix4d ref_inverse = rigid_matrix(plan.poses[plan.reference_pose].params, zero).inverse();
  for (Pose& p : plan.poses) p.params = rigid_params_from_matrix(rigid_matrix(p.params, zero) * ref_inverse, zero);
  plan.poses[plan.reference_pose].params = RigidParams{};
  return plan;
}

Image<float> simulate_motion(const Image<float>& volume, const MotionPlan& plan) {
  if (volume.nt() != 1) throw InputError("", "motion simulation needs a 3D image");
  if (plan.axis < 0 || plan.axis > 2) throw UsageError("phase-encode axis must be 0, 1 or 2");
  const int64_t n = plan.axis == 0 ? volume.nx() : plan.axis == 1 ? volume.ny() : volume.nz();
  // Which pose each k-space plane (DFT bin) comes from, and its ghost scale.
  LineMixing mixing;
  mixing.axis = plan.axis;
  for (const Pose& p : plan.poses) mixing.poses.push_back(p.params);
  mixing.bin_pose.resize(static_cast<std::size_t>(n));
  for (int64_t bin = 0; bin < n; ++bin) mixing.bin_pose[bin] = pose_at(plan, linear_acquisition_time(bin, n));
  mixing.bin_scale = ghost_scales(n, plan.ghosting);
  return mix_pose_spectra(volume, mixing);
}

denoise::SsimWithSlices reference_ssim(const Image<float>& test, const Image<float>& reference,
                                       const std::vector<std::uint8_t>& mask) {
  const double range = denoise::reference_data_range(reference.data.data(), reference.data.size());
  return denoise::structural_similarity_with_slices(test.data.data(), reference.data.data(),
                                                    {reference.nx(), reference.ny(), reference.nz()}, range, mask);
}

}  // namespace axon::quality
