// Label metrics on cases whose answer is known in closed form; agreement
// with an independent numpy/scipy implementation on random blobs is checked
// by evaluate_scipy.sh.
#include <gtest/gtest.h>

#include <cmath>

#include "axon/segment/label_metrics.hpp"

using namespace axon;
using namespace axon::segment;

namespace {

Grid grid_with_spacing(std::array<int64_t, 3> dims, double sx, double sy, double sz) {
  Grid g;
  g.dims = dims;
  g.affine = Eigen::Matrix4d::Identity();
  g.affine(0, 0) = sx;
  g.affine(1, 1) = sy;
  g.affine(2, 2) = sz;
  return g;
}

std::size_t at(const Grid& g, int64_t x, int64_t y, int64_t z) {
  return static_cast<std::size_t>((z * g.dims[1] + y) * g.dims[0] + x);
}

}  // namespace

TEST(LabelMetrics, DiagonalOfTheBratsGrid) {
  EXPECT_NEAR(grid_diagonal_mm(grid_with_spacing({240, 240, 155}, 1, 1, 1)), 373.13, 0.005);
  EXPECT_NEAR(grid_diagonal_mm(grid_with_spacing({10, 20, 5}, 2, 1, 3)), std::sqrt(400 + 400 + 225.0), 1e-12);
}

TEST(LabelMetrics, TwoSingleVoxelsAreTheirDistanceApart) {
  const Grid g = grid_with_spacing({12, 10, 8}, 0.5, 1.0, 3.0);
  BinaryVolume a(g.voxels(), 0), b(g.voxels(), 0);
  a[at(g, 2, 3, 1)] = 1;
  b[at(g, 6, 1, 4)] = 1;  // offset (4, -2, 3) voxels = (2, -2, 9) mm
  const RegionMetrics m = compare_binary(a, b, g);
  const double d = std::sqrt(4.0 + 4.0 + 81.0);
  EXPECT_DOUBLE_EQ(m.dice, 0);
  EXPECT_NEAR(m.hd95_mm, d, 1e-9);
  EXPECT_NEAR(m.assd_mm, d, 1e-9);
  EXPECT_DOUBLE_EQ(m.pred_volume_mm3, 1.5);
}

TEST(LabelMetrics, ShiftedBoxes) {
  // Boxes of 4x4x4 voxels, the second shifted by one voxel along z (3 mm):
  // overlap 4x4x3, Dice = 2*48/128, Jaccard = 48/80. Every surface voxel of
  // one box lies on or within 3 mm of the other's surface; 32 of the 112
  // pooled distances are 3 mm, so the 95th percentile is 3 mm.
  const Grid g = grid_with_spacing({10, 10, 10}, 1, 1, 3);
  BinaryVolume a(g.voxels(), 0), b(g.voxels(), 0);
  for (int z = 2; z < 6; ++z)
    for (int y = 3; y < 7; ++y)
      for (int x = 3; x < 7; ++x) {
        a[at(g, x, y, z)] = 1;
        b[at(g, x, y, z + 1)] = 1;
      }
  const RegionMetrics m = compare_binary(a, b, g);
  EXPECT_DOUBLE_EQ(m.dice, 96.0 / 128.0);
  EXPECT_DOUBLE_EQ(m.jaccard, 48.0 / 80.0);
  EXPECT_NEAR(m.hd95_mm, 3.0, 1e-9);
  // Surface of a 4^3 box: 64 - 2^3 = 56 voxels. A's bottom layer (16
  // voxels) is 3 mm from B's bottom layer; the 4 centre voxels of A's top
  // layer lie inside B, 1 mm (one x step) from B's side ring; every other
  // surface voxel of A is also one of B. Directed mean (16*3 + 4*1) / 56,
  // the same from B to A by symmetry.
  EXPECT_NEAR(m.assd_mm, 52.0 / 56.0, 1e-9);
  EXPECT_DOUBLE_EQ(m.volume_difference_mm3, 0);
}

TEST(LabelMetrics, EmptyConventions) {
  const Grid g = grid_with_spacing({8, 6, 4}, 1, 2, 3);
  BinaryVolume empty(g.voxels(), 0), one(g.voxels(), 0);
  one[at(g, 1, 1, 1)] = 1;
  const RegionMetrics both = compare_binary(empty, empty, g);
  EXPECT_DOUBLE_EQ(both.dice, 1);
  EXPECT_DOUBLE_EQ(both.jaccard, 1);
  EXPECT_DOUBLE_EQ(both.hd95_mm, 0);
  EXPECT_DOUBLE_EQ(both.assd_mm, 0);
  const double diagonal = std::sqrt(64.0 + 144.0 + 144.0);
  for (const RegionMetrics& m : {compare_binary(one, empty, g), compare_binary(empty, one, g)}) {
    EXPECT_DOUBLE_EQ(m.dice, 0);
    EXPECT_DOUBLE_EQ(m.jaccard, 0);
    EXPECT_DOUBLE_EQ(m.hd95_mm, diagonal);
    EXPECT_DOUBLE_EQ(m.assd_mm, diagonal);
  }
}

TEST(LabelMetrics, BratsRegionsNest) {
  const auto r = brats_regions(4);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].name, "WT");
  EXPECT_EQ(r[0].labels, (std::vector<int32_t>{1, 2, 4}));
  EXPECT_EQ(r[1].labels, (std::vector<int32_t>{1, 4}));
  EXPECT_EQ(r[2].labels, (std::vector<int32_t>{4}));
  EXPECT_EQ(brats_regions(3)[0].labels, (std::vector<int32_t>{1, 2, 3}));
}
