#pragma once
// A symmetric graph on n nodes as an n x n bit matrix (n^2 / 8 bytes: 600 MB
// for 70,000 voxels), the form in which dense-ish correlation graphs (1-5 %
// of all pairs) are cheapest to intersect: the common neighbours of two
// nodes are the popcount of the AND of their rows.
#include <cstdint>
#include <vector>

namespace axon::network {

class BitAdjacency {
 public:
  BitAdjacency() = default;
  explicit BitAdjacency(int64_t nodes);
  int64_t nodes() const { return nodes_; }
  int64_t words() const { return words_; }  // 64-bit words per row
  bool empty() const { return nodes_ == 0; }
  uint64_t* row(int64_t i) { return bits_.data() + i * words_; }
  const uint64_t* row(int64_t i) const { return bits_.data() + i * words_; }
  bool test(int64_t i, int64_t j) const { return (row(i)[j >> 6] >> (j & 63)) & 1u; }
  // Sets or clears the edge {i, j} (both bits).
  void set(int64_t i, int64_t j, bool on);

 private:
  int64_t nodes_ = 0, words_ = 0;
  std::vector<uint64_t> bits_;
};

// Number of triangles (3-cycles) through each node: diag(A^3) / 2. For
// every edge {i, j} (i < j) the common neighbours are counted once as
// popcount(row_i AND row_j) and credited to both ends; each triangle through
// i is then seen twice (via either of its other two corners). Cost:
// edges x n / 64 word operations (AVX-512 VPOPCNTQ where the CPU has it),
// blocked in 1024-node tiles so that rows are reused from cache (memory
// traffic n^3 / 8192 bytes); memory: the bit matrix, one count per node and
// thread, and 12 bytes per edge of the tile in hand. Threads
// take rows dynamically; counts are integers, so the result is the same for
// any thread count.
std::vector<uint64_t> count_triangles(const BitAdjacency& graph);

}  // namespace axon::network
