#pragma once
// The four co-registered MRI contrasts of a brain-tumour case (BraTS: T1,
// T1ce, T2, FLAIR), read, checked and masked: step 1 and 2 of
// axon-segment tumour (docs/axon-segment.md#tumour).
#include <cstdint>
#include <string>
#include <vector>

#include "axon/image/image.hpp"

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
};

// Affines of the channels may differ by at most this much (mm) per entry.
constexpr double kTumourGridTolerance = 1e-4;

// Reads every channel as a 3D image with finite values, checks that all
// share the first one's grid (same dimensions, affines within
// kTumourGridTolerance) and builds the brain mask. Throws InputError naming
// the file: unreadable, 4D, NaN/Inf, on another grid than the first; an
// all-zero brain names the first channel's file.
TumourInputs read_tumour_inputs(const std::vector<TumourChannelPath>& paths);

// The brain mask of co-registered channels: 1 where any channel != 0.
std::vector<std::uint8_t> nonzero_brain_mask(const std::vector<Image<float>>& images);

}  // namespace axon::segment
