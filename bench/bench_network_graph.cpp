// Times the voxel-wise correlation graph on random series (nodes x volumes
// given), for tuning the tile size: prints seconds and GFLOP/s of the pass.
// Usage: bench_network_graph NODES VOLUMES THRESHOLD|sSPARSITY [BLOCK] [triangles]
#include <omp.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "axon/network/correlation_graph.hpp"

int main(int argc, char** argv) {
  if (argc < 4) return 2;
  const long n = std::atol(argv[1]), t = std::atol(argv[2]);
  const std::string how = argv[3];
  axon::network::GraphOptions o;
  if (how[0] == 's') o.sparsity = std::atof(how.c_str() + 1); else o.threshold = std::atof(how.c_str());
  if (argc > 4) o.block = std::atoi(argv[4]);
  o.keep_graph = argc > 5;
  // Smooth random series with a few shared factors (correlations spread).
  Eigen::MatrixXd x(t, n);
  std::mt19937_64 rng(1);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd f(t, 8);
  for (long i = 0; i < t; ++i) for (int k = 0; k < 8; ++k) f(i, k) = normal(rng);
  for (long v = 0; v < n; ++v) {
    const int k = v % 8;
    for (long i = 0; i < t; ++i) x(i, v) = f(i, k) + 1.5 * normal(rng);
  }
  auto t0 = std::chrono::steady_clock::now();
  const auto u = axon::network::unit_series(x);
  auto t1 = std::chrono::steady_clock::now();
  // Process CPU time (all threads) of the graph alone: a rate that other
  // jobs on a shared machine do not distort.
  const std::clock_t c0 = std::clock();
  const auto g = axon::network::correlation_graph(u, o);
  const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  auto t2 = std::chrono::steady_clock::now();
  double tri_s = 0;
  if (o.keep_graph) {
    const auto tri = axon::network::count_triangles(g.graph);
    tri_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t2).count();
  }
  std::printf("threads %d nodes %ld volumes %ld block %d: unit %.2f s, graph %.2f s (pass %.2f s, %.1f GFLOP/s, %d passes), "
              "edges %lld (density %.4f), threshold %.5f, rechecked %lld, triangles %.2f s; graph CPU %.2f s = %.1f GFLOP per CPU-second\n",
              omp_get_max_threads(), n, t, o.block, std::chrono::duration<double>(t1 - t0).count(),
              std::chrono::duration<double>(t2 - t1).count(), g.pass_seconds, g.product_flops / g.pass_seconds / 1e9,
              g.passes, (long long)g.edges, g.edges / (0.5 * n * (n - 1.0)), g.threshold, (long long)g.rechecked, tri_s, cpu, g.product_flops / cpu / 1e9);
  return 0;
}
