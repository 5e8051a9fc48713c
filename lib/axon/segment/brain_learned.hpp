#pragma once
// Learned brain extraction: a network (TorchScript + model card, the
// tumour tool's runtime) predicts two nested regions of a T1-weighted head,
// "intracranial" (brain tissue, ventricles and the CSF around the brain, as
// SynthStrip's and BET's masks) and "tissue" (without that outer CSF). The
// image is reoriented to the card's axes, normalised by the card's kind
// (range-nonzero for heads), resampled to the card's spacing, run by sliding
// window with left-right mirroring over the ensemble's folds, and the chosen
// region's probability, interpolated back to the input grid, is cut at the
// region's threshold in the card (chosen by nested cross-validation);
// the mask is then made one 6-connected piece without holes.
// docs/axon-segment.md#learned-brain-extraction; scripts/brain_model/ trains
// the shipped models/brain-ixi/ ensemble.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "axon/image/image.hpp"
#include "axon/learn/model_card.hpp"
#include "axon/learn/torch_ensemble.hpp"
#include "axon/segment/surface_distance.hpp"

namespace axon::segment {

struct LearnedBrainOptions {
  bool include_csf = true;  // the "intracranial" region; false: "tissue"
  bool mirror = true;       // test-time mirroring over the card's mirror_axes
  double overlap = 0.5;     // sliding-window overlap
  double border_mm = 0;     // > 0 grows, < 0 shrinks the final mask
  std::optional<double> threshold;  // on the region's probability; default: the region's in the card
  bool want_probability = false;    // return the region's probability on the input grid
};

struct LearnedBrainResult {
  BinaryVolume mask;  // on the input grid
  std::vector<float> probability;  // the region's probability on the input grid, when asked
  double volume_ml = 0;
  nlohmann::json details;  // orientation, normalisation, working grid, timings
};

// models/brain-ixi/card.json under the shipped models folder.
std::string default_brain_card_path();

// Checks that `card` is a brain-extraction card: one input channel "t1" and
// sigmoid regions named "intracranial" and "tissue". Throws InputError
// naming the card otherwise.
void require_brain_card(const learn::ModelCard& card);

LearnedBrainResult extract_brain_learned(const Image<float>& image, const std::string& path,
                                         const learn::ModelCard& card, const learn::TorchEnsemble& ensemble,
                                         const LearnedBrainOptions& options);

}  // namespace axon::segment
