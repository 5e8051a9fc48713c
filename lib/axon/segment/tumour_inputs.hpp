#pragma once
// The four MRI contrasts of a brain-tumour case (BraTS: T1, T1ce, T2,
// FLAIR), read, checked, brought onto one grid when asked, and masked: step 1
// and 2 of axon-segment tumour (docs/axon-segment.md#tumour).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "axon/image/image.hpp"
#include "axon/segment/coregister_modalities.hpp"

namespace axon::segment {

// One input contrast: the name the model card calls it ("t1", "t1ce", "t2",
// "flair") and its file.
struct TumourChannelPath {
  std::string name, path;
};

struct TumourInputs {
  std::vector<TumourChannelPath> paths;  // in the order given (the card's channel order)
  std::vector<Image<float>> images;      // one 3D image per channel, scaling applied, all on one grid
  std::vector<std::uint8_t> brain;       // 1 where any channel is non-zero
  // With TumourCoregistration::automatic: what happened to each channel, in
  // `paths` order (the reference is never moved); empty otherwise.
  std::vector<Coregistration> coregistration;

  // Was the channel called `name` registered and resampled?
  bool moved(const std::string& name) const;
  // For the sidecar: the reference, the method and, per channel name, what
  // Coregistration::to_json says; null without co-registration.
  nlohmann::json coregistration_json() const;
};

enum class TumourCoregistration {
  off,        // every channel must be on the first one's grid (InputError otherwise)
  automatic,  // channels not on the reference's grid are registered rigidly to it and resampled
};

// The channel the others are brought onto: the contrast-enhanced T1, where
// the enhancing tumour (the smallest region) is seen, so that the labels of
// the region that needs the finest detail are not blurred by resampling.
constexpr const char* kTumourReferenceChannel = "t1ce";

// Affines of the channels may differ by at most this much (mm) per entry.
constexpr double kTumourGridTolerance = 1e-4;

// Reads every channel as a 3D image with finite values and builds the brain
// mask. `off`: checks that all share the first one's grid (same dimensions,
// affines within kTumourGridTolerance). `automatic`: every channel not on
// the grid of kTumourReferenceChannel (or, without one, the first) is
// brought onto it by coregister_to_reference (rigid, Mattes MI, linear
// resampling, `seed`); channels on it are left as read. Throws InputError
// naming the file: unreadable, 4D, NaN/Inf, on another grid than the first
// (off), not registrable (automatic); an all-zero brain names the first
// channel's file.
TumourInputs read_tumour_inputs(const std::vector<TumourChannelPath>& paths,
                                TumourCoregistration coregistration = TumourCoregistration::off,
                                std::uint64_t seed = 42);

// The brain mask of co-registered channels: 1 where any channel != 0.
std::vector<std::uint8_t> nonzero_brain_mask(const std::vector<Image<float>>& images);

}  // namespace axon::segment
