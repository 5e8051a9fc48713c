#pragma once
#include <cstdint>

namespace axon {

// Index i reflected into [0, n) without repeating the edge sample
// ("reflect" in scipy.ndimage terms, "symmetric-whole"): -1 -> 1, n -> n - 2.
// Used wherever a filter or search window reaches past the volume's border.
inline int64_t mirror_index(int64_t i, int64_t n) {
  if (n == 1) return 0;
  const int64_t period = 2 * (n - 1);
  i %= period;
  if (i < 0) i += period;
  return i < n ? i : period - i;
}

}  // namespace axon
