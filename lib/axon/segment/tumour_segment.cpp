#include "axon/segment/tumour_segment.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "axon/core/error.hpp"
#include "axon/core/model_dir.hpp"
#include "axon/image/grid.hpp"
#include "axon/learn/sliding_window.hpp"

namespace axon::segment {
namespace {

class StageTimer {
 public:
  explicit StageTimer(nlohmann::json& out) : out_(out), start_(std::chrono::steady_clock::now()) {}
  void lap(const std::string& stage) {
    const auto now = std::chrono::steady_clock::now();
    out_[stage] = std::chrono::duration<double>(now - start_).count();
    start_ = now;
  }

 private:
  nlohmann::json& out_;
  std::chrono::steady_clock::time_point start_;
};

template <class T>
void release(std::vector<T>& v) {
  std::vector<T>().swap(v);
}

}  // namespace

std::string default_tumour_card_path() {
  return shipped_model_dir() + "/brats-tumour/card.json";
}

std::vector<TumourChannelPath> order_for_card(const learn::ModelCard& card,
                                              const std::vector<TumourChannelPath>& paths) {
  std::vector<std::string> names;
  for (const auto& p : paths) names.push_back(p.name);
  std::vector<std::string> a = names, b = card.input_channels;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  if (a != b || std::adjacent_find(b.begin(), b.end()) != b.end()) {
    learn::require_input_channels(card, names);  // throws its InputError naming the card
    throw InputError(card.path, "the card's input channels are not t1, t1ce, t2, flair");
  }
  std::vector<TumourChannelPath> ordered;
  for (const auto& name : card.input_channels)
    ordered.push_back(
        *std::find_if(paths.begin(), paths.end(), [&](const TumourChannelPath& p) { return p.name == name; }));
  return ordered;
}

TumourSegmentation segment_tumour(const TumourInputs& in, const learn::ModelCard& card,
                                  const learn::TorchEnsemble& ensemble, const TumourOptions& o) {
  TumourSegmentation result;
  nlohmann::json timings = nlohmann::json::object();
  StageTimer timer(timings);
  auto& details = result.details;

  TumourLabelConvention card_convention, out_convention;
  try {
    // A card without a label_convention uses BraTS 2018's labels (the card format's default).
    card_convention = tumour_label_convention(card.label_convention.empty() ? "brats2018" : card.label_convention);
  } catch (const std::invalid_argument& e) {
    throw InputError(card.path, std::string("label_convention: ") + e.what());
  }
  out_convention = tumour_label_convention(o.label_convention);

  const Image<float>& first = in.images.front();
  const Grid grid = grid_of(first.header);
  const Dims3 dims = grid.dims;
  const int64_t voxels = grid.voxels();
  const auto channels_in = static_cast<int64_t>(in.images.size());
  const auto channels_out = static_cast<int64_t>(card.outputs.size());
  result.channels = channels_out;

  // Step 3: the card's voxel axes.
  const std::string input_code = grid.orientation();
  const AxisReorientation r = reorientation_to_card(card, input_code, in.paths.front().path);
  const Dims3 rdims = r.apply(dims);
  const Eigen::Vector3d s = grid.spacing();
  const std::array<double, 3> spacing{s[r.source_axis[0]], s[r.source_axis[1]], s[r.source_axis[2]]};
  details["orientation"] = {{"input", input_code},
                            {"working", card.orientation.empty() ? input_code : card.orientation}};

  std::vector<float> stacked;
  stacked.reserve(static_cast<std::size_t>(channels_in * voxels));
  for (const auto& image : in.images) stacked.insert(stacked.end(), image.data.begin(), image.data.end());
  stacked = reorient_voxels(stacked, channels_in, dims, r);
  const std::vector<std::uint8_t> mask = reorient_voxels(in.brain, 1, dims, r);

  // Step 4: crop to the brain.
  const auto found_box = bounding_box(mask, rdims);
  if (!found_box) throw InputError(in.paths.front().path, "every channel is zero everywhere: no brain to segment");
  const BoundingBox box = *found_box;
  const Dims3 crop = box.size();
  learn::TensorVolume x(channels_in, crop[2], crop[1], crop[0]);
  x.data = crop_voxels(stacked, channels_in, rdims, box);
  release(stacked);
  const std::vector<std::uint8_t> crop_mask = crop_voxels(mask, 1, rdims, box);
  details["crop"] = {{"lo", box.lo}, {"hi", box.hi}, {"size", crop}};

  // Step 5: z-score per channel inside the brain.
  const auto stats = normalize_intensities(x, crop_mask, card.normalization);
  nlohmann::json normalization = nlohmann::json::object();
  for (std::size_t c = 0; c < stats.size(); ++c) {
    nlohmann::json one{{"mean", stats[c].mean}, {"std", stats[c].std}};
    if (stats[c].clipped) one["clip"] = {stats[c].clip_low, stats[c].clip_high};
    normalization[in.paths[c].name] = one;
  }
  details["normalization"] = normalization;

  // Step 6: the network's spacing.
  const learn::TensorVolume working = resample_to_spacing(x, spacing, card.spacing_mm);
  release(x.data);
  details["working_grid"] = {{"size", {working.nx, working.ny, working.nz}},
                             {"spacing_mm", {spacing[0], spacing[1], spacing[2]}},
                             {"working_spacing_mm", card.spacing_mm}};
  timer.lap("preprocess");

  // Step 7: sliding window, mirroring, ensemble.
  learn::SlidingWindowOptions sw;
  sw.patch_zyx = {card.patch_size[2], card.patch_size[1], card.patch_size[0]};
  sw.overlap = o.overlap;
  if (o.mirror) sw.mirror_axes_xyz = card.mirror_axes;
  sw.output_kind = card.output_kind;
  sw.channels_out = channels_out;
  sw.want_uncertainty = o.want_uncertainty;
  learn::SlidingWindowResult predicted = learn::predict_sliding_window(ensemble, working, sw);
  timer.lap("inference");

  // Step 8 and 9: back to the crop's grid, pasted into the whole image.
  learn::TensorVolume probabilities(channels_out, rdims[2], rdims[1], rdims[0], 0.f);
  if (card.output_kind == learn::OutputKind::softmax)
    std::fill(probabilities.channel(0), probabilities.channel(0) + voxels, 1.f);
  {
    const learn::TensorVolume back = resample_back(predicted.probabilities, crop, spacing, card.spacing_mm);
    release(predicted.probabilities.data);
    paste_voxels(back.data, channels_out, box, probabilities.data, rdims);
  }
  if (o.want_uncertainty) {
    std::vector<float> full(static_cast<std::size_t>(voxels), 0.f);
    const learn::TensorVolume back = resample_back(predicted.uncertainty, crop, spacing, card.spacing_mm);
    paste_voxels(back.data, 1, box, full, rdims);
    result.uncertainty = reorient_voxels(full, 1, dims, r, true);
  }
  timer.lap("resample_back");

  // Step 10 and 11: labels, post-processing.
  std::vector<int32_t> labels;
  try {
    labels = probabilities_to_labels(probabilities, card, mask);
  } catch (const std::invalid_argument& e) {
    throw InputError(card.path, e.what());
  }
  const double voxel_ml = s[0] * s[1] * s[2] / 1000.0;
  nlohmann::json post{{"enabled", o.postprocess}};
  if (o.postprocess) {
    const int64_t specks = remove_small_components(labels, rdims, voxel_ml, o.min_component_ml);
    const double et_before = tumour_volumes(labels, voxel_ml, card_convention).enhancing_ml;
    const bool relabelled = relabel_small_enhancing(labels, voxel_ml, o.et_min_ml, card_convention);
    post.update({{"connectivity", 26},
                 {"min_component_ml", o.min_component_ml},
                 {"components_removed", specks},
                 {"et_min_ml", o.et_min_ml},
                 {"et_ml_before", et_before},
                 {"et_relabelled_as_core", relabelled}});
  }
  details["postprocessing"] = post;

  // Step 12: the input's axes and the asked convention.
  result.labels = reorient_voxels(labels, 1, dims, r, true);
  convert_label_convention(result.labels, card_convention, out_convention);
  if (o.want_probabilities) result.probabilities = reorient_voxels(probabilities.data, channels_out, dims, r, true);
  result.volumes = tumour_volumes(result.labels, voxel_ml, out_convention);
  timer.lap("labels");
  details["timing_s"] = timings;
  return result;
}

}  // namespace axon::segment
