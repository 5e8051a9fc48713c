#include "axon/segment/morphology.hpp"

#include <algorithm>
#include <stdexcept>

namespace axon::segment {
namespace {

BinaryVolume complement(const BinaryVolume& set) {
  BinaryVolume out(set.size());
  for (std::size_t i = 0; i < set.size(); ++i) out[i] = !set[i];
  return out;
}

bool any(const BinaryVolume& set) { return std::find(set.begin(), set.end(), 1) != set.end(); }

// Breadth-first flood of the region of `set` containing the seeds
// (6- or 26-connected), writing `label` into `labels`; returns the voxels reached.
int64_t flood(const BinaryVolume& set, const std::array<int64_t, 3>& dims, std::vector<int64_t> seeds,
              std::vector<int32_t>& labels, int32_t label, int connectivity = 6) {
  const int64_t nx = dims[0], ny = dims[1], nz = dims[2];
  int64_t count = 0;
  for (int64_t s : seeds) labels[s] = label;
  const auto visit = [&](int64_t j) {
    if (set[j] && labels[j] == 0) {
      labels[j] = label;
      seeds.push_back(j);
    }
  };
  std::size_t head = 0;
  while (head < seeds.size()) {
    const int64_t i = seeds[head++];
    ++count;
    const int64_t x = i % nx, y = i / nx % ny, z = i / (nx * ny);
    if (connectivity == 26) {
      for (int64_t dz = -1; dz <= 1; ++dz)
        for (int64_t dy = -1; dy <= 1; ++dy)
          for (int64_t dx = -1; dx <= 1; ++dx) {
            const int64_t a = x + dx, b = y + dy, c = z + dz;
            if (a >= 0 && b >= 0 && c >= 0 && a < nx && b < ny && c < nz) visit((c * ny + b) * nx + a);
          }
      continue;
    }
    const int64_t next[6] = {x > 0 ? i - 1 : -1,           x < nx - 1 ? i + 1 : -1,
                             y > 0 ? i - nx : -1,          y < ny - 1 ? i + nx : -1,
                             z > 0 ? i - nx * ny : -1,     z < nz - 1 ? i + nx * ny : -1};
    for (int64_t j : next)
      if (j >= 0) visit(j);
  }
  return count;
}

}  // namespace

BinaryVolume erode_mm(const BinaryVolume& set, const Grid& grid, double r) {
  const BinaryVolume outside = complement(set);
  if (!any(outside)) return set;
  const auto d = distance_to_set(outside, grid);
  BinaryVolume out(set.size());
  for (std::size_t i = 0; i < set.size(); ++i) out[i] = d[i] > r;
  return out;
}

BinaryVolume dilate_mm(const BinaryVolume& set, const Grid& grid, double r) {
  if (!any(set)) return set;
  const auto d = distance_to_set(set, grid);
  BinaryVolume out(set.size());
  for (std::size_t i = 0; i < set.size(); ++i) out[i] = d[i] <= r;
  return out;
}

BinaryVolume close_mm(const BinaryVolume& set, const Grid& grid, double r) {
  return erode_mm(dilate_mm(set, grid, r), grid, r);
}

std::vector<int32_t> connected_components(const BinaryVolume& set, const std::array<int64_t, 3>& dims,
                                          std::vector<int64_t>& sizes, int connectivity) {
  if (connectivity != 6 && connectivity != 26) throw std::invalid_argument("connectivity must be 6 or 26");
  std::vector<int32_t> labels(set.size(), 0);
  sizes.assign(1, 0);
  for (std::size_t i = 0; i < set.size(); ++i)
    if (set[i] && labels[i] == 0) {
      const int32_t label = static_cast<int32_t>(sizes.size());
      sizes.push_back(flood(set, dims, {static_cast<int64_t>(i)}, labels, label, connectivity));
    }
  return labels;
}

BinaryVolume largest_component(const BinaryVolume& set, const std::array<int64_t, 3>& dims) {
  std::vector<int64_t> sizes;
  const auto labels = connected_components(set, dims, sizes);
  if (sizes.size() < 2) return set;
  const int32_t best = static_cast<int32_t>(std::max_element(sizes.begin() + 1, sizes.end()) - sizes.begin());
  BinaryVolume out(set.size());
  for (std::size_t i = 0; i < set.size(); ++i) out[i] = labels[i] == best;
  return out;
}

BinaryVolume fill_holes(const BinaryVolume& set, const std::array<int64_t, 3>& dims) {
  const BinaryVolume background = complement(set);
  const int64_t nx = dims[0], ny = dims[1], nz = dims[2];
  std::vector<int64_t> seeds;
  for (int64_t z = 0; z < nz; ++z)
    for (int64_t y = 0; y < ny; ++y)
      for (int64_t x = 0; x < nx; ++x) {
        const bool border = x == 0 || y == 0 || z == 0 || x == nx - 1 || y == ny - 1 || z == nz - 1;
        const int64_t i = (z * ny + y) * nx + x;
        if (border && background[i]) seeds.push_back(i);
      }
  std::vector<int32_t> reached(set.size(), 0);
  flood(background, dims, seeds, reached, 1);
  BinaryVolume out(set.size());
  for (std::size_t i = 0; i < set.size(); ++i) out[i] = set[i] || !reached[i];
  return out;
}

}  // namespace axon::segment
