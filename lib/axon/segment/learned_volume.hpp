#pragma once
// Runs a one-input network card (a T1-weighted volume in, probabilities
// out) on a 3D image and brings the asked output channels back to the
// input grid: the shared path of the learned brain extractor and the
// learned tissue classifier. The image is reoriented to the card's axes,
// cropped to its non-zero voxels (what the network never sees is zero
// anyway), normalised over those voxels by the card's kind, resampled to
// the card's spacing, run by sliding window (the card's patch shrunk to the
// volume, rounded up to a multiple of 8: one window where it fits) with
// mirroring over the card's axes and the ensemble's members, and the asked
// channels are interpolated back, pasted and reoriented to the input grid
// (0 outside the crop).
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "axon/image/image.hpp"
#include "axon/learn/model_card.hpp"
#include "axon/learn/torch_ensemble.hpp"

namespace axon::segment {

struct VolumePredictionOptions {
  std::vector<int64_t> channels;  // the card's output channels to bring back, in this order
  bool mirror = true;             // test-time mirroring over the card's mirror_axes
  double overlap = 0.5;           // sliding-window overlap
};

struct VolumePrediction {
  std::vector<std::vector<float>> channels;  // per asked channel, probabilities on the input grid
  nlohmann::json details;  // orientation, normalisation, working grid, patch, timings (s)
};

// `image` is zero where the network is to see nothing (outside a mask).
// Throws InputError naming `path` when it is zero everywhere or its axes
// cannot be brought to the card's orientation.
VolumePrediction predict_volume(const Image<float>& image, const std::string& path, const learn::ModelCard& card,
                                const learn::TorchEnsemble& ensemble, const VolumePredictionOptions& options);

// The index of the output channel called `name` in the card, -1 when none is.
int64_t output_channel(const learn::ModelCard& card, const std::string& name);

}  // namespace axon::segment
