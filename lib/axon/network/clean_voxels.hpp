#pragma once
// Confound cleaning of every voxel of a masked series with
// lib/axon/signal/clean.hpp (the roi command's cleaning, column by column),
// in parallel over fixed chunks of voxels: the chunking does not depend on
// the thread count, so neither do the results.
#include <Eigen/Core>

#include "axon/signal/clean.hpp"

namespace axon::network {

// `voxels`: voxels x volumes (read_masked_series). The first `first`
// volumes (dummy scans) are dropped; `confounds` has the remaining volumes
// as rows. Returns kept volumes x voxels. Throws std::invalid_argument as
// signal::clean does.
Eigen::MatrixXd clean_voxel_series(const Eigen::MatrixXf& voxels, long first, const Eigen::MatrixXd& confounds,
                                   const signal::CleanOptions& options);

}  // namespace axon::network
