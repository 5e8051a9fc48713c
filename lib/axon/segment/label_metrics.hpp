#pragma once
// Agreement between a predicted and a reference label image, region by
// region: Dice, Jaccard, HD95, average symmetric surface distance (ASSD),
// volumes. Surface distances follow MedPy's definitions (used by the BraTS
// literature, e.g. the MedNeXt and HFF-Net papers): surfaces are the voxels
// removed by one 6-neighbour erosion; HD95 is numpy's (linear) 95th
// percentile of the pooled distances pred->ref and ref->pred; ASSD is the
// mean of the two directed mean distances.
//
// Empty regions (BraTS conventions): both empty gives Dice = Jaccard = 1 and
// HD95 = ASSD = 0; exactly one empty gives Dice = Jaccard = 0 and HD95 =
// ASSD = the image diagonal in mm (sqrt of the sum of (n_i * spacing_i)^2;
// 373.13 for BraTS's 240x240x155 1 mm grid).
#include <cstdint>
#include <string>
#include <vector>

#include "axon/image/grid.hpp"
#include "axon/image/image.hpp"
#include "axon/segment/surface_distance.hpp"

namespace axon::segment {

// A region to evaluate: the union of some labels, with a display name.
struct Region {
  std::string name;
  std::vector<int32_t> labels;
};

struct RegionMetrics {
  Region region;
  int64_t pred_voxels = 0, ref_voxels = 0, overlap_voxels = 0;
  double dice = 0, jaccard = 0;
  double hd95_mm = 0, assd_mm = 0;
  double pred_volume_mm3 = 0, ref_volume_mm3 = 0;
  double volume_difference_mm3 = 0;  // pred - ref
  bool pred_empty = false, ref_empty = false;
};

// sqrt(sum_i (n_i * spacing_i)^2): the HD95 and ASSD of a region present in
// one image only.
double grid_diagonal_mm(const Grid& grid);

// Metrics of two binary volumes on `grid`.
RegionMetrics compare_binary(const BinaryVolume& pred, const BinaryVolume& ref, const Grid& grid);

// One region per label: "1", "2", ...
std::vector<Region> label_regions(const std::vector<int32_t>& labels);
// BraTS's nested regions: WT = {1, 2, et}, TC = {1, et}, ET = {et}, where
// et is 4 (BraTS up to 2021) or 3 (BraTS 2023 on).
std::vector<Region> brats_regions(int32_t et_label);
// Every non-zero label found in either image, ascending.
std::vector<int32_t> labels_present(const Image<int32_t>& a, const Image<int32_t>& b);

// Metrics of each region; both images on `grid` (checked by the caller).
std::vector<RegionMetrics> evaluate_regions(const Image<int32_t>& pred, const Image<int32_t>& ref,
                                            const std::vector<Region>& regions);

}  // namespace axon::segment
