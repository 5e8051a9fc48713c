// axon-register apply's library side: labels stay exact under a transform
// (label voting and nearest neighbour give only the input's labels), the
// output takes the reference grid, 4D inputs are resampled volume by volume.
#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <set>

#include "axon/register/apply_transforms.hpp"
#include "recovery_fixture.hpp"

namespace {
using namespace axon;
using namespace axon::registration;

LinearTransform small_rotation() {
  LinearTransform t;
  t.centre = {0, 18, 18};
  const Eigen::Matrix3d r = Eigen::AngleAxisd(0.08, Eigen::Vector3d(0.3, -0.5, 0.8).normalized()).toRotationMatrix();
  t.matrix.topLeftCorner<3, 3>() = r;
  t.matrix.topRightCorner<3, 1>() = t.centre + Eigen::Vector3d(2.5, -1.5, 3.5) - r * t.centre;
  return t;
}

std::set<float> values(const Image<float>& image) { return std::set<float>(image.data.begin(), image.data.end()); }

TEST(RegisterApply, LabelInterpolationKeepsTheLabelSetExact) {
  const auto& colin = test::colin_3mm();
  Image<float> atlas;
  atlas.header = colin.atlas.header;
  atlas.data.assign(colin.atlas.data.begin(), colin.atlas.data.end());
  const std::set<float> labels = values(atlas);
  for (ApplyInterpolation mode : {ApplyInterpolation::label, ApplyInterpolation::nearest}) {
    const Image<float> out = apply_transforms(atlas, atlas.header, {{"r", small_rotation(), nullptr}}, mode);
    const std::set<float> got = values(out);
    for (float v : got) EXPECT_TRUE(labels.count(v)) << interpolation_name(mode) << ": value " << v << " is no input label";
    // A rotation of 4.6 degrees keeps (nearly) every AAL region.
    EXPECT_GE(got.size() + 3, labels.size()) << interpolation_name(mode);
    EXPECT_EQ(out.header.datatype, atlas.header.datatype);
  }
  // Linear interpolation does make new values (the reason for `label`).
  const Image<float> linear = apply_transforms(atlas, atlas.header, {{"r", small_rotation(), nullptr}}, ApplyInterpolation::linear);
  std::size_t fractional = 0;
  for (float v : linear.data) fractional += v != std::round(v);
  EXPECT_GT(fractional, 0u);
}

TEST(RegisterApply, OutputTakesTheReferenceGridAndKeepsVolumes) {
  const auto& colin = test::colin_3mm();
  // Two volumes (the head and twice the head) onto a 4 mm grid.
  Image<float> series = colin.t1;
  series.header.set_volumes(2);
  series.data.insert(series.data.end(), colin.t1.data.begin(), colin.t1.data.end());
  for (std::size_t i = colin.t1.data.size(); i < series.data.size(); ++i) series.data[i] *= 2;
  const Grid coarse = testdata::coarser_grid(grid_of(colin.t1.header), 4.0);
  const ImageHeader reference = header_for_grid(colin.t1.header, coarse);
  const Image<float> out = apply_transforms(series, reference, {{"r", small_rotation(), nullptr}}, ApplyInterpolation::linear);
  EXPECT_EQ(out.nt(), 2);
  EXPECT_TRUE(same_grid(grid_of(out.header), coarse));
  EXPECT_EQ(out.header.sform_code, reference.sform_code);
  for (int64_t v = 0; v < out.voxels_per_volume(); ++v) EXPECT_FLOAT_EQ(out.volume(1)[v], 2 * out.volume(0)[v]);
}

}  // namespace
