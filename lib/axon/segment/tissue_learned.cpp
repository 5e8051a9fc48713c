#include "axon/segment/tissue_learned.hpp"

#include <algorithm>

#include "axon/core/error.hpp"
#include "axon/core/model_dir.hpp"
#include "axon/core/stopwatch.hpp"
#include "axon/segment/learned_volume.hpp"

namespace axon::segment {
namespace {

int32_t painted_label(const learn::ModelCard& card, const std::string& region) {
  for (const auto& [name, label] : card.paint_order)
    if (name == region) return label;
  return -1;
}

}  // namespace

std::string default_tissue_card_path() { return shipped_model_dir() + "/tissue-ibsr/card.json"; }

void require_tissue_card(const learn::ModelCard& card) {
  learn::require_input_channels(card, {"t1"});
  if (card.output_kind != learn::OutputKind::sigmoid_regions || output_channel(card, "parenchyma") < 0 ||
      output_channel(card, "wm") < 0 || painted_label(card, "parenchyma") != 2 || painted_label(card, "wm") != 3)
    throw InputError(card.path, "not a tissue card: its output must be sigmoid regions 'parenchyma' and 'wm', "
                                "painted as 2 and 3");
}

LearnedTissueResult classify_tissues_learned(const Image<float>& image, const std::vector<std::uint8_t>& mask,
                                             const std::string& path, const learn::ModelCard& card,
                                             const learn::TorchEnsemble& ensemble, const LearnedTissueOptions& o) {
  require_tissue_card(card);
  const std::size_t n = image.data.size();
  if (mask.size() != n) throw InputError(path, "the mask does not have one value per voxel of the image");
  Image<float> masked = image;
  for (std::size_t i = 0; i < n; ++i)
    if (!mask[i]) masked.data[i] = 0.f;
  const int64_t parenchyma = output_channel(card, "parenchyma"), wm = output_channel(card, "wm");
  VolumePredictionOptions vp;
  vp.channels = {parenchyma, wm};
  vp.mirror = o.mirror;
  vp.overlap = o.overlap;
  VolumePrediction predicted = predict_volume(masked, path, card, ensemble, vp);

  LearnedTissueResult result;
  result.details = std::move(predicted.details);
  const auto start = std::chrono::steady_clock::now();
  const std::vector<float>& p_par = predicted.channels[0];
  const std::vector<float>& p_wm = predicted.channels[1];
  const double t_par = card.outputs[parenchyma].threshold, t_wm = card.outputs[wm].threshold;
  result.labels.assign(n, 0);
  result.probabilities.assign(3 * n, 0.f);
  std::array<int64_t, 3> counts{};
  int64_t inside = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!mask[i]) continue;
    // Painted in the card's order (parenchyma, then wm over it), CSF where neither region is.
    int32_t label = 1;
    for (const auto& [name, value] : card.paint_order) {
      const bool in_region = name == "parenchyma" ? p_par[i] > t_par : p_wm[i] > t_wm;
      if (in_region) label = value;
    }
    result.labels[i] = label;
    ++counts[static_cast<std::size_t>(label - 1)];
    ++inside;
    const float f_wm = std::clamp(p_wm[i], 0.f, 1.f);
    const float f_gm = std::max(std::clamp(p_par[i], 0.f, 1.f) - f_wm, 0.f);
    result.probabilities[i] = std::max(1.f - f_wm - f_gm, 0.f);
    result.probabilities[n + i] = f_gm;
    result.probabilities[2 * n + i] = f_wm;
  }
  for (int k = 0; k < 3; ++k)
    result.proportions[static_cast<std::size_t>(k)] =
        inside ? static_cast<double>(counts[static_cast<std::size_t>(k)]) / static_cast<double>(inside) : 0.0;
  result.details["thresholds"] = {{"parenchyma", t_par}, {"wm", t_wm}};
  result.details["timing_s"]["labels"] = seconds_since(start);
  return result;
}

}  // namespace axon::segment
