#pragma once
// Motion between the shots of a segmented (multi-shot) acquisition: the
// phase-encode lines are acquired in `shots` interleaved segments (line of
// signed frequency f in shot (f + n/2) mod shots, as segmented TSE / EPI
// and segmented MPRAGE order them), one shot after another, and the head
// may move between shots. Every line therefore comes from the pose of its
// shot: k-space is spliced from interleaved lines of different poses, which
// gives ghosts at n / shots voxel spacing rather than the smooth smear of
// motion during a linear acquisition (motion_simulation.hpp). The shot that
// holds the centre of k-space is the reference pose, so the corrupted image
// stays registered to the input.
#include <cstdint>
#include <optional>
#include <vector>

#include "axon/image/image.hpp"
#include "axon/quality/kspace_mixing.hpp"
#include "axon/quality/motion_simulation.hpp"

namespace axon::quality {

struct ShotPlan {
  int axis = 1;                        // phase-encode voxel axis (0, 1, 2)
  int shots = 4;                       // interleaved segments, acquired in order 0, 1, ...
  std::vector<RigidParams> shot_pose;  // the head in each shot (simulate makes them relative to the centre's shot)
  std::optional<Ghosting> ghosting;
};

// The shot that acquires DFT bin `bin` of n.
int shot_of_bin(int64_t bin, int64_t n, int shots);

// 2 to 16 shots; the head moves `settings.transforms` times (at most
// shots - 1) at random shot boundaries, each pose's angles and translations
// uniform in [-max, max]; ghosting as draw_motion_plan. Every draw is in a
// fixed order, so poses scale with max_degrees and max_translation_mm for a
// given seed.
ShotPlan draw_shot_plan(const MotionSettings& settings, int axis, std::uint64_t seed);

// The corrupted 3D image (same header); deterministic for any thread count.
Image<float> simulate_shot_motion(const Image<float>& volume, const ShotPlan& plan);

}  // namespace axon::quality
