// The sliding window's geometry against hand-computed nnU-Net examples:
// window starts (compute_steps_for_sliding_window at 50 % overlap) and the
// Gaussian importance map.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "axon/learn/sliding_window.hpp"

namespace {

using axon::learn::gaussian_importance;
using axon::learn::window_starts;
using Starts = std::vector<int64_t>;

TEST(SlidingWindow, WindowStartsNnUNetExamples) {
  EXPECT_EQ(window_starts(64, 64, 0.5), (Starts{0}));
  EXPECT_EQ(window_starts(70, 64, 0.5), (Starts{0, 6}));
  EXPECT_EQ(window_starts(160, 64, 0.5), (Starts{0, 32, 64, 96}));
  EXPECT_EQ(window_starts(96, 64, 0.5), (Starts{0, 32}));
  EXPECT_EQ(window_starts(97, 64, 0.5), (Starts{0, 17, 33}));  // step 16.5
}

TEST(SlidingWindow, WindowStartsRoundHalfAwayFromZero) {
  // size 37, patch 20: 3 windows, step 8.5 -> 8.5 rounds to 9 (numpy's
  // banker's rounding would give 8; SPEC step 7 fixes half away from zero).
  EXPECT_EQ(window_starts(37, 20, 0.5), (Starts{0, 9, 17}));
  // size 30, patch 12: target step 6 -> 4 windows at exactly 6.
  EXPECT_EQ(window_starts(30, 12, 0.5), (Starts{0, 6, 12, 18}));
}

TEST(SlidingWindow, WindowStartsCoverTheAxis) {
  for (int64_t patch : {1, 7, 16, 64})
    for (int64_t size = patch; size < patch * 5; ++size) {
      const Starts s = window_starts(size, patch, 0.5);
      EXPECT_EQ(s.front(), 0);
      EXPECT_EQ(s.back(), size - patch) << size << " " << patch;
      for (std::size_t i = 1; i < s.size(); ++i) EXPECT_LE(s[i] - s[i - 1], (patch + 1) / 2);
    }
  // No overlap: windows tile the axis.
  EXPECT_EQ(window_starts(128, 64, 0.0), (Starts{0, 64}));
}

TEST(SlidingWindow, GaussianPeakOneAtCentreAndSymmetric) {
  const std::array<int64_t, 3> patch{8, 5, 6};  // z, y, x: odd and even sizes
  const auto w = gaussian_importance(patch);
  ASSERT_EQ(w.size(), 8u * 5u * 6u);
  EXPECT_FLOAT_EQ(*std::max_element(w.begin(), w.end()), 1.0f);
  const auto at = [&](int64_t z, int64_t y, int64_t x) { return w[(z * 5 + y) * 6 + x]; };
  // The maximum sits at the centre: the 2 x 1 x 2 middle voxels.
  EXPECT_FLOAT_EQ(at(3, 2, 2), 1.0f);
  EXPECT_FLOAT_EQ(at(4, 2, 3), 1.0f);
  for (int64_t z = 0; z < 8; ++z)
    for (int64_t y = 0; y < 5; ++y)
      for (int64_t x = 0; x < 6; ++x) {
        EXPECT_EQ(at(z, y, x), at(7 - z, y, x));
        EXPECT_EQ(at(z, y, x), at(z, 4 - y, x));
        EXPECT_EQ(at(z, y, x), at(z, y, 5 - x));
        EXPECT_GT(at(z, y, x), 0.0f);
      }
  // sigma = p / 8 per axis: one step from the centre of a 5-voxel axis.
  const double sigma = 5.0 / 8.0;
  EXPECT_NEAR(at(3, 1, 2), std::exp(-1.0 / (2 * sigma * sigma)), 1e-6);
}

}  // namespace
