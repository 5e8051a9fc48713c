#pragma once
// Voxel-wise functional network: every pair of nodes (voxels) is an edge
// when the Pearson correlation of their series exceeds a threshold, or,
// with a sparsity, when it is among the requested fraction of all pairs
// with the strongest positive correlation (a global threshold giving that
// edge density, as AFNI 3dDegreeCentrality's -sparsity). Degree and
// weighted degree (summed r over edges) per node, and optionally the graph
// itself for triangle counts.
//
// The V x V correlation matrix is never held: it is computed tile by tile
// (block x block float32 products of unit series, OpenBLAS sgemm, each
// unordered block pair once) and thresholded while the tile is hot in cache.
// Exactness: a float32 dot product of unit vectors of length T is within
// eps = (T + 8) * 2^-24 * 1.5 of the float64 correlation, so only pairs
// closer than that to the threshold can be decided differently; those are
// recomputed in float64 and decided there. The result equals thresholding
// the float64 correlation matrix (numpy's corrcoef) exactly.
// Determinism: counts are integers and the weighted sums are accumulated
// per tile (a fixed order) and added across tiles in 2^-32 fixed point, so
// any thread count gives the same bits.
#include <cstdint>
#include <vector>

#include "axon/network/bit_adjacency.hpp"
#include "axon/network/unit_series.hpp"

namespace axon::network {

struct GraphOptions {
  double threshold = 0.25;  // edge: r > threshold (used when sparsity is 0)
  double sparsity = 0;      // (0, 1): edge density; edges are the top pairs, r >= the threshold found
  bool keep_graph = false;  // fill CorrelationGraph::graph (n^2 / 8 bytes)
  int block = 512;          // nodes per tile; a multiple of 64
};

struct CorrelationGraph {
  std::vector<int64_t> degree;           // per node
  std::vector<double> weighted_degree;   // per node: sum of r over its edges
  double threshold = 0;                  // the threshold applied
  int64_t edges = 0;
  BitAdjacency graph;                    // when keep_graph
  // Work done, for benchmarks: float32 operations of the products, wall
  // time of the passes over all tiles, passes made (2 with a sparsity),
  // pairs decided in float64.
  double product_flops = 0, pass_seconds = 0;
  int passes = 0;
  int64_t rechecked = 0;
};

// Throws std::invalid_argument for a sparsity outside (0, 1), a block that
// is not a positive multiple of 64, or fewer than 2 nodes.
CorrelationGraph correlation_graph(const UnitSeries& series, const GraphOptions& options);

}  // namespace axon::network
