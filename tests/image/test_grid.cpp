#include <gtest/gtest.h>

#include "axon/core/error.hpp"
#include "axon/image/grid.hpp"
#include "axon/io/nifti.hpp"

namespace {
const std::string T = "/usr/share/mricron/templates/";
}

TEST(Grid, OrientationCodesMatchTheAffine) {
  EXPECT_EQ(axon::grid_of(axon::read_header(T + "ch2.nii.gz")).orientation(), "RAS");
  // Harvard-Oxford's x axis runs right-to-left (x flipped vs ch2).
  EXPECT_EQ(axon::grid_of(axon::read_header(T + "HarvardOxford-cort-maxprob-thr0-1mm.nii.gz")).orientation(), "LAS");
  axon::Grid g;
  g.affine << 0, 0, -2, 10, -2, 0, 0, 20, 0, 2, 0, 30, 0, 0, 0, 1;
  EXPECT_EQ(g.orientation(), "PSL");
}

TEST(Grid, SameGridWithinTolerance) {
  auto a = axon::grid_of(axon::read_header(T + "ch2.nii.gz"));
  auto b = a;
  b.affine(0, 3) += 5e-4;
  EXPECT_TRUE(axon::same_grid(a, b));
  b.affine(0, 3) += 1e-2;
  EXPECT_FALSE(axon::same_grid(a, b));
  auto c = axon::grid_of(axon::read_header(T + "AICHAmc.nii.gz"));
  EXPECT_FALSE(axon::same_grid(a, c));
  EXPECT_THROW(axon::require_same_grid(a, "ch2", c, "aicha"), axon::InputError);
  EXPECT_TRUE(axon::grids_overlap(a, c));
  c.affine(0, 3) += 1000;
  EXPECT_FALSE(axon::grids_overlap(a, c));
}

TEST(Grid, HeaderForGridSetsBothTransformsExactly) {
  auto like = axon::read_header(T + "ch2.nii.gz");
  axon::Grid g;
  g.dims = {61, 73, 61};
  g.affine << 3, 0, 0, -90, 0, 3, 0, -126, 0, 0, 3, -72, 0, 0, 0, 1;
  auto h = axon::header_for_grid(like, g);
  EXPECT_EQ(h.sform, g.affine);
  EXPECT_LT((h.qform - g.affine).cwiseAbs().maxCoeff(), 1e-9);
  EXPECT_EQ(h.sform_code, 4);  // MNI kept
  EXPECT_EQ(h.pixdim[1], 3.0);
  EXPECT_EQ(h.nx(), 61);
}
