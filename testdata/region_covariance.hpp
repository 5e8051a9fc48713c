#pragma once
// A known covariance between atlas regions, and region time series drawn
// from it: the ground truth of functional connectivity.
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "axon/core/random.hpp"

namespace axon::testdata {

struct RegionCovariance {
  // Networks of correlated regions plus independent regions. Region r of
  // network k has the signal
  //     s_r = sd_r * (a_r f_k + sqrt(1 - a_r^2) e_r),
  // with f_k the network's factor and e_r private noise, all N(0, 1). The
  // factors are independent except networks 0 and 1, which are
  // anticorrelated (a task-positive / default-mode pair). So
  //     cov = diag(sd) (A Phi A' + diag(1 - a^2)) diag(sd),
  // positive definite because every a_r < 1 and Phi (the factors'
  // correlation) is.
  Eigen::MatrixXd covariance;  // regions x regions
  std::vector<int> network;    // per region: 0..networks-1, or -1 (independent)
  std::vector<double> loading; // a_r (0 for independent regions)
  std::vector<double> sd;      // sd_r
  int networks = 0;
  double factor_correlation_01 = 0;  // correlation of the factors of networks 0 and 1
};

// Assigns `regions` regions at random (from `rng`) to `networks` networks of
// about equal size, leaving `independent_fraction` of them independent;
// loadings a_r ~ U[0.5, 0.85], sd_r ~ U[0.6, 1.4].
RegionCovariance make_region_covariance(int regions, int networks, double independent_fraction, Rng& rng);

// cov_ij / sqrt(cov_ii cov_jj).
Eigen::MatrixXd correlation_from_covariance(const Eigen::MatrixXd& covariance);

// `samples` independent draws of N(0, covariance), one per row: Z L' with L
// the Cholesky factor (covariance = L L') and Z iid N(0, 1) drawn row by row.
// Throws if the covariance is not positive definite.
Eigen::MatrixXd draw_multivariate_normal(const Eigen::MatrixXd& covariance, int64_t samples, Rng& rng);

}  // namespace axon::testdata
