#include "axon/denoise/mppca.hpp"

#include "axon/denoise/spectral_projection.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace axon::denoise {

int default_extent(int64_t volumes) {
  int n = 1;
  while (static_cast<int64_t>(n) * n * n < volumes) n += 2;
  return n;
}

int marchenko_pastur_cutoff(const std::vector<double>& eigenvalues, int64_t m, int64_t n, MpEstimator estimator,
                            double& sigma2) {
  const int64_t r = std::min(m, n), q = std::max(m, n);
  const double lam_r = std::max(eigenvalues[0], 0.0) / static_cast<double>(q);
  double cumulative = 0;
  int cutoff = 0;
  sigma2 = 0;
  for (int64_t p = 0; p < r; ++p) {
    const double lam = std::max(eigenvalues[static_cast<std::size_t>(p)], 0.0) / static_cast<double>(q);
    cumulative += lam;
    const double gamma = static_cast<double>(p + 1) /
                         static_cast<double>(estimator == MpEstimator::veraart ? q : q - (r - p - 1));
    const double sigsq1 = cumulative / static_cast<double>(p + 1);
    const double sigsq2 = (lam - lam_r) / (4.0 * std::sqrt(gamma));
    if (sigsq2 < sigsq1) {  // the first p + 1 eigenvalues still fit one MP bulk
      sigma2 = sigsq1;
      cutoff = static_cast<int>(p + 1);
    }
  }
  return cutoff;
}

namespace {

// The series voxel after voxel (volumes contiguous), so a patch's columns are
// contiguous runs: the per-volume layout would make each gather m strided
// loads per voxel.
std::vector<float> voxel_major(const float* series, int64_t nvox, int64_t m) {
  std::vector<float> out(static_cast<std::size_t>(nvox * m));
  constexpr int64_t kChunk = 256;  // voxels per tile of the transposition
#pragma omp parallel for schedule(static)
  for (int64_t v0 = 0; v0 < nvox; v0 += kChunk) {
    const int64_t v1 = std::min(v0 + kChunk, nvox);
    for (int64_t t = 0; t < m; ++t)
      for (int64_t v = v0; v < v1; ++v) out[static_cast<std::size_t>(v * m + t)] = series[t * nvox + v];
  }
  return out;
}

}  // namespace

MppcaResult mppca_denoise(const float* series, const Dims3& dims, int64_t volumes,
                          const std::vector<std::uint8_t>& mask, const MppcaOptions& options) {
  return mppca_denoise(std::vector<float>(series, series + dims[0] * dims[1] * dims[2] * volumes), dims, volumes, mask,
                       options);
}

