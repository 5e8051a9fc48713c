#pragma once
// Non-local means for 3D MR volumes: the optimized blockwise NLM of Coupe et
// al. 2008 ("An optimized blockwise nonlocal means denoising filter for 3-D
// magnetic resonance images", IEEE TMI 27(4)) with a spatially varying noise
// sigma as in Manjon et al. 2010 (JMRI 31, "Adaptive non-local means
// denoising of MR images with spatially varying noise levels"), and the
// Rician bias correction of both papers.
//
//  - Blocks: a block B_i is the (2 P + 1)^3 patch around a centre x_i; the
//    centres lie on a grid of step 2 (Coupe 2008, sec. II-C, n = 2), so
//    blocks overlap and every voxel is covered.
//  - Each block is restored as a whole: A(B_i) = sum_j w_ij B_j / sum_j w_ij
//    over the centres x_j of the search cube of radius M around x_i (eq. 5),
//    w_ij = exp(-||B_i - B_j||^2 / h_i^2) with h_i^2 = 2 beta sigma_i^2 |B|
//    (eq. 6 and sec. II-D; sigma_i from the noise map at x_i, Manjon 2010).
//    The block itself gets the largest weight of the others (sec. II-B).
//  - Voxel pre-selection (sec. II-E, eq. 9): x_j takes part only when
//    mu1 < mean(B_i) / mean(B_j) < 1 / mu1 and s1 < var(B_i) / var(B_j) < 1 / s1
//    (mu1 = 0.95, s1 = 0.5), which skips most dissimilar blocks unseen.
//  - A voxel's value is the mean of the restorations of every block that
//    covers it (eq. 7).
//  - Rician data: the blocks of squared intensities are averaged instead,
//    and the voxel value is sqrt(max(mean - 2 sigma^2, 0)) (Coupe 2008,
//    eq. 10; Manjon 2010), which removes the bias of the magnitude.
// Blocks are processed in slabs of z-centres that cannot overlap, one slab
// per thread, so the sums at each voxel run in one fixed order and the
// output is identical for any number of threads.
#include <cstdint>
#include <vector>

#include "axon/denoise/image_quality.hpp"
#include "axon/denoise/noise_estimation.hpp"

namespace axon::denoise {

struct NlmOptions {
  int patch_radius = 1;   // P: blocks of (2 P + 1)^3 voxels, P = 1 to 3
  // M: candidates within the (2 M + 1)^3 cube. 2, as ANTs DenoiseImage: on
  // ch2bet with 3 % / 9 % Rician noise M = 2 gives 36.19 / 29.75 dB in 6 s,
  // M = 3 36.18 / 29.95 dB in 12 s, M = 5 36.05 / 29.89 dB in 34 s (2 threads,
  // bench/denoise_nlm.sh): the wider cube mostly adds dissimilar blocks.
  int search_radius = 2;
  NoiseModel model = NoiseModel::rician;
  double beta = 0.4;            // smoothing strength in h^2 = 2 beta sigma^2 |B| (see docs)
  double mean_ratio = 0.95;     // mu1 of the pre-selection
  double variance_ratio = 0.5;  // s1 of the pre-selection
};

// `sigma` holds one noise sigma per voxel (a constant map for a global
// value). `mask`, when not empty, restricts the work to blocks that touch a
// voxel > 0; voxels outside the mask are returned unchanged. Throws
// std::invalid_argument for radii < 1 or sizes that do not match.
std::vector<float> nlm_denoise(const float* volume, const Dims3& dims, const std::vector<float>& sigma,
                               const std::vector<std::uint8_t>& mask, const NlmOptions& options);

}  // namespace axon::denoise
