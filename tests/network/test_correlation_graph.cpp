// The blocked correlation graph against a brute-force numpy reference
// (tests/network/brute_force_graph.py: full float64 correlation matrix,
// thresholded; triangles as diag(A^3)/2), which it must match exactly.
#include <omp.h>

#include <cmath>
#include <random>

#include "axon/network/correlation_graph.hpp"
#include "common/python_peer.hpp"

namespace axon::network {
namespace {

// Series sharing a few latent factors with voxel-specific loadings, so the
// correlations spread over (-1, 1); two constant voxels.
Eigen::MatrixXd make_series(int volumes, int voxels, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  const int factors = 6;
  Eigen::MatrixXd f(volumes, factors), load(factors, voxels);
  for (int t = 0; t < volumes; ++t)
    for (int k = 0; k < factors; ++k) f(t, k) = normal(rng);
  for (int v = 0; v < voxels; ++v)
    for (int k = 0; k < factors; ++k) load(k, v) = (v % (k + 2) == 0 ? 1.0 : 0.2) * normal(rng);
  Eigen::MatrixXd x = f * load;
  for (int t = 0; t < volumes; ++t)
    for (int v = 0; v < voxels; ++v) x(t, v) += 0.8 * normal(rng) + 100;
  x.col(5).setConstant(7);
  x.col(voxels - 1).setConstant(0);
  return x;
}

struct Case {
  double threshold = 0, sparsity = 0;
};

void check(const Case& c, int block, int voxels = 701, int volumes = 70) {
  if (!test::python_has("numpy")) GTEST_SKIP() << "numpy missing (scripts/bootstrap)";
  test::ScratchDir dir;
  const Eigen::MatrixXd x = make_series(volumes, voxels, 11);
  test::write_matrix(x, dir / "series.txt");
  ASSERT_TRUE(test::run_peer("network/brute_force_graph.py",
                             dir.str() + " " + std::to_string(c.threshold) + " " + std::to_string(c.sparsity)));
  const Eigen::MatrixXd ref = test::read_matrix(dir / "ref_graph.txt");
  const double ref_threshold = test::read_matrix(dir / "ref_threshold.txt")(0, 0);

  const UnitSeries u = unit_series(x);
  ASSERT_EQ(u.nodes(), x.cols() - 2);
  GraphOptions o;
  o.threshold = c.threshold;
  o.sparsity = c.sparsity;
  o.keep_graph = true;
  o.block = block;
  const CorrelationGraph g = correlation_graph(u, o);
  const std::vector<uint64_t> triangles = count_triangles(g.graph);
  EXPECT_NEAR(g.threshold, ref_threshold, 1e-12);
  int64_t degree_sum = 0;
  for (int64_t i = 0; i < u.nodes(); ++i) {
    const Eigen::Index col = u.column[i];
    ASSERT_EQ(g.degree[i], static_cast<int64_t>(ref(col, 0))) << "degree of voxel " << col;
    // Each r of the sum is float32 (relative error ~1e-7) unless rechecked.
    ASSERT_NEAR(g.weighted_degree[i], ref(col, 1), 1e-9 + 1e-6 * ref(col, 0)) << "weighted degree of voxel " << col;
    ASSERT_EQ(triangles[i], static_cast<uint64_t>(ref(col, 2))) << "triangles of voxel " << col;
    degree_sum += g.degree[i];
  }
  EXPECT_EQ(g.edges * 2, degree_sum);
  EXPECT_GT(g.edges, 0);
}

TEST(CorrelationGraph, ThresholdMatchesBruteForceExactly) { check({0.3, 0}, 128); }
TEST(CorrelationGraph, NegativeThresholdMatchesBruteForce) { check({-0.05, 0}, 64); }
TEST(CorrelationGraph, SparsityMatchesBruteForceExactly) { check({0, 0.05}, 128); }
TEST(CorrelationGraph, OnePercentSparsityOneTile) { check({0, 0.01}, 1024); }
// More nodes than one 1024-node tile of the triangle count.
TEST(CorrelationGraph, TrianglesAcrossTilesMatchBruteForce) { check({0, 0.03}, 512, 2300, 40); }

TEST(CorrelationGraph, SameBitsForAnyThreadCount) {
  const UnitSeries u = unit_series(make_series(50, 600, 3));
  GraphOptions o;
  o.sparsity = 0.03;
  o.keep_graph = true;
  o.block = 64;
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const CorrelationGraph one = correlation_graph(u, o);
  const std::vector<uint64_t> t1 = count_triangles(one.graph);
  omp_set_num_threads(3);
  const CorrelationGraph three = correlation_graph(u, o);
  const std::vector<uint64_t> t3 = count_triangles(three.graph);
  omp_set_num_threads(saved);
  EXPECT_EQ(one.degree, three.degree);
  EXPECT_EQ(one.weighted_degree, three.weighted_degree);  // bitwise
  EXPECT_EQ(t1, t3);
  EXPECT_EQ(one.threshold, three.threshold);
}

TEST(CorrelationGraph, RefusesBadSettings) {
  const UnitSeries u = unit_series(make_series(20, 100, 1));
  GraphOptions o;
  o.sparsity = 1.5;
  EXPECT_THROW(correlation_graph(u, o), std::invalid_argument);
  o.sparsity = 0;
  o.block = 100;
  EXPECT_THROW(correlation_graph(u, o), std::invalid_argument);
  EXPECT_THROW(unit_series(Eigen::MatrixXd::Ones(2, 5)), std::invalid_argument);
}

}  // namespace
}  // namespace axon::network
