#include "axon/denoise/mppca.hpp"

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

MppcaResult mppca_denoise(const float* series, const Dims3& dims, int64_t volumes,
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
  const int64_t m = volumes, n = extent[0] * extent[1] * extent[2];
  MppcaResult result;
  result.extent = extent;
  result.series.assign(series, series + nvox * volumes);
  result.sigma.assign(static_cast<std::size_t>(nvox), 0.f);
  result.rank.assign(static_cast<std::size_t>(nvox), 0);

#pragma omp parallel
  {
    Eigen::MatrixXd X(m, n), gram;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig;
    std::vector<double> values;
#pragma omp for schedule(dynamic, 1)
    for (int64_t k = 0; k < nz; ++k)
      for (int64_t j = 0; j < ny; ++j)
        for (int64_t i = 0; i < nx; ++i) {
          const int64_t v = (k * ny + j) * nx + i;
          if (!mask.empty() && !mask[static_cast<std::size_t>(v)]) continue;
          // The patch's corner, shifted inwards at the border (as dwidenoise).
          const int64_t c0[3] = {std::clamp<int64_t>(i - extent[0] / 2, 0, nx - extent[0]),
                                 std::clamp<int64_t>(j - extent[1] / 2, 0, ny - extent[1]),
                                 std::clamp<int64_t>(k - extent[2] / 2, 0, nz - extent[2])};
          int64_t col = 0, centre = 0;
          for (int64_t c = c0[2]; c < c0[2] + extent[2]; ++c)
            for (int64_t b = c0[1]; b < c0[1] + extent[1]; ++b)
              for (int64_t a = c0[0]; a < c0[0] + extent[0]; ++a, ++col) {
                const int64_t w = (c * ny + b) * nx + a;
                if (w == v) centre = col;
                for (int64_t t = 0; t < m; ++t) X(t, col) = series[t * nvox + w];
              }
          gram = m <= n ? Eigen::MatrixXd(X * X.transpose()) : Eigen::MatrixXd(X.transpose() * X);
          eig.compute(gram);
          const Eigen::VectorXd& s = eig.eigenvalues();  // ascending
          values.assign(s.data(), s.data() + s.size());
          double sigma2 = 0;
          const int cutoff = marchenko_pastur_cutoff(values, m, n, options.estimator, sigma2);
          const int64_t r = std::min(m, n);
          if (cutoff > 0) {
            const Eigen::MatrixXd U = eig.eigenvectors().rightCols(r - cutoff);  // signal components
            Eigen::VectorXd denoised;
            if (m <= n)
              denoised = U * (U.transpose() * X.col(centre));
            else
              denoised = X * (U * U.row(centre).transpose());
            for (int64_t t = 0; t < m; ++t) result.series[static_cast<std::size_t>(t * nvox + v)] = static_cast<float>(denoised(t));
          }
          result.sigma[static_cast<std::size_t>(v)] = static_cast<float>(std::sqrt(sigma2));
          result.rank[static_cast<std::size_t>(v)] = static_cast<std::int32_t>(r - cutoff);
        }
  }
  return result;
}

}  // namespace axon::denoise
