#include "axon/network/correlation_graph.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "axon/core/stopwatch.hpp"
#include "axon/network/sgemm.hpp"

namespace axon::network {
namespace {

constexpr double kFixedScale = 4294967296.0;  // 2^32: fixed point of the weighted sums
constexpr int kHistogramBins = 1 << 16;       // over [-1, 1], for the sparsity's first pass

int64_t to_fixed(double x) { return std::llround(x * kFixedScale); }

// A pair whose float32 correlation lies in the recheck band.
struct Candidate {
  int64_t i, j;
  float single;
  double exact;
};

struct TilePair {
  int64_t i0, rows, j0, cols;
};

std::vector<TilePair> tile_pairs(int64_t n, int64_t block) {
  std::vector<TilePair> pairs;
  for (int64_t i0 = 0; i0 < n; i0 += block)
    for (int64_t j0 = i0; j0 < n; j0 += block)
      pairs.push_back({i0, std::min(block, n - i0), j0, std::min(block, n - j0)});
  return pairs;
}

// Runs visit(thread, tile, C) for every unordered block pair, C the tile of
// correlations (row-major, leading dimension `block`). Returns the flops.
template <class Visit>
double for_each_tile(const UnitSeries& u, int64_t block, Visit&& visit) {
  const std::vector<TilePair> pairs = tile_pairs(u.nodes(), block);
  const int64_t t = u.length();
  double flops = 0;
  for (const auto& p : pairs) flops += 2.0 * static_cast<double>(t) * static_cast<double>(p.rows * p.cols);
  single_threaded_blas();
#pragma omp parallel
  {
    std::vector<float> c(static_cast<std::size_t>(block * block));
    const int thread = omp_get_thread_num();
#pragma omp for schedule(dynamic, 1)
    for (std::size_t k = 0; k < pairs.size(); ++k) {
      const TilePair& p = pairs[k];
      product_abt(p.rows, p.cols, t, u.single.row(p.i0).data(), u.single.row(p.j0).data(), c.data(), block);
      visit(thread, p, c.data());
    }
  }
  return flops;
}

// What one thread accumulates over its tiles.
struct ThreadSums {
  std::vector<int64_t> degree, weight;  // weight in 2^-32 fixed point
  std::vector<Candidate> candidates;
  int64_t above = 0;  // pairs above the band (certain edges)
  std::vector<int32_t> column_count;
  std::vector<double> column_weight;
};

struct PassSettings {
  float threshold;       // counted in float32: r > threshold
  float band_lo, band_hi;  // r in (band_lo, band_hi] is rechecked in float64
};

void threshold_tile(const UnitSeries& u, const TilePair& p, const float* c, int64_t ld, const PassSettings& s,
                    ThreadSums& sums, BitAdjacency* graph) {
  const bool diagonal = p.i0 == p.j0;
  int32_t* cc = sums.column_count.data();
  double* cw = sums.column_weight.data();
  std::fill(cc, cc + p.cols, 0);
  std::fill(cw, cw + p.cols, 0.0);
  const float thr = s.threshold, lo = s.band_lo, hi = s.band_hi;
  for (int64_t r = 0; r < p.rows; ++r) {
    const float* row = c + r * ld;
    const int64_t first = diagonal ? r + 1 : 0;
    int64_t count = 0, band = 0, above = 0;
    double weight = 0;
    // The bulk of the work after the products: branch-free so that it
    // vectorises (the reduction order is fixed by the compiled loop).
#pragma omp simd reduction(+ : count, band, above, weight)
    for (int64_t k = first; k < p.cols; ++k) {
      const float v = row[k];
      const int m = v > thr;
      const float w = m ? v : 0.0f;
      count += m;
      weight += w;
      cc[k] += m;
      cw[k] += w;
      band += (v > lo) & (v <= hi);
      above += v > hi;
    }
    const int64_t i = p.i0 + r;
    sums.degree[i] += count;
    sums.weight[i] += to_fixed(weight);
    sums.above += above;
    if (band > 0)
      for (int64_t k = first; k < p.cols; ++k)
        if (row[k] > lo && row[k] <= hi)
          sums.candidates.push_back({i, p.j0 + k, row[k], u.exact_correlation(i, p.j0 + k)});
    if (graph && count > 0) {
      // Tiles start at multiples of 64, so the words written here (row i
      // over this tile's columns, and rows j over this tile's i range)
      // belong to this tile alone: no two threads touch the same word.
      for (int64_t k = first; k < p.cols; ++k)
        if (row[k] > thr) graph->set(i, p.j0 + k, true);
    }
  }
  for (int64_t k = 0; k < p.cols; ++k) {
    sums.degree[p.j0 + k] += cc[k];
    sums.weight[p.j0 + k] += to_fixed(cw[k]);
  }
}

void histogram_tile(const TilePair& p, const float* c, int64_t ld, std::vector<int64_t>& histogram) {
  const bool diagonal = p.i0 == p.j0;
  int64_t* h = histogram.data();
  for (int64_t r = 0; r < p.rows; ++r) {
    const float* row = c + r * ld;
    for (int64_t k = diagonal ? r + 1 : 0; k < p.cols; ++k) {
      const int b = static_cast<int>((row[k] + 1.0f) * (kHistogramBins / 2));
      ++h[std::clamp(b, 0, kHistogramBins - 1)];
    }
  }
}

}  // namespace

CorrelationGraph correlation_graph(const UnitSeries& u, const GraphOptions& o) {
  const int64_t n = u.nodes(), block = o.block;
  if (n < 2) throw std::invalid_argument("fewer than 2 voxels with a non-constant series");
  if (block <= 0 || block % 64 != 0) throw std::invalid_argument("the tile size must be a positive multiple of 64");
  const bool sparse = o.sparsity != 0;
  if (sparse && !(o.sparsity > 0 && o.sparsity < 1)) throw std::invalid_argument("the sparsity must lie in (0, 1)");
  if (!sparse && !(o.threshold > -1 && o.threshold < 1)) throw std::invalid_argument("the threshold must lie in (-1, 1)");
  const int threads = omp_get_max_threads();
  // Bound on |float32 dot - float64 correlation| for unit vectors of length
  // T: rounding the inputs (2u) plus the T-term accumulation (T u), with
  // margin.
  const double eps = (static_cast<double>(u.length()) + 8.0) * std::ldexp(1.0, -24) * 1.5;
  CorrelationGraph g;
  const double pairs = 0.5 * static_cast<double>(n) * static_cast<double>(n - 1);

  PassSettings s{};
  int64_t wanted = 0;  // edges requested by the sparsity
  if (sparse) {
    // Pass 1: where the wanted number of strongest pairs ends, to one
    // histogram bin (2^-15 wide).
    wanted = std::max<int64_t>(1, std::llround(o.sparsity * pairs));
    std::vector<std::vector<int64_t>> hist(threads, std::vector<int64_t>(kHistogramBins, 0));
    const auto start = std::chrono::steady_clock::now();
    g.product_flops += for_each_tile(u, block, [&](int thread, const TilePair& p, const float* c) {
      histogram_tile(p, c, block, hist[thread]);
    });
    g.pass_seconds += seconds_since(start);
    ++g.passes;
    int64_t above = 0;
    int bin = kHistogramBins - 1;
    for (; bin > 0; --bin) {
      int64_t h = 0;
      for (int t = 0; t < threads; ++t) h += hist[t][bin];
      if (above + h >= wanted) break;
      above += h;
    }
    const double width = 2.0 / kHistogramBins, lo = -1.0 + bin * width;
    // Every pair whose float64 r can be the wanted-th largest has float32 r
    // within this band; pairs above it are edges whatever their float64 r.
    s.band_lo = static_cast<float>(lo - 2 * eps);
    s.band_hi = static_cast<float>(lo + width + 2 * eps);
    s.threshold = s.band_lo;
  } else {
    s.threshold = static_cast<float>(o.threshold);
    // A float32 threshold can differ from the float64 one by half an ulp;
    // the band covers that too.
    s.band_lo = static_cast<float>(o.threshold - eps);
    s.band_hi = static_cast<float>(o.threshold + eps);
  }

  // Pass 2 (the only one with a threshold): degrees, weights, the graph,
  // and the pairs to decide in float64.
  if (o.keep_graph) g.graph = BitAdjacency(n);
  std::vector<ThreadSums> sums(threads);
  for (auto& t : sums) {
    t.degree.assign(n, 0);
    t.weight.assign(n, 0);
    t.column_count.assign(block, 0);
    t.column_weight.assign(block, 0);
  }
  const auto start = std::chrono::steady_clock::now();
  g.product_flops += for_each_tile(u, block, [&](int thread, const TilePair& p, const float* c) {
    threshold_tile(u, p, c, block, s, sums[thread], o.keep_graph ? &g.graph : nullptr);
  });
  g.pass_seconds += seconds_since(start);
  ++g.passes;

  std::vector<int64_t> degree(n, 0), weight(n, 0);
  std::vector<Candidate> candidates;
  int64_t above = 0;
  for (auto& t : sums) {
    for (int64_t i = 0; i < n; ++i) {
      degree[i] += t.degree[i];
      weight[i] += t.weight[i];
    }
    above += t.above;
    candidates.insert(candidates.end(), t.candidates.begin(), t.candidates.end());
  }
  sums.clear();
  // A canonical order, whatever thread found which pair.
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.i != b.i ? a.i < b.i : a.j < b.j; });
  g.rechecked = static_cast<int64_t>(candidates.size());

  double threshold = o.threshold;
  bool inclusive = false;  // edge: r >= threshold (sparsity) or r > threshold
  if (sparse) {
    const int64_t need = wanted - above;
    if (need < 1 || need > static_cast<int64_t>(candidates.size()))
      throw std::logic_error("sparsity: the recheck band missed the threshold");
    std::vector<double> exact;
    exact.reserve(candidates.size());
    for (const auto& c : candidates) exact.push_back(c.exact);
    std::nth_element(exact.begin(), exact.begin() + (need - 1), exact.end(), std::greater<double>());
    threshold = exact[need - 1];
    inclusive = true;
  }
  g.threshold = threshold;
  for (const auto& c : candidates) {
    const bool counted = c.single > s.threshold;
    const bool edge = inclusive ? c.exact >= threshold : c.exact > threshold;
    if (counted) {
      --degree[c.i];
      --degree[c.j];
      weight[c.i] -= to_fixed(c.single);
      weight[c.j] -= to_fixed(c.single);
    }
    if (edge) {
      ++degree[c.i];
      ++degree[c.j];
      weight[c.i] += to_fixed(c.exact);
      weight[c.j] += to_fixed(c.exact);
    }
    if (o.keep_graph && counted != edge) g.graph.set(c.i, c.j, edge);
  }
  g.degree = std::move(degree);
  g.weighted_degree.resize(n);
  int64_t ends = 0;
  for (int64_t i = 0; i < n; ++i) {
    g.weighted_degree[i] = static_cast<double>(weight[i]) / kFixedScale;
    ends += g.degree[i];
  }
  g.edges = ends / 2;
  return g;
}

}  // namespace axon::network