MppcaResult mppca_denoise(std::vector<float> series, const Dims3& dims, int64_t volumes,
                          const std::vector<std::uint8_t>& mask, const MppcaOptions& options) {
  if (volumes < 3) throw std::invalid_argument("MP-PCA needs at least 3 volumes");
  const int64_t nx = dims[0], ny = dims[1], nz = dims[2], nvox = nx * ny * nz;
  Dims3 extent = options.extent;
  for (auto& e : extent)
    if (e == 0) e = default_extent(volumes);
  for (int a = 0; a < 3; ++a) {
    if (extent[a] % 2 == 0 || extent[a] < 1) throw std::invalid_argument("MP-PCA extent must be odd");
    extent[a] = std::min(extent[a], dims[a] % 2 ? dims[a] : dims[a] - 1);  // a patch never exceeds the image
  }
  const int64_t m = volumes, n = extent[0] * extent[1] * extent[2], r = std::min(m, n);
  // m <= n: the Gram matrix X X^T (m x m) is a sum over the patch's voxels,
  // so moving the patch one voxel along x only subtracts the plane it
  // leaves and adds the plane it enters (2 e_y e_z rank-1 terms instead of
  // e_x e_y e_z), in double so the running sum keeps full precision.
  // m > n: X^T X (n x n) is rebuilt for every voxel.
  const bool sliding = m <= n;
  const int64_t plane = extent[1] * extent[2];
  MppcaResult result;
  result.extent = extent;
  if (static_cast<int64_t>(series.size()) != nvox * volumes)
    throw std::invalid_argument("MP-PCA: the series does not hold dims x volumes values");
  // The patches are read from a voxel-major copy, so the input's buffer
  // becomes the output: two copies of the series in memory, not three.
  const std::vector<float> data = voxel_major(series.data(), nvox, m);
  result.series = std::move(series);
  result.sigma.assign(static_cast<std::size_t>(nvox), 0.f);
  result.rank.assign(static_cast<std::size_t>(nvox), 0);
  auto column = [&](int64_t w) {
    return Eigen::Map<const Eigen::VectorXf>(data.data() + w * m, m).cast<double>();
  };
  auto in_mask = [&](int64_t v) { return mask.empty() || mask[static_cast<std::size_t>(v)] != 0; };
  auto corner = [](int64_t i, int64_t e, int64_t size) { return std::clamp<int64_t>(i - e / 2, 0, size - e); };

#pragma omp parallel
  {
    Eigen::MatrixXd X(m, n), gram(r, r), entering(m, plane), leaving(m, plane);
    Eigen::VectorXd y;
    SymmetricSpectrum spectrum;
    std::vector<double> values;
    // The voxels of the x-plane `a` of the patch with corner (., b0, c0), as columns.
    auto gather_plane = [&](Eigen::MatrixXd& out, int64_t a, int64_t b0, int64_t c0) {
      int64_t col = 0;
      for (int64_t c = c0; c < c0 + extent[2]; ++c)
        for (int64_t b = b0; b < b0 + extent[1]; ++b, ++col) out.col(col) = column((c * ny + b) * nx + a);
    };
#pragma omp for schedule(dynamic, 1)
    for (int64_t row = 0; row < ny * nz; ++row) {
      const int64_t j = row % ny, k = row / ny;
      int64_t first = 0, last = nx - 1;
      while (first < nx && !in_mask(row * nx + first)) ++first;
      while (last >= first && !in_mask(row * nx + last)) --last;
      const int64_t b0 = corner(j, extent[1], ny), c0 = corner(k, extent[2], nz);
      int64_t a0 = -1;  // the x corner `gram` holds (sliding), -1 for none
      for (int64_t i = first; i <= last; ++i) {
        const int64_t v = row * nx + i;
        const int64_t a = corner(i, extent[0], nx);
        if (sliding) {
          if (a0 < 0) {
            gram.setZero();
            for (int64_t p = a; p < a + extent[0]; ++p) {
              gather_plane(entering, p, b0, c0);
              gram.selfadjointView<Eigen::Lower>().rankUpdate(entering);
            }
          } else if (a != a0) {  // a == a0 + 1
            gather_plane(leaving, a0, b0, c0);
            gather_plane(entering, a0 + extent[0], b0, c0);
            gram.selfadjointView<Eigen::Lower>().rankUpdate(entering);
            gram.selfadjointView<Eigen::Lower>().rankUpdate(leaving, -1.0);
          }
          a0 = a;
        }
        if (!in_mask(v)) continue;
        if (!sliding) {
          int64_t col = 0;
          for (int64_t c = c0; c < c0 + extent[2]; ++c)
            for (int64_t b = b0; b < b0 + extent[1]; ++b)
              for (int64_t p = a; p < a + extent[0]; ++p, ++col) X.col(col) = column((c * ny + b) * nx + p);
          gram.setZero();
          gram.selfadjointView<Eigen::Lower>().rankUpdate(X.transpose());
        }
        spectrum.compute(gram);
        const Eigen::VectorXd& s = spectrum.eigenvalues();  // ascending
        values.assign(s.data(), s.data() + s.size());
        double sigma2 = 0;
        const int cutoff = marchenko_pastur_cutoff(values, m, n, options.estimator, sigma2);
        if (cutoff > 0) {
          // The centre voxel projected on the r - cutoff signal components:
          // directly for X X^T; through its indicator vector for X^T X.
          if (sliding) {
            y = column(v);
            spectrum.project_on_largest(y, static_cast<int>(r - cutoff));
          } else {
            const int64_t centre = ((k - c0) * extent[1] + (j - b0)) * extent[0] + (i - a);
            Eigen::VectorXd e = Eigen::VectorXd::Unit(n, centre);
            spectrum.project_on_largest(e, static_cast<int>(r - cutoff));
            y = X * e;
          }
          for (int64_t t = 0; t < m; ++t) result.series[static_cast<std::size_t>(t * nvox + v)] = static_cast<float>(y(t));
        }
        result.sigma[static_cast<std::size_t>(v)] = static_cast<float>(std::sqrt(sigma2));
        result.rank[static_cast<std::size_t>(v)] = static_cast<std::int32_t>(r - cutoff);
      }
    }
  }
  return result;
}

}  // namespace axon::denoise
