#include "axon/network/clean_voxels.hpp"

#include <stdexcept>
#include <string>

namespace axon::network {

Eigen::MatrixXd clean_voxel_series(const Eigen::MatrixXf& voxels, long first, const Eigen::MatrixXd& confounds,
                                   const signal::CleanOptions& options) {
  const Eigen::Index n = voxels.rows(), volumes = voxels.cols() - first;
  if (volumes < 3) throw std::invalid_argument("fewer than 3 volumes after the dummy scans");
  Eigen::Index kept = volumes;
  if (!options.keep.empty()) {
    kept = 0;
    for (bool k : options.keep) kept += k ? 1 : 0;
  }
  Eigen::MatrixXd out(kept, n);
  const Eigen::Index chunk = 1024;
  std::string problem;
#pragma omp parallel for schedule(dynamic, 1)
  for (Eigen::Index c0 = 0; c0 < n; c0 += chunk) {
    const Eigen::Index nc = std::min(chunk, n - c0);
    try {
      Eigen::MatrixXd raw = voxels.block(c0, first, nc, volumes).transpose().cast<double>();
      out.middleCols(c0, nc) = signal::clean(std::move(raw), confounds, options).signals;
    } catch (const std::exception& e) {
      // Exceptions may not leave an OpenMP region: keep the first message.
#pragma omp critical(axon_clean_voxels)
      if (problem.empty()) problem = e.what();
    }
  }
  if (!problem.empty()) throw std::invalid_argument(problem);
  return out;
}

}  // namespace axon::network
