#include "axon/segment/brain_learned.hpp"

#include <algorithm>
#include <chrono>

#include "axon/core/error.hpp"
#include "axon/core/model_dir.hpp"
#include "axon/core/stopwatch.hpp"
#include "axon/image/grid.hpp"
#include "axon/segment/learned_volume.hpp"
#include "axon/segment/morphology.hpp"

namespace axon::segment {

std::string default_brain_card_path() { return shipped_model_dir() + "/brain-ixi/card.json"; }

void require_brain_card(const learn::ModelCard& card) {
  learn::require_input_channels(card, {"t1"});
  if (card.output_kind != learn::OutputKind::sigmoid_regions || output_channel(card, "intracranial") < 0 ||
      output_channel(card, "tissue") < 0)
    throw InputError(card.path, "not a brain-extraction card: its output must be sigmoid regions named "
                                "'intracranial' and 'tissue'");
}

LearnedBrainResult extract_brain_learned(const Image<float>& image, const std::string& path,
                                         const learn::ModelCard& card, const learn::TorchEnsemble& ensemble,
                                         const LearnedBrainOptions& o) {
  require_brain_card(card);
  LearnedBrainResult result;
  // The head is wherever the scanner (or an earlier skull stripping) left a non-zero value.
  if (std::all_of(image.data.begin(), image.data.end(), [](float v) { return v == 0.f; }))
    throw InputError(path, "the image is zero everywhere: no head to extract a brain from");
  const int64_t c = output_channel(card, o.include_csf ? "intracranial" : "tissue");
  VolumePredictionOptions vp;
  vp.channels = {c};
  vp.mirror = o.mirror;
  vp.overlap = o.overlap;
  VolumePrediction predicted = predict_volume(image, path, card, ensemble, vp);
  auto& details = result.details = std::move(predicted.details);
  auto start = std::chrono::steady_clock::now();

  const Grid grid = grid_of(image.header);
  const auto dims = grid.dims;
  const Eigen::Vector3d s = grid.spacing();
  const auto threshold = static_cast<float>(o.threshold.value_or(card.outputs[c].threshold));
  const std::vector<float>& probability = predicted.channels.front();
  BinaryVolume mask(probability.size());
  std::transform(probability.begin(), probability.end(), mask.begin(), [&](float p) { return p > threshold; });
  if (o.want_probability) result.probability = std::move(predicted.channels.front());

  // One piece without holes, as the classical method's mask; then --border.
  mask = fill_holes(largest_component(mask, dims), dims);
  if (o.border_mm > 0) mask = dilate_mm(mask, grid, o.border_mm);
  if (o.border_mm < 0) mask = largest_component(erode_mm(mask, grid, -o.border_mm), dims);
  const auto voxels = std::count(mask.begin(), mask.end(), 1);
  result.volume_ml = static_cast<double>(voxels) * s[0] * s[1] * s[2] / 1000.0;
  result.mask = std::move(mask);
  details["region"] = o.include_csf ? "intracranial" : "tissue";
  details["threshold"] = threshold;
  details["timing_s"]["postprocess"] = seconds_since(start);
  return result;
}

}  // namespace axon::segment
