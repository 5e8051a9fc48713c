#pragma once
// Shared by the recovery tests: Colin27 (ch2, with skull) at 3 mm and its
// brain voxels as LPS points, where errors are judged.
#include <vector>

#include <Eigen/Core>

#include "axon/image/grid.hpp"
#include "testdata/anatomy.hpp"

namespace axon::test {

inline const testdata::Anatomy& colin_3mm() {
  static const testdata::Anatomy anatomy = testdata::load_anatomy(testdata::kDefaultTemplateDir, 3.0);
  return anatomy;
}

// The LPS world positions of the voxels of `mask` > 0.
inline std::vector<Eigen::Vector3d> brain_points_lps(const Image<int32_t>& mask) {
  const Grid grid = grid_of(mask.header);
  std::vector<Eigen::Vector3d> points;
  for (int64_t k = 0; k < mask.nz(); ++k)
    for (int64_t j = 0; j < mask.ny(); ++j)
      for (int64_t i = 0; i < mask.nx(); ++i)
        if (mask.at(i, j, k) > 0) {
          const Eigen::Vector3d ras = grid.world(static_cast<double>(i), static_cast<double>(j), static_cast<double>(k));
          points.emplace_back(-ras[0], -ras[1], ras[2]);
        }
  return points;
}

}  // namespace axon::test
