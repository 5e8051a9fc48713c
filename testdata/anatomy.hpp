#pragma once
// The real anatomy synthetic data are built on: Colin27 (ch2, ch2bet) and
// the AAL atlas from Debian's mricron-data, put on a coarser grid that
// covers the same field of view.
#include <cstdint>
#include <string>
#include <vector>

#include "axon/image/grid.hpp"
#include "axon/image/image.hpp"
#include "axon/io/label_table.hpp"

namespace axon::testdata {

// Where mricron-data installs the templates.
inline const char* const kDefaultTemplateDir = "/usr/share/mricron/templates";

// A grid with `voxel_mm` voxels whose first voxel centre is that of `fine`
// and whose axes point the same way: along each axis as many voxels as fit
// between the fine grid's first and last centres. For ch2 (181x217x181,
// 1 mm) and 3 mm this is 61x73x61 with centres on every third ch2 voxel, so
// the affine is exact and nearest-neighbour resampling is plain subsampling.
Grid coarser_grid(const Grid& fine, double voxel_mm);

struct Anatomy {
  std::string template_dir;
  Image<float> t1;            // ch2 (with skull), linear interpolation, float32
  Image<int32_t> atlas;       // AAL labels, nearest neighbour, int16 on disk
  Image<int32_t> brainmask;   // ch2bet > 0, nearest neighbour, uint8 on disk
  LabelTable label_table;     // aal.nii.txt
  // Every region: each label of the table and any other label found in the
  // 1 mm atlas, ascending. None is dropped, even with no voxel on the grid.
  std::vector<int32_t> labels;
  std::vector<int64_t> voxels_per_label;  // on the coarse grid, per `labels`
};

// Reads ch2.nii.gz, ch2bet.nii.gz, aal.nii.gz and aal.nii.txt from
// `template_dir` and resamples them to coarser_grid(ch2, voxel_mm). The
// headers keep ch2's sform code (4, MNI) and get millimetre units.
Anatomy load_anatomy(const std::string& template_dir, double voxel_mm);

}  // namespace axon::testdata
