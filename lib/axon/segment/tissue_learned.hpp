#pragma once
// Learned tissue classes: a network (TorchScript + model card, the tumour
// tool's runtime) predicts two nested regions of a brain-masked T1,
// "parenchyma" (grey + white matter) and "wm"; inside the mask a voxel in
// neither is CSF. The image is zeroed outside the mask and run through
// predict_volume (reorient, crop, normalise, resample to the card's 1 mm,
// sliding window with mirroring, back to the input grid); labels are the
// card's regions painted in its order at each region's threshold.
// The shipped model (models/tissue-ibsr/) learned IBSR's manual convention:
// sulcal CSF is grey matter, CSF is the ventricles.
// docs/axon-segment.md#learned-tissue-classes; scripts/tissue_model/ trains it.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "axon/image/image.hpp"
#include "axon/learn/model_card.hpp"
#include "axon/learn/torch_ensemble.hpp"

namespace axon::segment {

struct LearnedTissueOptions {
  bool mirror = true;    // test-time mirroring over the card's mirror_axes
  double overlap = 0.5;  // sliding-window overlap
};

struct LearnedTissueResult {
  std::vector<int32_t> labels;        // 0 outside the mask, 1 CSF, 2 GM, 3 WM
  // Class probabilities (class k-1 at (k-1)*n + i, k = 1 CSF, 2 GM, 3 WM),
  // summing to 1 in the mask: WM = p(wm), GM = max(p(parenchyma) - p(wm), 0),
  // CSF = the rest; 0 outside the mask.
  std::vector<float> probabilities;
  std::array<double, 3> proportions{};  // of the mask's voxels, per class
  nlohmann::json details;
};

// models/tissue-ibsr/card.json under the shipped models folder.
std::string default_tissue_card_path();

// Checks that `card` is a tissue card: one input channel "t1" and sigmoid
// regions named "parenchyma" and "wm" painted as 2 and 3. Throws InputError
// naming the card otherwise.
void require_tissue_card(const learn::ModelCard& card);

// `mask` has one byte per voxel of `image`, not all zero.
LearnedTissueResult classify_tissues_learned(const Image<float>& image, const std::vector<std::uint8_t>& mask,
                                             const std::string& path, const learn::ModelCard& card,
                                             const learn::TorchEnsemble& ensemble,
                                             const LearnedTissueOptions& options);

}  // namespace axon::segment
