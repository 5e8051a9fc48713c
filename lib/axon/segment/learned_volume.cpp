#include "axon/segment/learned_volume.hpp"

#include <algorithm>

#include "axon/core/error.hpp"
#include "axon/core/stopwatch.hpp"
#include "axon/image/grid.hpp"
#include "axon/learn/sliding_window.hpp"
#include "axon/segment/tumour_preprocess.hpp"

namespace axon::segment {

int64_t output_channel(const learn::ModelCard& card, const std::string& name) {
  for (std::size_t c = 0; c < card.outputs.size(); ++c)
    if (card.outputs[c].name == name) return static_cast<int64_t>(c);
  return -1;
}

VolumePrediction predict_volume(const Image<float>& image, const std::string& path, const learn::ModelCard& card,
                                const learn::TorchEnsemble& ensemble, const VolumePredictionOptions& o) {
  VolumePrediction result;
  auto& details = result.details;
  auto start = std::chrono::steady_clock::now();

  const Grid grid = grid_of(image.header);
  const Dims3 dims = grid.dims;
  const std::string input_code = grid.orientation();
  const AxisReorientation r = reorientation_to_card(card, input_code, path);
  const Dims3 rdims = r.apply(dims);
  const Eigen::Vector3d s = grid.spacing();
  const std::array<double, 3> spacing{s[r.source_axis[0]], s[r.source_axis[1]], s[r.source_axis[2]]};
  details["orientation"] = {{"input", input_code},
                            {"working", card.orientation.empty() ? input_code : card.orientation}};

  const std::vector<float> reoriented = reorient_voxels(image.data, 1, dims, r);
  std::vector<std::uint8_t> nonzero(reoriented.size());
  std::transform(reoriented.begin(), reoriented.end(), nonzero.begin(), [](float v) { return v != 0.f; });
  const auto box = bounding_box(nonzero, rdims);
  if (!box) throw InputError(path, "the image is zero everywhere: nothing for the network to see");
  const Dims3 cdims = box->size();
  learn::TensorVolume x(1, cdims[2], cdims[1], cdims[0]);
  x.data = crop_voxels(reoriented, 1, rdims, *box);
  const ChannelNormalization n = normalize_intensities(x, crop_voxels(nonzero, 1, rdims, *box), card.normalization)
                                     .front();
  details["normalization"] = {{"kind", card.normalization.kind}, {"offset", n.mean}, {"scale", n.std}};

  const learn::TensorVolume working = resample_to_spacing(x, spacing, card.spacing_mm);
  details["working_grid"] = {{"size", {working.nx, working.ny, working.nz}},
                             {"crop_size", {cdims[0], cdims[1], cdims[2]}},
                             {"spacing_mm", {spacing[0], spacing[1], spacing[2]}},
                             {"working_spacing_mm", card.spacing_mm}};
  details["timing_s"]["preprocess"] = seconds_since(start);
  start = std::chrono::steady_clock::now();

  // The card's patch, shrunk on each axis where the volume is smaller to its size rounded up to a multiple
  // of 8 (the networks halve three times): one window with little padding where the volume fits. A
  // 96x128x128 pass of the brain network takes 4.3 s on 2 cores.
  const int64_t working_zyx[3] = {working.nz, working.ny, working.nx};
  learn::SlidingWindowOptions sw;
  for (int a = 0; a < 3; ++a)
    sw.patch_zyx[a] = std::min<int64_t>(card.patch_size[2 - a], (working_zyx[a] + 7) / 8 * 8);
  details["patch_zyx"] = sw.patch_zyx;
  sw.overlap = o.overlap;
  if (o.mirror) sw.mirror_axes_xyz = card.mirror_axes;
  sw.output_kind = card.output_kind;
  sw.channels_out = static_cast<int64_t>(card.outputs.size());
  const learn::SlidingWindowResult predicted = learn::predict_sliding_window(ensemble, working, sw);
  details["timing_s"]["inference"] = seconds_since(start);
  start = std::chrono::steady_clock::now();

  // Only the asked channels go back to the input grid.
  const auto& p = predicted.probabilities;
  for (const int64_t c : o.channels) {
    learn::TensorVolume channel(1, p.nz, p.ny, p.nx);
    std::copy(p.channel(c), p.channel(c) + channel.voxels(), channel.data.begin());
    const learn::TensorVolume back = resample_back(channel, cdims, spacing, card.spacing_mm);
    std::vector<float> full(reoriented.size(), 0.f);
    paste_voxels(back.data, 1, *box, full, rdims);
    result.channels.push_back(reorient_voxels(full, 1, dims, r, true));
  }
  details["timing_s"]["back_to_input_grid"] = seconds_since(start);
  return result;
}

}  // namespace axon::segment
