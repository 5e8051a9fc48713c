#pragma once
// The motion corruption models the SSIM regressor can be trained and
// measured on, by name, so that training and benches choose among them
// (a scorer that only knows one simulator learns its fingerprint):
//   kspace  poses changing at random times during a linear acquisition
//           (motion_simulation.hpp)
//   shots   the head moving between the interleaved shots of a segmented
//           acquisition (shot_motion.hpp)
//   drift   continuous drift with a periodic component (drift_motion.hpp)
// Each takes the same severity settings (MotionSettings) and phase-encode
// axis, with or without ghosting.
#include <cstdint>
#include <string>
#include <vector>

#include "axon/image/image.hpp"
#include "axon/quality/motion_simulation.hpp"

namespace axon::quality {

enum class CorruptionModel { kspace, shots, drift };

// "kspace", "shots", "drift"; UsageError for another name.
CorruptionModel parse_corruption_model(const std::string& name);
std::string corruption_model_name(CorruptionModel model);
// A comma-separated list ("kspace,drift"); UsageError when empty or unknown.
std::vector<CorruptionModel> parse_corruption_models(const std::string& list);

// `volume` corrupted by `model` with a motion drawn from `settings` and
// `seed` on phase-encode axis `axis`. Deterministic for any thread count.
Image<float> corrupt(const Image<float>& volume, CorruptionModel model, const MotionSettings& settings, int axis,
                     std::uint64_t seed);

}  // namespace axon::quality
