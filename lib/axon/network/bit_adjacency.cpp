#include "axon/network/bit_adjacency.hpp"

#include <omp.h>

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
  const int threads = omp_get_max_threads();
  std::vector<std::vector<uint64_t>> partial(threads, std::vector<uint64_t>(n, 0));
#pragma omp parallel
  {
    std::vector<uint64_t>& t = partial[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 16)
    for (int64_t i = 0; i < n; ++i) {
      const uint64_t* ri = g.row(i);
      uint64_t ti = 0;
      // Neighbours j > i: the first word is masked below bit i + 1.
      for (int64_t w = (i + 1) >> 6; w < words; ++w) {
        uint64_t bits = ri[w];
        if (w == ((i + 1) >> 6)) bits &= ~uint64_t{0} << ((i + 1) & 63);
        while (bits) {
          const int64_t j = (w << 6) + __builtin_ctzll(bits);
          bits &= bits - 1;
          const uint64_t c = and_count(ri, g.row(j), words);
          ti += c;
          t[j] += c;
        }
      }
      t[i] += ti;
    }
  }
  std::vector<uint64_t> total(n, 0);
  for (const auto& t : partial)
    for (int64_t i = 0; i < n; ++i) total[i] += t[i];
  for (auto& v : total) v /= 2;
  return total;
}

}  // namespace axon::network
