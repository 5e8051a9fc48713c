// Per-slice features of the slice SSIM regressor, and the field-of-view
// crop of the training augmentation: properties with a known answer
// (symmetry under swapping the in-plane axes, ghosts along one axis,
// world positions kept by the crop).
#include <cmath>

#include <gtest/gtest.h>

#include "axon/image/grid.hpp"
#include "axon/quality/augmentation.hpp"
#include "axon/quality/features.hpp"
#include "axon/quality/head_masks.hpp"
#include "axon/quality/iqm.hpp"
#include "axon/quality/slice_features.hpp"
#include "quality_test_data.hpp"

namespace axon::quality {
namespace {

std::size_t column(const std::string& name) {
  const auto& names = slice_feature_names();
  return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

// The image with x and y swapped (a transpose in every axial slice).
Image<float> swap_xy(const Image<float>& in) {
  Image<float> out = in;
  std::swap(out.header.dim[1], out.header.dim[2]);
  for (int64_t k = 0; k < in.nz(); ++k)
    for (int64_t j = 0; j < in.ny(); ++j)
      for (int64_t i = 0; i < in.nx(); ++i) out.data[out.index(j, i, k)] = in.data[in.index(i, j, k)];
  return out;
}

std::vector<float> features_of(const Image<float>& image) {
  const auto masks = default_iqm_masks(image);
  const FeatureVector volume = image_features(image, masks.head, compute_iqms(image, masks));
  return slice_features(image, masks.head, volume);
}

TEST(SliceFeatures, DoNotDependOnWhichInPlaneAxisIsWhich) {
  const Image<float>& ch2 = test::ch2_3mm();
  const auto a = features_of(ch2), b = features_of(swap_xy(ch2));
  ASSERT_EQ(a.size(), b.size());
  const std::size_t cols = slice_feature_names().size();
  ASSERT_EQ(a.size(), static_cast<std::size_t>(ch2.nz()) * cols);
  int compared = 0;
  for (std::size_t c = 0; c < column("volume_efc"); ++c)  // the slice's own features
    for (int64_t z = 0; z < ch2.nz(); ++z) {
      const float x = a[z * cols + c], y = b[z * cols + c];
      if (std::isnan(x) || std::isnan(y)) {
        EXPECT_EQ(std::isnan(x), std::isnan(y)) << slice_feature_names()[c] << " slice " << z;
        continue;
      }
      EXPECT_NEAR(x, y, 1e-4 * (1 + std::abs(x))) << slice_feature_names()[c] << " slice " << z;
      ++compared;
    }
  EXPECT_GT(compared, 300);
}

TEST(SliceFeatures, EveryRowCarriesTheVolumeFeatures) {
  const Image<float>& ch2 = test::ch2_3mm();
  const auto masks = default_iqm_masks(ch2);
  const FeatureVector volume = image_features(ch2, masks.head, compute_iqms(ch2, masks));
  const std::vector<int64_t> slices{3, 30, 50};
  const auto rows = slice_features(ch2, masks.head, volume, slices);
  const std::size_t cols = slice_feature_names().size(), first = column("volume_efc");
  ASSERT_EQ(rows.size(), slices.size() * cols);
  ASSERT_EQ(cols - first, volume.values.size());
  for (std::size_t r = 0; r < slices.size(); ++r)
    for (std::size_t c = 0; c < volume.values.size(); ++c)
      if (std::isfinite(volume.values[c])) {
        EXPECT_FLOAT_EQ(rows[r * cols + first + c], static_cast<float>(volume.values[c]));
      }
  // The listed rows are those of the full table.
  const auto all = slice_features(ch2, masks.head, volume);
  for (std::size_t r = 0; r < slices.size(); ++r)
    for (std::size_t c = 0; c < first; ++c) {
      const float x = rows[r * cols + c], y = all[slices[r] * cols + c];
      EXPECT_TRUE((std::isnan(x) && std::isnan(y)) || x == y) << slice_feature_names()[c];
    }
}

// A bright square on a dark, noisy background with faint copies of it
// shifted along x (ghosts, as a phase-encode axis x makes them): the air in
// the square's x shadow gets brighter than in its y shadow and the corners.
TEST(SliceFeatures, GhostsAlongOneAxisRaiseItsShadow) {
  Image<float> image;
  const int64_t n = 64;
  image.header.dim = {3, n, n, 4, 1, 1, 1, 1};
  image.header.pixdim = {1, 1, 1, 1, 1, 1, 1, 1};
  image.data.assign(static_cast<std::size_t>(n * n * 4), 0.0f);
  std::uint64_t state = 12345;
  auto noise = [&] {  // a small deterministic generator (a fixed LCG): the background floor
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return 1.0f + static_cast<float>((state >> 40) % 1000) / 1000.0f;
  };
  for (int64_t k = 0; k < 4; ++k)
    for (int64_t j = 0; j < n; ++j)
      for (int64_t i = 0; i < n; ++i) {
        const bool square = i >= 24 && i < 40 && j >= 24 && j < 40;
        const bool ghost = (i >= 4 && i < 20 && j >= 24 && j < 40) || (i >= 44 && i < 60 && j >= 24 && j < 40);
        image.data[image.index(i, j, k)] = square ? 100.0f : ghost ? 8.0f + noise() : noise();
      }
  const ByteMask head = head_mask(image);
  FeatureVector volume;
  volume.values.assign(feature_names().size(), 0.0);
  const auto rows = slice_features(image, head, volume, {1});
  EXPECT_GT(rows[column("slice_shadow_max_min")], std::log(3.0));      // ghost level ~9.5 vs floor ~1.5
  EXPECT_GT(rows[column("slice_shadow_max_corner")], std::log(3.0));
  EXPECT_LT(std::abs(rows[column("slice_shadow_corner_head")] - std::log(1.5 / 100.0)), 0.1);
  EXPECT_NEAR(rows[column("slice_head_fraction")], 256.0 / (n * n), 1e-6);
  EXPECT_NEAR(rows[column("slice_head_relative")], 1.0, 1e-6);
}

TEST(CropFieldOfView, KeepsWorldPositionsAndValues) {
  const Image<float>& ch2 = test::ch2_3mm();
  const std::array<int64_t, 3> lo{7, 11, 5}, size{20, 16, 30};
  const Image<float> crop = crop_field_of_view(ch2, lo, size);
  ASSERT_EQ(crop.nx(), 20);
  ASSERT_EQ(crop.ny(), 16);
  ASSERT_EQ(crop.nz(), 30);
  const Grid g = grid_of(ch2.header), c = grid_of(crop.header);
  for (int64_t k : {0, 29})
    for (int64_t j : {0, 15})
      for (int64_t i : {0, 19}) {
        EXPECT_EQ(crop.data[crop.index(i, j, k)], ch2.data[ch2.index(lo[0] + i, lo[1] + j, lo[2] + k)]);
        EXPECT_LT((c.world(i, j, k) - g.world(lo[0] + i, lo[1] + j, lo[2] + k)).norm(), 1e-4);
      }
  EXPECT_THROW(crop_field_of_view(ch2, {50, 0, 0}, {20, 10, 10}), std::invalid_argument);
}

}  // namespace
}  // namespace axon::quality
