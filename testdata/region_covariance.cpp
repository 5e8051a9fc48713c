#include "testdata/region_covariance.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "axon/core/error.hpp"

namespace axon::testdata {

RegionCovariance make_region_covariance(int regions, int networks, double independent_fraction, Rng& rng) {
  if (regions < 1) throw UsageError("a region covariance needs at least one region");
  if (networks < 0) throw UsageError("the number of networks must not be negative");
  RegionCovariance rc;
  rc.networks = networks;
  rc.network.assign(static_cast<size_t>(regions), -1);
  rc.loading.assign(static_cast<size_t>(regions), 0.0);
  rc.sd.resize(static_cast<size_t>(regions));

  // A random order (Fisher-Yates on our own RNG: std::shuffle's algorithm
  // is implementation-defined), then the first regions are independent and
  // the rest are dealt to the networks in turn.
  std::vector<int> order(static_cast<size_t>(regions));
  std::iota(order.begin(), order.end(), 0);
  for (int i = regions - 1; i > 0; --i)
    std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(rng.uniform_int(0, i))]);
  const int independent = networks == 0 ? regions : static_cast<int>(std::lround(independent_fraction * regions));
  for (int i = independent; i < regions; ++i) {
    const size_t r = static_cast<size_t>(order[static_cast<size_t>(i)]);
    rc.network[r] = (i - independent) % networks;
    rc.loading[r] = rng.uniform(0.5, 0.85);
  }
  for (auto& s : rc.sd) s = rng.uniform(0.6, 1.4);

  Eigen::MatrixXd phi = Eigen::MatrixXd::Identity(std::max(networks, 1), std::max(networks, 1));
  if (networks >= 2) {
    rc.factor_correlation_01 = -0.5;
    phi(0, 1) = phi(1, 0) = rc.factor_correlation_01;
  }
  rc.covariance.resize(regions, regions);
  for (int i = 0; i < regions; ++i) {
    for (int j = 0; j < regions; ++j) {
      const size_t a = static_cast<size_t>(i), b = static_cast<size_t>(j);
      double corr;
      if (i == j) corr = 1.0;
      else if (rc.network[a] < 0 || rc.network[b] < 0) corr = 0.0;
      else corr = rc.loading[a] * rc.loading[b] * phi(rc.network[a], rc.network[b]);
      rc.covariance(i, j) = rc.sd[a] * rc.sd[b] * corr;
    }
  }
  return rc;
}

Eigen::MatrixXd correlation_from_covariance(const Eigen::MatrixXd& covariance) {
  const Eigen::VectorXd inv_sd = covariance.diagonal().cwiseSqrt().cwiseInverse();
  return inv_sd.asDiagonal() * covariance * inv_sd.asDiagonal();
}

Eigen::MatrixXd draw_multivariate_normal(const Eigen::MatrixXd& covariance, int64_t samples, Rng& rng) {
  Eigen::LLT<Eigen::MatrixXd> llt(covariance);
  if (llt.info() != Eigen::Success) throw Error(ExitCode::other, "internal error: covariance is not positive definite");
  const Eigen::Index n = covariance.rows();
  Eigen::MatrixXd z(samples, n);
  for (Eigen::Index t = 0; t < samples; ++t)
    for (Eigen::Index r = 0; r < n; ++r) z(t, r) = rng.normal();
  return z * llt.matrixL().transpose();
}

}  // namespace axon::testdata
