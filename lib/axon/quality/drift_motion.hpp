#pragma once
// Continuous motion during a linear acquisition: the head drifts steadily
// (a slow slide or nod, as a tiring subject) with a periodic component on
// top (breathing, swallowing), instead of jumping between a few still poses
// (motion_simulation.hpp). Pose relative to the pose at the centre of
// k-space, at acquisition time t in [0, 1) and u = t - 1/2:
//   r(u) = rate * u + oscillation * (sin(2 pi cycles u + phase) - sin(phase)),
// each of the six rigid parameters on its own, so r(0) is the identity.
// The drift is applied as `steps` piecewise-constant poses centred on the
// k-space centre (phase-encode line f takes the pose of the step nearest to
// its time; a step is at most one line, so steps >= n is the exact
// line-by-line motion).
#include <cstdint>
#include <optional>

#include "axon/image/image.hpp"
#include "axon/quality/kspace_mixing.hpp"
#include "axon/quality/motion_simulation.hpp"

namespace axon::quality {

struct DriftPlan {
  int axis = 1;               // phase-encode voxel axis (0, 1, 2)
  RigidParams rate;           // change over the whole acquisition
  RigidParams oscillation;    // amplitude of the periodic component
  double cycles = 0;          // periods of the oscillation during the acquisition
  double phase = 0;           // its phase at the centre of k-space (radians)
  int steps = 32;             // poses the drift is cut into
  std::optional<Ghosting> ghosting;
};

// The pose at acquisition time t (relative to the centre's, exactly the
// identity at t = 1/2).
RigidParams drift_pose(const DriftPlan& plan, double t);

// Each rate uniform in [-max, max] (angles in degrees, translations in mm),
// each oscillation amplitude uniform in [-max/2, max/2], 0.5 to 4 cycles, a
// uniform phase; 32 steps; ghosting as draw_motion_plan. The draws are in a
// fixed order, so the poses scale with max_degrees and max_translation_mm
// for a given seed. `settings.transforms` is not used.
DriftPlan draw_drift_plan(const MotionSettings& settings, int axis, std::uint64_t seed);

// The corrupted 3D image (same header); deterministic for any thread count.
Image<float> simulate_drift(const Image<float>& volume, const DriftPlan& plan);

}  // namespace axon::quality
