#include "axon/motion/non_steady_state.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace axon::motion {
namespace {

// numpy's median: the mean of the two middle values for an even count.
double median_of(std::vector<double> v) {
  const std::size_t n = v.size(), h = n / 2;
  std::nth_element(v.begin(), v.begin() + h, v.end());
  const double upper = v[h];
  if (n % 2) return upper;
  return 0.5 * (upper + *std::max_element(v.begin(), v.begin() + h));
}

}  // namespace

Eigen::VectorXd field_of_view_mean(const Image<float>& bold, int64_t max_volumes) {
  const int64_t n = std::min(bold.nt(), max_volumes), nv = bold.voxels_per_volume();
  Eigen::VectorXd mean(n);
  for (int64_t t = 0; t < n; ++t) {
    const float* v = bold.volume(t);
    double sum = 0;
    for (int64_t i = 0; i < nv; ++i) sum += v[i];
    mean[t] = sum / static_cast<double>(nv);
  }
  return mean;
}

int64_t leading_outliers(const Eigen::VectorXd& points, double threshold) {
  if (points.size() == 0) return 0;
  std::vector<double> values(points.data(), points.data() + points.size());
  const double median = median_of(values);
  std::vector<double> diff(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) diff[i] = std::abs(values[i] - median);
  const double mad = median_of(diff);
  int64_t count = 0;
  for (double d : diff) {
    // numpy: d / 0 is inf (counts) and 0 / 0 is NaN (NaN <= thresh is
    // false, so it counts too).
    const double score = 0.6745 * d / mad;
    if (score <= threshold) break;
    ++count;
  }
  return count;
}

int64_t detect_non_steady_state(const Image<float>& bold) { return leading_outliers(field_of_view_mean(bold)); }

}  // namespace axon::motion
