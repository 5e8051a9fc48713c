// Resampling through ITK, checked against an independent nearest-neighbour
// lookup written here with the affines alone.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <set>

#include "axon/image/grid.hpp"
#include "axon/image/resample.hpp"
#include "axon/io/nifti.hpp"

namespace {
const std::string T = "/usr/share/mricron/templates/";

// Labels of `source` seen by each target voxel centre, by plain affine
// arithmetic (no ITK). Voxels that fall within 1e-3 of a rounding tie are
// reported as -1 (either neighbour is a correct answer).
std::vector<int32_t> reference_nearest(const axon::Image<int32_t>& source, const axon::ImageHeader& target) {
  const Eigen::Matrix4d to_source = source.header.affine().inverse() * target.affine();
  std::vector<int32_t> out(static_cast<size_t>(target.voxels_per_volume()));
  size_t n = 0;
  for (int64_t k = 0; k < target.nz(); ++k)
    for (int64_t j = 0; j < target.ny(); ++j)
      for (int64_t i = 0; i < target.nx(); ++i, ++n) {
        Eigen::Vector4d v = to_source * Eigen::Vector4d(i, j, k, 1);
        int64_t s[3];
        bool tie = false, inside = true;
        for (int d = 0; d < 3; ++d) {
          double frac = v[d] - std::floor(v[d]);
          tie = tie || std::fabs(frac - 0.5) < 1e-3;
          s[d] = static_cast<int64_t>(std::llround(v[d]));
        }
        inside = s[0] >= 0 && s[1] >= 0 && s[2] >= 0 && s[0] < source.nx() && s[1] < source.ny() && s[2] < source.nz();
        out[n] = tie ? -1 : inside ? source.at(s[0], s[1], s[2]) : 0;
      }
  return out;
}

void check_labels_preserved(const std::string& atlas_path) {
  auto atlas = axon::read_image<int32_t>(atlas_path);
  auto target = axon::read_header(T + "ch2.nii.gz");
  auto result = axon::resample_like(atlas, target, axon::Interpolation::nearest);
  ASSERT_EQ(result.nx(), target.nx());
  EXPECT_EQ(result.header.sform, target.sform);
  EXPECT_EQ(result.header.sform_code, target.sform_code);
  EXPECT_EQ(result.header.datatype, atlas.header.datatype);
  auto expected = reference_nearest(atlas, target);
  std::set<int32_t> expected_labels, got_labels;
  size_t mismatches = 0, compared = 0;
  for (size_t n = 0; n < expected.size(); ++n) {
    got_labels.insert(result.data[n]);
    if (expected[n] < 0) continue;
    expected_labels.insert(expected[n]);
    ++compared;
    mismatches += expected[n] != result.data[n];
  }
  EXPECT_EQ(mismatches, 0u) << "of " << compared;
  // Every label that covers at least one target voxel is kept, none invented.
  for (int32_t l : expected_labels) EXPECT_TRUE(got_labels.count(l)) << "label " << l << " lost";
  std::set<int32_t> source_labels(atlas.data.begin(), atlas.data.end());
  for (int32_t l : got_labels) EXPECT_TRUE(source_labels.count(l)) << "label " << l << " invented";
}
}  // namespace

TEST(Resample, AichaOntoCh2KeepsEveryLabelAbove127) {
  check_labels_preserved(T + "AICHAmc.nii.gz");
  auto aicha = axon::read_image<int32_t>(T + "AICHAmc.nii.gz");
  auto result = axon::resample_like(aicha, axon::read_header(T + "ch2.nii.gz"), axon::Interpolation::nearest);
  std::set<int32_t> labels(result.data.begin(), result.data.end());
  EXPECT_TRUE(labels.count(192));  // above 127: no int8 overflow
}

TEST(Resample, HarvardOxfordFlippedGridOntoCh2) { check_labels_preserved(T + "HarvardOxford-cort-maxprob-thr0-1mm.nii.gz"); }

TEST(Resample, OntoItsOwnGridIsTheIdentity) {
  auto ch2 = axon::read_image<float>(T + "ch2bet.nii.gz");
  for (auto interp : {axon::Interpolation::nearest, axon::Interpolation::linear, axon::Interpolation::bspline}) {
    auto same = axon::resample_like(ch2, ch2.header, interp);
    double max_err = 0;
    for (size_t i = 0; i < ch2.data.size(); ++i) max_err = std::max(max_err, std::fabs(double(same.data[i]) - ch2.data[i]));
    EXPECT_LT(max_err, 1e-3) << static_cast<int>(interp);
  }
}

TEST(Resample, LinearInterpolationOfALinearRampIsExact) {
  // A ramp along x on a 2 mm grid, resampled onto a 1.5 mm grid inside it:
  // linear interpolation reproduces a linear function exactly.
  axon::Image<float> ramp;
  ramp.header.dim = {3, 20, 10, 10, 1, 1, 1, 1};
  ramp.header.pixdim = {1, 2, 2, 2, 1, 1, 1, 1};
  Eigen::Matrix4d a = Eigen::Matrix4d::Identity();
  a(0, 0) = a(1, 1) = a(2, 2) = 2;
  ramp.header.set_affine(a, 1, 1);
  ramp.data.resize(2000);
  for (int64_t k = 0; k < 10; ++k)
    for (int64_t j = 0; j < 10; ++j)
      for (int64_t i = 0; i < 20; ++i) ramp.at(i, j, k) = static_cast<float>(3.0 * (2.0 * i) + 7.0);  // 3*x + 7
  axon::Grid fine;
  fine.dims = {20, 8, 8};
  fine.affine = Eigen::Matrix4d::Identity();
  fine.affine(0, 0) = fine.affine(1, 1) = fine.affine(2, 2) = 1.5;
  fine.affine(0, 3) = fine.affine(1, 3) = fine.affine(2, 3) = 1.0;
  auto out = axon::resample_like(ramp, axon::header_for_grid(ramp.header, fine), axon::Interpolation::linear);
  for (int64_t i = 0; i < 20; ++i) {
    double x = 1.0 + 1.5 * i;
    EXPECT_NEAR(out.at(i, 3, 3), 3.0 * x + 7.0, 1e-4) << i;
  }
}
