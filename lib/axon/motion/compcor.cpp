#include "axon/motion/compcor.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

#include "axon/core/error.hpp"

namespace axon::motion {

Eigen::MatrixXd cosine_basis(int64_t volumes, double tr_seconds, double period_cut_seconds) {
  const double n = static_cast<double>(volumes);
  const int64_t order = std::max<int64_t>(
      static_cast<int64_t>(std::floor(2.0 * n * (1.0 / period_cut_seconds) * tr_seconds)), 1);
  Eigen::MatrixXd basis = Eigen::MatrixXd::Zero(volumes, order);
  const double norm = std::sqrt(2.0 / n);
  for (int64_t k = 1; k < order; ++k)
    for (int64_t t = 0; t < volumes; ++t)
      basis(t, k - 1) = norm * std::cos(M_PI / n * (static_cast<double>(t) + 0.5) * static_cast<double>(k));
  basis.col(order - 1).setOnes();
  return basis;
}

CompCorResult acompcor(const Eigen::MatrixXf& series, const CompCorOptions& options) {
  const int64_t voxels = series.rows(), volumes = series.cols();
  if (voxels == 0) throw InputError("", "aCompCor: the eroded WM+CSF mask is empty");
  if (volumes < 3) throw InputError("", "aCompCor needs at least 3 volumes");
  // M: time x voxels, in double.
  Eigen::MatrixXd m = series.cast<double>().transpose();
  for (int64_t v = 0; v < voxels; ++v)
    if (!m.col(v).allFinite()) m.col(v).setZero();
  // High-pass: residuals of the least-squares fit of the cosine basis.
  const Eigen::MatrixXd basis = cosine_basis(volumes, options.tr_seconds, options.period_cut_seconds);
  const Eigen::MatrixXd betas = basis.colPivHouseholderQr().solve(m);
  m -= basis * betas;
  // Variance normalisation (population sd, 0 -> 1 as nipype's _compute_tSTD).
  for (int64_t v = 0; v < voxels; ++v) {
    const double mean = m.col(v).mean();
    const double sd = std::sqrt((m.col(v).array() - mean).square().mean());
    if (sd > 0 && std::isfinite(sd)) m.col(v) /= sd;
  }
  Eigen::BDCSVD<Eigen::MatrixXd> svd(m, Eigen::ComputeThinU);
  CompCorResult result;
  result.voxels = voxels;
  result.singular_values = svd.singularValues();
  const double total = result.singular_values.squaredNorm();
  result.variance_explained = result.singular_values.array().square() / total;
  result.cumulative_variance.resize(result.variance_explained.size());
  double cumulative = 0;
  for (int64_t i = 0; i < result.variance_explained.size(); ++i)
    result.cumulative_variance[i] = cumulative += result.variance_explained[i];
  // numpy.searchsorted(cumvar, threshold) + 1: the first index whose
  // cumulative variance is >= the threshold, plus one.
  int64_t kept = 0;
  while (kept < result.cumulative_variance.size() && result.cumulative_variance[kept] < options.variance_threshold)
    ++kept;
  result.kept = std::min<int64_t>(kept + 1, result.singular_values.size());
  result.components = svd.matrixU().leftCols(result.kept);
  for (int64_t c = 0; c < result.kept; ++c) {
    Eigen::Index at = 0;
    result.components.col(c).cwiseAbs().maxCoeff(&at);
    if (result.components(at, c) < 0) result.components.col(c) *= -1.0;
  }
  return result;
}

Mask erode_mask(const Mask& mask, int iterations) {
  const auto& d = mask.grid.dims;
  std::vector<std::uint8_t> in(static_cast<std::size_t>(mask.grid.voxels()), 0);
  for (int64_t i : mask.indices) in[i] = 1;
  for (int it = 0; it < iterations; ++it) {
    std::vector<std::uint8_t> out(in.size(), 0);
    for (int64_t k = 0; k < d[2]; ++k)
      for (int64_t j = 0; j < d[1]; ++j)
        for (int64_t i = 0; i < d[0]; ++i) {
          const int64_t v = (k * d[1] + j) * d[0] + i;
          if (!in[v]) continue;
          // A voxel on the grid's border has a neighbour outside: it goes.
          if (i == 0 || j == 0 || k == 0 || i == d[0] - 1 || j == d[1] - 1 || k == d[2] - 1) continue;
          const int64_t sy = d[0], sz = d[0] * d[1];
          out[v] = in[v - 1] && in[v + 1] && in[v - sy] && in[v + sy] && in[v - sz] && in[v + sz];
        }
    in.swap(out);
  }
  Mask eroded{mask.grid, {}};
  for (std::size_t v = 0; v < in.size(); ++v)
    if (in[v]) eroded.indices.push_back(static_cast<int64_t>(v));
  return eroded;
}

Mask union_mask(const Mask& a, const Mask& b) {
  Mask u{a.grid, {}};
  std::set_union(a.indices.begin(), a.indices.end(), b.indices.begin(), b.indices.end(),
                 std::back_inserter(u.indices));
  return u;
}

}  // namespace axon::motion
