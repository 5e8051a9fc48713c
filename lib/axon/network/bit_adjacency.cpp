#include "axon/network/bit_adjacency.hpp"

#include <omp.h>

#include <algorithm>
#include <utility>

namespace axon::network {

BitAdjacency::BitAdjacency(int64_t nodes)
    : nodes_(nodes), words_((nodes + 63) / 64), bits_(static_cast<std::size_t>(nodes * ((nodes + 63) / 64)), 0) {}

void BitAdjacency::set(int64_t i, int64_t j, bool on) {
  const uint64_t bi = uint64_t{1} << (j & 63), bj = uint64_t{1} << (i & 63);
  if (on) {
    row(i)[j >> 6] |= bi;
    row(j)[i >> 6] |= bj;
  } else {
    row(i)[j >> 6] &= ~bi;
    row(j)[i >> 6] &= ~bj;
  }
}

namespace {

// popcount(a AND b) over n words. Compiled three times: the loop
// vectorises to VPOPCNTQ with AVX-512 VPOPCNTDQ, else the scalar POPCNT
// instruction, else the portable bit trick of a baseline x86-64 build.
__attribute__((target("avx512f,avx512vpopcntdq,popcnt"))) uint64_t and_count_vpopcnt(const uint64_t* a,
                                                                                     const uint64_t* b, int64_t n) {
  uint64_t s = 0;
  for (int64_t k = 0; k < n; ++k) s += static_cast<uint64_t>(__builtin_popcountll(a[k] & b[k]));
  return s;
}
__attribute__((target("popcnt"))) uint64_t and_count_popcnt(const uint64_t* a, const uint64_t* b, int64_t n) {
  uint64_t s = 0;
  for (int64_t k = 0; k < n; ++k) s += static_cast<uint64_t>(__builtin_popcountll(a[k] & b[k]));
  return s;
}
uint64_t and_count_plain(const uint64_t* a, const uint64_t* b, int64_t n) {
  uint64_t s = 0;
  for (int64_t k = 0; k < n; ++k) s += static_cast<uint64_t>(__builtin_popcountll(a[k] & b[k]));
  return s;
}

using AndCount = uint64_t (*)(const uint64_t*, const uint64_t*, int64_t);
AndCount pick_and_count() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512vpopcntdq")) return and_count_vpopcnt;
  if (__builtin_cpu_supports("popcnt")) return and_count_popcnt;
  return and_count_plain;
}

}  // namespace

std::vector<uint64_t> count_triangles(const BitAdjacency& g) {
  const int64_t n = g.nodes(), words = g.words();
  const AndCount and_count = pick_and_count();
  // Blocked like a matrix product, for cache reuse: tiles of kTile x kTile
  // node pairs (each unordered pair of blocks once); within a tile, the
  // edges are listed once, then the rows' AND-popcounts are accumulated over
  // column chunks of kChunk words, so the chunk's slices of the tile's rows
  // (2 x 1024 x 256 bytes) stay in L2 while every edge of the tile uses them.
  // Memory traffic: n^3 / (8 kTile) bytes instead of one row per edge.
  constexpr int64_t kTile = 1024, kChunk = 32;
  std::vector<std::pair<int64_t, int64_t>> tiles;
  for (int64_t i0 = 0; i0 < n; i0 += kTile)
    for (int64_t j0 = i0; j0 < n; j0 += kTile) tiles.push_back({i0, j0});
  const int threads = omp_get_max_threads();
  std::vector<std::vector<uint64_t>> partial(threads, std::vector<uint64_t>(n, 0));
#pragma omp parallel
  {
    std::vector<uint64_t>& t = partial[omp_get_thread_num()];
    std::vector<std::pair<int32_t, int32_t>> edges;
    std::vector<uint32_t> common;
#pragma omp for schedule(dynamic, 1)
    for (std::size_t k = 0; k < tiles.size(); ++k) {
      const int64_t i0 = tiles[k].first, j0 = tiles[k].second;
      const int64_t i1 = std::min(n, i0 + kTile), j1 = std::min(n, j0 + kTile);
      edges.clear();
      for (int64_t i = i0; i < i1; ++i) {
        const uint64_t* ri = g.row(i);
        for (int64_t w = j0 >> 6; w < (j1 + 63) >> 6; ++w) {
          uint64_t bits = ri[w];
          while (bits) {
            const int64_t j = (w << 6) + __builtin_ctzll(bits);
            bits &= bits - 1;
            if (j > i && j < j1) edges.push_back({static_cast<int32_t>(i - i0), static_cast<int32_t>(j - j0)});
          }
        }
      }
      if (edges.empty()) continue;
      common.assign(edges.size(), 0);
      for (int64_t w0 = 0; w0 < words; w0 += kChunk) {
        const int64_t nw = std::min(kChunk, words - w0);
        for (std::size_t e = 0; e < edges.size(); ++e)
          common[e] += static_cast<uint32_t>(and_count(g.row(i0 + edges[e].first) + w0, g.row(j0 + edges[e].second) + w0, nw));
      }
      for (std::size_t e = 0; e < edges.size(); ++e) {
        t[i0 + edges[e].first] += common[e];
        t[j0 + edges[e].second] += common[e];
      }
    }
  }
  std::vector<uint64_t> total(n, 0);
  for (const auto& t : partial)
    for (int64_t i = 0; i < n; ++i) total[i] += t[i];
  for (auto& v : total) v /= 2;
  return total;
}

}  // namespace axon::network
