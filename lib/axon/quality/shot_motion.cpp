#include "axon/quality/shot_motion.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "axon/core/error.hpp"
#include "axon/core/random.hpp"
#include "axon/quality/line_fft.hpp"

namespace axon::quality {

int shot_of_bin(int64_t bin, int64_t n, int shots) {
  return static_cast<int>((signed_frequency(bin, n) + n / 2) % shots);
}

ShotPlan draw_shot_plan(const MotionSettings& settings, int axis, std::uint64_t seed) {
  if (settings.transforms < 0 || settings.max_degrees < 0 || settings.max_translation_mm < 0)
    throw UsageError("motion settings must not be negative");
  Rng rng(seed);
  ShotPlan plan;
  plan.axis = axis;
  plan.shots = static_cast<int>(rng.uniform_int(2, 16));
  // The boundaries (before shot 1 .. shots - 1) at which the head moves: a
  // random subset, by a partial Fisher-Yates shuffle.
  std::vector<int> boundaries(static_cast<std::size_t>(plan.shots - 1));
  for (int b = 0; b < plan.shots - 1; ++b) boundaries[b] = b + 1;
  const int moves = std::min(settings.transforms, plan.shots - 1);
  for (int i = 0; i < moves; ++i)
    std::swap(boundaries[i], boundaries[i + static_cast<int>(rng.uniform_int(0, plan.shots - 2 - i))]);
  boundaries.resize(static_cast<std::size_t>(moves));
  std::sort(boundaries.begin(), boundaries.end());
  auto draw_pose = [&] { return draw_rigid_pose(rng, settings); };
  // Absolute poses: one per stretch of shots between moves.
  RigidParams current = draw_pose();
  std::size_t next = 0;
  for (int s = 0; s < plan.shots; ++s) {
    if (next < boundaries.size() && boundaries[next] == s) current = draw_pose(), ++next;
    plan.shot_pose.push_back(current);
  }
  if (settings.ghosting) plan.ghosting = draw_ghosting(rng, settings.max_degrees);
  return plan;
}

Image<float> simulate_shot_motion(const Image<float>& volume, const ShotPlan& plan) {
  if (plan.axis < 0 || plan.axis > 2) throw UsageError("phase-encode axis must be 0, 1 or 2");
  if (plan.shots < 1 || static_cast<int>(plan.shot_pose.size()) != plan.shots)
    throw UsageError("shot motion: one pose per shot is needed");
  const int64_t n = plan.axis == 0 ? volume.nx() : plan.axis == 1 ? volume.ny() : volume.nz();
  LineMixing mixing;
  mixing.axis = plan.axis;
  // Relative to the shot holding the centre of k-space (f = 0), which
  // depends on n: as in draw_motion_plan, M_s' = M_s M_ref^-1 about a common
  // centre. Shots in the reference's own pose get the identity exactly.
  const int reference = shot_of_bin(0, n, plan.shots);
  const RigidParams& ref = plan.shot_pose[reference];
  const Eigen::Vector3d zero = Eigen::Vector3d::Zero();
  const Eigen::Matrix4d ref_inverse = rigid_matrix(ref, zero).inverse();
  for (const RigidParams& p : plan.shot_pose) {
    const bool same = p.rx == ref.rx && p.ry == ref.ry && p.rz == ref.rz && p.tx == ref.tx && p.ty == ref.ty &&
                      p.tz == ref.tz;
    mixing.poses.push_back(same ? RigidParams{} : rigid_params_from_matrix(rigid_matrix(p, zero) * ref_inverse, zero));
  }
  mixing.bin_pose.resize(static_cast<std::size_t>(n));
  for (int64_t bin = 0; bin < n; ++bin) mixing.bin_pose[bin] = shot_of_bin(bin, n, plan.shots);
  mixing.bin_scale = ghost_scales(n, plan.ghosting);
  return mix_pose_spectra(volume, mixing);
}

}  // namespace axon::quality
