#pragma once
// numpy.percentile's default rule (linear interpolation between the order
// statistics at q (n - 1) / 100), by selection instead of a sort: O(n).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace axon {

struct IdentityValue {
  double operator()(double x) const { return x; }
};

// The percentile q (in [0, 100]) of f(values): f must be non-decreasing on
// the values (it is applied to the two order statistics only; e.g. squaring
// magnitudes). NaN for no values. The order of `values` changes.
template <class T, class F = IdentityValue>
double percentile_linear(std::vector<T>& values, double q, F f = {}) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double pos = q / 100.0 * static_cast<double>(values.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(std::floor(pos));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
  const double a = f(values[lo]);
  if (lo + 1 >= values.size()) return a;
  const double b = f(*std::min_element(values.begin() + static_cast<std::ptrdiff_t>(lo) + 1, values.end()));
  return a + (pos - static_cast<double>(lo)) * (b - a);
}

}  // namespace axon
