#include "axon/segment/tumour_labels.hpp"

#include <stdexcept>

#include "axon/segment/morphology.hpp"

namespace axon::segment {

TumourLabelConvention tumour_label_convention(const std::string& name) {
  if (name == "brats2018") return {name, 1, 2, 4};
  if (name == "brats2023") return {name, 1, 2, 3};
  throw std::invalid_argument("unknown label convention '" + name + "' (brats2018 or brats2023)");
}

void convert_label_convention(std::vector<int32_t>& labels, const TumourLabelConvention& from,
                              const TumourLabelConvention& to) {
  for (int32_t& l : labels) {
    if (l == 0) continue;
    if (l == from.core)
      l = to.core;
    else if (l == from.oedema)
      l = to.oedema;
    else if (l == from.enhancing)
      l = to.enhancing;
  }
}

std::vector<int32_t> probabilities_to_labels(const learn::TensorVolume& p, const learn::ModelCard& card,
                                             const std::vector<std::uint8_t>& mask) {
  const int64_t voxels = p.voxels();
  std::vector<int32_t> labels(static_cast<std::size_t>(voxels), 0);
  if (card.output_kind == learn::OutputKind::sigmoid_regions) {
    for (const auto& [region, label] : card.paint_order) {
      int64_t c = 0;
      while (c < static_cast<int64_t>(card.outputs.size()) && card.outputs[c].name != region) ++c;
      if (c == static_cast<int64_t>(card.outputs.size()))
        throw std::invalid_argument("paint_order names an unknown region '" + region + "'");
      const float* q = p.channel(c);
      const auto threshold = static_cast<float>(card.outputs[c].threshold);
      for (int64_t i = 0; i < voxels; ++i)
        if (q[i] > threshold) labels[i] = label;
    }
  } else {
    for (int64_t i = 0; i < voxels; ++i) {
      int64_t best = 0;
      for (int64_t c = 1; c < p.channels; ++c)
        if (p.channel(c)[i] > p.channel(best)[i]) best = c;
      labels[i] = card.outputs[best].labels.empty() ? 0 : card.outputs[best].labels.front();
    }
  }
  if (!mask.empty())
    for (int64_t i = 0; i < voxels; ++i)
      if (!mask[i]) labels[i] = 0;
  return labels;
}

int64_t remove_small_components(std::vector<int32_t>& labels, const std::array<int64_t, 3>& dims, double voxel_ml,
                                double min_ml) {
  BinaryVolume tumour(labels.size());
  for (std::size_t v = 0; v < labels.size(); ++v) tumour[v] = labels[v] != 0;
  std::vector<int64_t> sizes;
  const std::vector<int32_t> component = connected_components(tumour, dims, sizes, 26);
  std::vector<std::uint8_t> small(sizes.size(), 0);
  int64_t removed = 0;
  for (std::size_t c = 1; c < sizes.size(); ++c)
    if (static_cast<double>(sizes[c]) * voxel_ml < min_ml) small[c] = 1, ++removed;
  for (std::size_t v = 0; v < labels.size(); ++v)
    if (small[component[v]]) labels[v] = 0;
  return removed;
}

bool relabel_small_enhancing(std::vector<int32_t>& labels, double voxel_ml, double et_min_ml,
                             const TumourLabelConvention& convention) {
  int64_t count = 0;
  for (int32_t l : labels) count += l == convention.enhancing;
  if (count == 0 || static_cast<double>(count) * voxel_ml >= et_min_ml) return false;
  for (int32_t& l : labels)
    if (l == convention.enhancing) l = convention.core;
  return true;
}

nlohmann::json TumourVolumes::to_json() const {
  nlohmann::json labels = nlohmann::json::object();
  for (const auto& [label, ml] : label_ml) labels[std::to_string(label)] = ml;
  return {{"WT", whole_tumour_ml}, {"TC", tumour_core_ml}, {"ET", enhancing_ml}, {"labels", labels}};
}

TumourVolumes tumour_volumes(const std::vector<int32_t>& labels, double voxel_ml,
                             const TumourLabelConvention& convention) {
  std::map<int32_t, int64_t> counts{{convention.core, 0}, {convention.oedema, 0}, {convention.enhancing, 0}};
  for (int32_t l : labels)
    if (l != 0) ++counts[l];
  TumourVolumes v;
  int64_t whole = 0;
  for (const auto& [label, n] : counts) {
    v.label_ml[label] = static_cast<double>(n) * voxel_ml;
    whole += n;
  }
  v.whole_tumour_ml = static_cast<double>(whole) * voxel_ml;
  v.tumour_core_ml = static_cast<double>(counts[convention.core] + counts[convention.enhancing]) * voxel_ml;
  v.enhancing_ml = static_cast<double>(counts[convention.enhancing]) * voxel_ml;
  return v;
}

}  // namespace axon::segment
