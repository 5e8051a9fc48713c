#pragma once
// Brain-tumour segmentation with a learned model, as one library call: the
// fixed sequence of nnU-Net's predictor on the four BraTS contrasts
// (reorient to the card's axes, crop to the brain, z-score, resample to the
// card's spacing, sliding-window inference with Gaussian weights, mirror
// TTA and the fold ensemble, resample back, labels, BraTS post-processing,
// back to the input's axes). axon-segment tumour is a thin caller;
// docs/axon-segment.md#tumour documents each step.
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "axon/learn/model_card.hpp"
#include "axon/learn/torch_ensemble.hpp"
#include "axon/segment/tumour_inputs.hpp"
#include "axon/segment/tumour_labels.hpp"
#include "axon/segment/tumour_preprocess.hpp"

namespace axon::segment {

struct TumourOptions {
  bool mirror = true;                          // test-time mirroring over the card's mirror_axes
  double overlap = 0.5;                        // sliding-window overlap
  bool postprocess = true;                     // speck removal + small-ET relabelling
  double min_component_ml = 0.1;               // tumour components below this are removed
  double et_min_ml = 0.5;                      // total ET below this becomes core
  std::string label_convention = "brats2018";  // of the output labels
  bool want_probabilities = false;             // return them on the input grid
  bool want_uncertainty = false;
};

struct TumourSegmentation {
  std::vector<int32_t> labels;       // on the input grid, in options.label_convention
  int64_t channels = 0;              // the card's output channels
  std::vector<float> probabilities;  // channels x voxels on the input grid (when asked)
  std::vector<float> uncertainty;    // voxels on the input grid (when asked)
  TumourVolumes volumes;             // of the final labels
  // What happened on the way, for the sidecar: orientation, crop box,
  // working grid, normalisation statistics, post-processing, timings (s).
  nlohmann::json details;
};

// The shipped model's card: $AXON_MODEL_DIR (environment, else the build's
// AXON_MODEL_DIR) + "/brats-tumour/card.json".
std::string default_tumour_card_path();

// The four paths ordered as the card's input channels (a permutation of
// t1, t1ce, t2, flair); InputError naming the card when it takes others.
std::vector<TumourChannelPath> order_for_card(const learn::ModelCard& card,
                                              const std::vector<TumourChannelPath>& paths);

// Runs the whole sequence. `inputs` must be in the card's channel order.
// Throws InputError naming the card (fields it cannot use) or an input.
TumourSegmentation segment_tumour(const TumourInputs& inputs, const learn::ModelCard& card,
                                  const learn::TorchEnsemble& ensemble, const TumourOptions& options);

}  // namespace axon::segment
