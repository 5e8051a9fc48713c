// percentile_linear: numpy.percentile's default (linear) rule by selection;
// expected values from numpy.percentile on the same lists.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "axon/core/percentile.hpp"

TEST(Percentile, IsNumpysLinearRule) {
  std::vector<double> v{5, 1, 4, 2, 3};
  EXPECT_DOUBLE_EQ(axon::percentile_linear(v, 95), 4.8);  // numpy.percentile([1..5], 95)
  std::vector<double> w{10, 0, 30, 20};
  EXPECT_DOUBLE_EQ(axon::percentile_linear(w, 50), 15);  // numpy.percentile([0, 10, 20, 30], 50)
  EXPECT_DOUBLE_EQ(axon::percentile_linear(w, 5), 1.5);
  EXPECT_DOUBLE_EQ(axon::percentile_linear(w, 100), 30);
  EXPECT_DOUBLE_EQ(axon::percentile_linear(w, 0), 0);
  std::vector<double> one{7};
  EXPECT_DOUBLE_EQ(axon::percentile_linear(one, 95), 7);
}

TEST(Percentile, EmptyIsNaN) {
  std::vector<double> none;
  EXPECT_TRUE(std::isnan(axon::percentile_linear(none, 50)));
}

TEST(Percentile, OfANonDecreasingFunctionOfFloats) {
  // numpy.percentile(numpy.square([1, 2, 3, 4]), 50) = 6.5
  std::vector<float> v{4, 2, 3, 1};
  EXPECT_DOUBLE_EQ(axon::percentile_linear(v, 50, [](float x) { return static_cast<double>(x) * x; }), 6.5);
}
