#include "testdata/anatomy.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "axon/core/error.hpp"
#include "axon/image/resample.hpp"
#include "axon/io/nifti.hpp"

namespace axon::testdata {
namespace {
constexpr int kUnitsMm = 2;  // NIFTI_UNITS_MM
}

Grid coarser_grid(const Grid& fine, double voxel_mm) {
  if (!(voxel_mm > 0)) throw UsageError("the voxel size must be positive");
  const Eigen::Vector3d spacing = fine.spacing();
  Grid coarse;
  coarse.affine = fine.affine;
  for (int axis = 0; axis < 3; ++axis) {
    const double extent = static_cast<double>(fine.dims[axis] - 1) * spacing[axis];
    // The small epsilon keeps an extent that is an exact multiple (180 / 3)
    // from losing its last voxel to rounding.
    coarse.dims[axis] = static_cast<int64_t>(std::floor(extent / voxel_mm + 1e-9)) + 1;
    coarse.affine.block<3, 1>(0, axis) *= voxel_mm / spacing[axis];
  }
  return coarse;
}

Anatomy load_anatomy(const std::string& template_dir, double voxel_mm) {
  Anatomy a;
  a.template_dir = template_dir;
  const std::string ch2_path = template_dir + "/ch2.nii.gz", bet_path = template_dir + "/ch2bet.nii.gz",
                    aal_path = template_dir + "/aal.nii.gz", table_path = template_dir + "/aal.nii.txt";
  Image<float> ch2 = read_volume<float>(ch2_path);
  Image<float> bet = read_volume<float>(bet_path);
  Image<int32_t> aal = read_volume<int32_t>(aal_path);
  const Grid fine = grid_of(ch2.header);
  require_same_grid(fine, ch2_path, grid_of(bet.header), bet_path);
  require_same_grid(fine, ch2_path, grid_of(aal.header), aal_path);

  ImageHeader target = header_for_grid(ch2.header, coarser_grid(fine, voxel_mm));
  target.xyz_units = kUnitsMm;

  a.t1 = resample_like(ch2, target, Interpolation::linear);
  a.t1.header.datatype = static_cast<int>(DataType::float32);
  a.t1.header.scl_slope = a.t1.header.scl_inter = 0;

  a.atlas = resample_like(aal, target, Interpolation::nearest);
  a.atlas.header.datatype = static_cast<int>(DataType::int16);
  a.atlas.header.scl_slope = a.atlas.header.scl_inter = 0;

  const Image<float> bet_coarse = resample_like(bet, target, Interpolation::nearest);
  a.brainmask = image_like<int32_t>(bet_coarse, DataType::uint8);
  for (size_t i = 0; i < bet_coarse.data.size(); ++i) a.brainmask.data[i] = bet_coarse.data[i] > 0 ? 1 : 0;

  a.label_table = read_label_table(table_path);
  std::set<int32_t> labels;
  for (const auto& [label, name] : a.label_table.names) labels.insert(label);
  for (int32_t v : aal.data)
    if (v != 0) labels.insert(v);
  a.labels.assign(labels.begin(), labels.end());
  a.voxels_per_label.assign(a.labels.size(), 0);
  for (int32_t v : a.atlas.data) {
    if (v == 0) continue;
    auto it = std::lower_bound(a.labels.begin(), a.labels.end(), v);
    ++a.voxels_per_label[static_cast<size_t>(it - a.labels.begin())];
  }
  return a;
}

}  // namespace axon::testdata
