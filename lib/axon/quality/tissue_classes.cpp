#include "axon/quality/tissue_classes.hpp"

#include <algorithm>
#include <cmath>

#include "axon/core/error.hpp"

namespace axon::quality {

TissueSplit kmeans_tissue_split(const float* image, const std::vector<std::uint8_t>& brain_mask) {
  std::vector<float> values;
  for (std::size_t v = 0; v < brain_mask.size(); ++v)
    if (brain_mask[v]) values.push_back(image[v]);
  if (values.size() < 3) throw InputError("", "the brain mask has fewer than 3 voxels: no tissue classes");
  auto quantile = [&](double q) {
    const std::size_t k = static_cast<std::size_t>(q * (values.size() - 1));
    std::nth_element(values.begin(), values.begin() + k, values.end());
    return static_cast<double>(values[k]);
  };
  const double lo = quantile(0.005), hi = quantile(0.995);
  std::array<double, 3> c{quantile(0.10), quantile(0.50), quantile(0.90)};
  TissueSplit split;
  split.labels.assign(brain_mask.size(), kBackground);
  if (hi > lo) {
    constexpr int bins = 1024;
    std::vector<double> hist(bins, 0.0);
    const double width = (hi - lo) / bins;
    for (float x : values) hist[std::clamp(static_cast<int>((x - lo) / width), 0, bins - 1)] += 1;
    for (int iter = 0; iter < 100; ++iter) {
      std::array<double, 3> sum{}, count{};
      for (int b = 0; b < bins; ++b) {
        const double x = lo + (b + 0.5) * width;
        int best = 0;
        for (int q = 1; q < 3; ++q)
          if (std::abs(x - c[q]) < std::abs(x - c[best])) best = q;
        sum[best] += hist[b] * x, count[best] += hist[b];
      }
      std::array<double, 3> next = c;
      for (int q = 0; q < 3; ++q)
        if (count[q] > 0) next[q] = sum[q] / count[q];
      std::sort(next.begin(), next.end());
      if (next == c) break;
      c = next;
    }
  }
  split.centres = c;
  for (std::size_t v = 0; v < brain_mask.size(); ++v) {
    if (!brain_mask[v]) continue;
    const double x = image[v];
    int best = 0;
    for (int q = 1; q < 3; ++q)
      if (std::abs(x - c[q]) < std::abs(x - c[best])) best = q;
    split.labels[v] = static_cast<std::uint8_t>(best + 1);
  }
  return split;
}

}  // namespace axon::quality
