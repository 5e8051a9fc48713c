#pragma once
// Regional homogeneity (ReHo; Zang et al. 2004, NeuroImage 22:394): Kendall's
// coefficient of concordance W of a voxel's series with those of its
// neighbours inside the mask (faces: 7 voxels, faces and edges: 19, the
// whole 3x3x3 cube: 27), as XCP-D's compute_2d_reho and AFNI 3dReHo:
// each series is ranked over time (ties share their mean rank, scipy's
// rankdata), R_t is the sum of the K ranks at time t, and
// W = 12 (sum_t R_t^2 - n mean(R)^2) / (K^2 (n^3 - n)), without a tie
// correction. K counts the neighbours present in the mask.
#include <Eigen/Core>
#include <vector>

#include "axon/image/mask.hpp"

namespace axon::network {

// `series`: volumes x mask voxels (in mask.indices order). `neighbourhood`:
// 7, 19 or 27 (std::invalid_argument otherwise). Returns one W per voxel.
std::vector<double> regional_homogeneity(const Eigen::MatrixXd& series, const Mask& mask, int neighbourhood);

// Ranks of x (1..n), ties given their average rank.
Eigen::VectorXd average_ranks(const Eigen::VectorXd& x);

}  // namespace axon::network
