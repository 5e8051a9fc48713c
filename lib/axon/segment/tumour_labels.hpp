#pragma once
// From network outputs to tumour labels: regions painted in the card's
// order (or the argmax of a softmax), BraTS-style post-processing, label
// conventions and volumes (steps 10-12 of axon-segment tumour).
#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "axon/learn/model_card.hpp"
#include "axon/learn/tensor_volume.hpp"

namespace axon::segment {

// The BraTS label values of a convention: brats2018 (1 necrotic / non-
// enhancing core, 2 oedema, 4 enhancing) or brats2023 (1 NETC, 2 SNFH, 3 ET).
struct TumourLabelConvention {
  std::string name;
  int32_t core = 1, oedema = 2, enhancing = 4;
};
// Throws std::invalid_argument for a name that is neither.
TumourLabelConvention tumour_label_convention(const std::string& name);
// Rewrites labels of convention `from` into `to` (e.g. 4 -> 3).
void convert_label_convention(std::vector<int32_t>& labels, const TumourLabelConvention& from,
                              const TumourLabelConvention& to);

// Labels from probabilities (channels x voxels): sigmoid regions: 0, then
// each (region, label) of the card's paint_order painted where the
// region's probability > 0.5; softmax: the first channel of largest
// probability -> its first label. Voxels outside `mask` (if not empty) are 0.
std::vector<int32_t> probabilities_to_labels(const learn::TensorVolume& probabilities, const learn::ModelCard& card,
                                             const std::vector<std::uint8_t>& mask);

// 26-connected components of label > 0 smaller than min_ml are set to 0.
// Returns the number of components removed.
int64_t remove_small_components(std::vector<int32_t>& labels, const std::array<int64_t, 3>& dims, double voxel_ml,
                                double min_ml);
// When the enhancing tumour's total volume is below et_min_ml (and not
// zero), its voxels become the core label (Isensee et al. 2020, nnU-Net's
// BraTS post-processing). Returns true when it relabelled.
bool relabel_small_enhancing(std::vector<int32_t>& labels, double voxel_ml, double et_min_ml,
                             const TumourLabelConvention& convention);

// Volumes in mL: the BraTS regions (WT = every tumour label, TC = core +
// enhancing, ET = enhancing) and each label present in the convention.
struct TumourVolumes {
  double whole_tumour_ml = 0, tumour_core_ml = 0, enhancing_ml = 0;
  std::map<int32_t, double> label_ml;  // core, oedema, enhancing labels (0 when absent)
  nlohmann::json to_json() const;
};
TumourVolumes tumour_volumes(const std::vector<int32_t>& labels, double voxel_ml,
                             const TumourLabelConvention& convention);

}  // namespace axon::segment
