#include "axon/network/reho.hpp"

#include <algorithm>
#include <array>
#include <numeric>
#include <stdexcept>

namespace axon::network {

Eigen::VectorXd average_ranks(const Eigen::VectorXd& x) {
  const Eigen::Index n = x.size();
  std::vector<Eigen::Index> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return x[a] < x[b]; });
  Eigen::VectorXd r(n);
  for (Eigen::Index i = 0; i < n;) {
    Eigen::Index j = i;
    while (j + 1 < n && x[order[j + 1]] == x[order[i]]) ++j;
    const double rank = 0.5 * static_cast<double>(i + j) + 1.0;
    for (Eigen::Index k = i; k <= j; ++k) r[order[k]] = rank;
    i = j + 1;
  }
  return r;
}

std::vector<double> regional_homogeneity(const Eigen::MatrixXd& series, const Mask& mask, int neighbourhood) {
  if (neighbourhood != 7 && neighbourhood != 19 && neighbourhood != 27)
    throw std::invalid_argument("the ReHo neighbourhood must be 7, 19 or 27 voxels");
  const Eigen::Index n = series.rows(), voxels = series.cols();
  if (voxels != static_cast<Eigen::Index>(mask.count())) throw std::invalid_argument("series and mask differ in voxels");
  if (n < 2) throw std::invalid_argument("fewer than 2 volumes");
  Eigen::MatrixXd ranks(n, voxels);
#pragma omp parallel for schedule(static)
  for (Eigen::Index v = 0; v < voxels; ++v) ranks.col(v) = average_ranks(series.col(v));

  // Linear index -> mask voxel, -1 outside.
  const auto& d = mask.grid.dims;
  std::vector<int64_t> node(static_cast<std::size_t>(mask.grid.voxels()), -1);
  for (std::size_t i = 0; i < mask.indices.size(); ++i) node[mask.indices[i]] = static_cast<int64_t>(i);
  // Offsets by how many coordinates differ: 1 (faces), 2 (edges), 3 (corners).
  std::vector<std::array<int, 3>> offsets;
  for (int dz = -1; dz <= 1; ++dz)
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        const int moved = (dx != 0) + (dy != 0) + (dz != 0);
        if (moved <= (neighbourhood == 7 ? 1 : neighbourhood == 19 ? 2 : 3)) offsets.push_back({dx, dy, dz});
      }
  const double nn = static_cast<double>(n);
  std::vector<double> w(voxels, 0.0);
#pragma omp parallel for schedule(static)
  for (Eigen::Index v = 0; v < voxels; ++v) {
    const int64_t lin = mask.indices[v];
    const int64_t x = lin % d[0], y = (lin / d[0]) % d[1], z = lin / (d[0] * d[1]);
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(n);
    int k = 0;
    for (const auto& o : offsets) {
      const int64_t xi = x + o[0], yi = y + o[1], zi = z + o[2];
      if (xi < 0 || yi < 0 || zi < 0 || xi >= d[0] || yi >= d[1] || zi >= d[2]) continue;
      const int64_t m = node[(zi * d[1] + yi) * d[0] + xi];
      if (m < 0) continue;
      sum += ranks.col(m);
      ++k;
    }
    const double kk = static_cast<double>(k);
    const double mean = sum.mean();
    w[v] = 12.0 * (sum.squaredNorm() - nn * mean * mean) / (kk * kk * (nn * nn * nn - nn));
  }
  return w;
}

}  // namespace axon::network
