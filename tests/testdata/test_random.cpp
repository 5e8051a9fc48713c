// axon::Rng: the portable engine underneath, reproducible streams, and
// distributions with the right moments.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "axon/core/random.hpp"

namespace {

TEST(Random, EngineIsTheStandardMt19937_64) {
  // The C++ standard ([rand.predef]) fixes the 10000th output of a
  // default-seeded mt19937_64: the stream under Rng is the same everywhere.
  axon::Rng rng(5489u);
  std::uint64_t x = 0;
  for (int i = 0; i < 10000; ++i) x = rng.next_u64();
  EXPECT_EQ(x, 9981545732273789042ULL);
}

TEST(Random, SameSeedSameStreamDifferentSeedDifferent) {
  axon::Rng a(7), b(7), c(8);
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    const double x = a.normal(), y = b.normal(), z = c.normal();
    EXPECT_EQ(x, y);
    differs = differs || x != z;
  }
  EXPECT_TRUE(differs);
}

TEST(Random, StreamsAreDistinctAndReproducible) {
  std::set<std::uint64_t> first;
  for (std::uint64_t id = 0; id < 1000; ++id) first.insert(axon::Rng::stream(42, id).next_u64());
  EXPECT_EQ(first.size(), 1000u);
  EXPECT_EQ(axon::Rng::stream(42, 17).next_u64(), axon::Rng::stream(42, 17).next_u64());
  EXPECT_NE(axon::Rng::stream(42, 17).next_u64(), axon::Rng::stream(43, 17).next_u64());
}

TEST(Random, UniformAndNormalMoments) {
  // n = 200000 draws: the mean's standard error is 1/sqrt(12 n) = 0.00065
  // (uniform) and 1/sqrt(n) = 0.0022 (normal); the variance's is about
  // sqrt(2/n) = 0.0032 (normal). Bounds are 5 standard errors.
  const int n = 200000;
  axon::Rng rng(123);
  double su = 0, sn = 0, sn2 = 0, sn4 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    su += u;
    const double z = rng.normal();
    sn += z;
    sn2 += z * z;
    sn4 += z * z * z * z;
  }
  EXPECT_NEAR(su / n, 0.5, 5 * 0.00065);
  EXPECT_NEAR(sn / n, 0.0, 5 * 0.0022);
  EXPECT_NEAR(sn2 / n, 1.0, 5 * 0.0032);
  // The fourth moment of N(0,1) is 3 (se about sqrt(96/n) = 0.022): catches
  // a uniform or otherwise non-Gaussian shape with the right variance.
  EXPECT_NEAR(sn4 / n, 3.0, 5 * 0.022);
}

TEST(Random, UniformIntCoversItsInclusiveRangeEvenly) {
  axon::Rng rng(9);
  int counts[7] = {0};
  const int n = 70000;
  for (int i = 0; i < n; ++i) {
    const auto v = rng.uniform_int(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
    ++counts[v + 3];
  }
  // Each count is Binomial(n, 1/7): sd = sqrt(n p (1-p)) = 92.6.
  for (int c : counts) EXPECT_NEAR(c, n / 7.0, 5 * 92.6);
  EXPECT_EQ(rng.uniform_int(5, 5), 5);
}

}  // namespace
