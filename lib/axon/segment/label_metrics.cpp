#include "axon/segment/label_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "axon/core/percentile.hpp"

namespace axon::segment {

double grid_diagonal_mm(const Grid& grid) {
  const Eigen::Vector3d s = grid.spacing();
  double sum = 0;
  for (int d = 0; d < 3; ++d) sum += std::pow(static_cast<double>(grid.dims[d]) * s[d], 2);
  return std::sqrt(sum);
}

RegionMetrics compare_binary(const BinaryVolume& pred, const BinaryVolume& ref, const Grid& grid) {
  RegionMetrics m;
  for (std::size_t i = 0; i < pred.size(); ++i) {
    m.pred_voxels += pred[i];
    m.ref_voxels += ref[i];
    m.overlap_voxels += pred[i] & ref[i];
  }
  const Eigen::Vector3d s = grid.spacing();
  const double voxel_mm3 = s[0] * s[1] * s[2];
  m.pred_volume_mm3 = static_cast<double>(m.pred_voxels) * voxel_mm3;
  m.ref_volume_mm3 = static_cast<double>(m.ref_voxels) * voxel_mm3;
  m.volume_difference_mm3 = m.pred_volume_mm3 - m.ref_volume_mm3;
  m.pred_empty = m.pred_voxels == 0;
  m.ref_empty = m.ref_voxels == 0;
  if (m.pred_empty && m.ref_empty) {
    m.dice = m.jaccard = 1;
    m.hd95_mm = m.assd_mm = 0;
    return m;
  }
  const double both = static_cast<double>(m.pred_voxels + m.ref_voxels);
  m.dice = 2.0 * static_cast<double>(m.overlap_voxels) / both;
  m.jaccard = static_cast<double>(m.overlap_voxels) / (both - static_cast<double>(m.overlap_voxels));
  if (m.pred_empty || m.ref_empty) {
    m.hd95_mm = m.assd_mm = grid_diagonal_mm(grid);
    return m;
  }
  const BinaryVolume pred_surface = surface_voxels(pred, grid.dims);
  const BinaryVolume ref_surface = surface_voxels(ref, grid.dims);
  const std::vector<double> to_ref = distance_to_set(ref_surface, grid);
  const std::vector<double> to_pred = distance_to_set(pred_surface, grid);
  std::vector<double> pooled;
  double sum_pred = 0, sum_ref = 0;
  std::size_t n_pred = 0, n_ref = 0;
  for (std::size_t i = 0; i < pred.size(); ++i) {
    if (pred_surface[i]) {
      pooled.push_back(to_ref[i]);
      sum_pred += to_ref[i];
      ++n_pred;
    }
    if (ref_surface[i]) {
      pooled.push_back(to_pred[i]);
      sum_ref += to_pred[i];
      ++n_ref;
    }
  }
  m.assd_mm = 0.5 * (sum_pred / static_cast<double>(n_pred) + sum_ref / static_cast<double>(n_ref));
  m.hd95_mm = percentile_linear(pooled, 95.0);  // both surfaces are non-empty here
  return m;
}

std::vector<Region> label_regions(const std::vector<int32_t>& labels) {
  std::vector<Region> out;
  for (int32_t l : labels) out.push_back({std::to_string(l), {l}});
  return out;
}

std::vector<Region> brats_regions(int32_t et_label) {
  return {{"WT", {1, 2, et_label}}, {"TC", {1, et_label}}, {"ET", {et_label}}};
}

std::vector<int32_t> labels_present(const Image<int32_t>& a, const Image<int32_t>& b) {
  std::set<int32_t> found;
  for (int32_t v : a.data)
    if (v != 0) found.insert(v);
  for (int32_t v : b.data)
    if (v != 0) found.insert(v);
  return {found.begin(), found.end()};
}

namespace {
BinaryVolume select(const Image<int32_t>& image, const std::vector<int32_t>& labels) {
  BinaryVolume out(image.data.size());
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = std::find(labels.begin(), labels.end(), image.data[i]) != labels.end();
  return out;
}
}  // namespace

std::vector<RegionMetrics> evaluate_regions(const Image<int32_t>& pred, const Image<int32_t>& ref,
                                            const std::vector<Region>& regions) {
  const Grid grid = grid_of(ref.header);
  std::vector<RegionMetrics> out;
  for (const Region& r : regions) {
    RegionMetrics m = compare_binary(select(pred, r.labels), select(ref, r.labels), grid);
    m.region = r;
    out.push_back(m);
  }
  return out;
}

}  // namespace axon::segment
