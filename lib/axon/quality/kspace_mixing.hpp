#pragma once
// The step every k-space motion corruption model shares: k-space lines
// along the phase-encode axis, each acquired while the head was in one of
// several rigid poses, are put together and transformed back.
//
// A corruption model (motion_simulation.hpp: poses changing at random
// times; shot_motion.hpp: interleaved shots; drift_motion.hpp: continuous
// drift) only decides which pose each phase-encode plane (DFT bin) comes
// from and how it is scaled (ghosting); this step does the rest, exactly
// and deterministically for any thread count (see motion_simulation.hpp for
// why 1D transforms along the phase-encode axis are exact).
#include <cstdint>
#include <optional>
#include <vector>

#include "axon/image/image.hpp"
#include "axon/core/random.hpp"
#include "axon/image/rigid.hpp"

namespace axon::quality {

struct Ghosting {
  int period = 0;          // every period-th plane
  double intensity = 0;    // scaled by (1 - intensity)
};

struct LineMixing {
  int axis = 1;                      // phase-encode voxel axis (0, 1, 2)
  std::vector<RigidParams> poses;    // the head in each pose, relative to the reference pose
  std::vector<int> bin_pose;         // for each DFT bin of the phase-encode axis (FFT order): its pose
  std::vector<float> bin_scale;      // and its scale (1 = as acquired)
};

// A random ghosting for a simulator with rotations up to `max_degrees`:
// period 3-10 planes, intensity 0.2 to 0.2 + 0.1 max_degrees (at most
// 0.9), drawn in that order (every simulator draws it the same way).
Ghosting draw_ghosting(Rng& rng, double max_degrees);

// The acquisition time in [0, 1) of DFT bin `bin` of n in linear order (most
// negative frequency first): (f + n/2) / n for its signed frequency f.
double linear_acquisition_time(int64_t bin, int64_t n);

// The scale of every bin under `ghosting` (TorchIO's RandomGhosting: every
// period-th plane but the centre scaled by 1 - intensity); all 1 without.
std::vector<float> ghost_scales(int64_t n, const std::optional<Ghosting>& ghosting);

// The magnitude image of the mixed k-space (same header). Each pose's volume
// is the input moved by its parameters (linear interpolation, zero
// outside); a pose no bin refers to costs nothing. Throws InputError for a
// 4D input and UsageError for an axis or bin table that does not fit.
Image<float> mix_pose_spectra(const Image<float>& volume, const LineMixing& mixing);

}  // namespace axon::quality
