#pragma once
// Marchenko-Pastur PCA denoising of a 4D series (Veraart et al. 2016,
// "Denoising of diffusion MRI using random matrix theory", NeuroImage 142;
// the noise estimator of Cordero-Grande et al. 2019, "Complex diffusion-
// weighted image estimation via matrix recovery under general noise
// models", NeuroImage 200, as default), following MRtrix3's dwidenoise:
//
//  - For every voxel, X is the m x n matrix of the m volumes of the n voxels
//    of a cube around it (shifted inwards at the image border). r = min(m, n),
//    q = max(m, n).
//  - The eigenvalues s_1 <= ... <= s_r of X X^T (or X^T X) scaled by 1/q
//    are tested from the smallest up: with the first p taken as noise,
//    sigma1^2 = mean(s_1..s_p) and sigma2^2 = (s_p - s_1) / (4 sqrt(gamma)),
//    gamma = p / q (Veraart 2016, exp1) or p / (q - (r - p)) (Cordero-Grande
//    2019, exp2). The noise part is the largest p with sigma2^2 < sigma1^2, and
//    sigma^2 = sigma1^2 there (the Marchenko-Pastur law: the noise
//    eigenvalues fill [lambda-, lambda+] with mean sigma^2 and width
//    4 sqrt(gamma) sigma^2).
//  - The voxel's series is projected on the r - p remaining components.
// Unlike dwidenoise, the eigenvectors are not all computed: only the
// projection (spectral_projection.hpp), and the Gram matrix slides along x
// (see mppca.cpp); the arithmetic is double throughout (dwidenoise: float).
#include <cstdint>
#include <vector>

#include "axon/denoise/image_quality.hpp"

namespace axon::denoise {

enum class MpEstimator { veraart, cordero_grande };

struct MppcaOptions {
  Dims3 extent{0, 0, 0};  // odd sizes; 0: the smallest odd cube with >= m voxels
  MpEstimator estimator = MpEstimator::cordero_grande;
};

struct MppcaResult {
  std::vector<float> series;     // volumes x voxels, as the input
  std::vector<float> sigma;      // noise sigma per voxel (0 outside the mask)
  std::vector<std::int32_t> rank;  // signal components kept per voxel
  Dims3 extent{0, 0, 0};
};

// The default extent: the smallest odd N with N^3 >= volumes (dwidenoise's rule).
int default_extent(int64_t volumes);

// One Marchenko-Pastur decision on eigenvalues sorted ascending (of X X^T,
// unscaled), for an m x n matrix: returns the number p of noise components
// and sets sigma2 (0 when p = 0).
int marchenko_pastur_cutoff(const std::vector<double>& eigenvalues, int64_t m, int64_t n, MpEstimator estimator,
                            double& sigma2);

// `series` holds `volumes` volumes of dims voxels each, volume after volume.
// Voxels outside a non-empty mask are copied unchanged. Throws
// std::invalid_argument for fewer than 3 volumes, an even or too large extent.
MppcaResult mppca_denoise(const float* series, const Dims3& dims, int64_t volumes,
                          const std::vector<std::uint8_t>& mask, const MppcaOptions& options);
// The same, taking over `series` (its buffer becomes result.series): for
// callers that no longer need the input, one copy of the series less.
MppcaResult mppca_denoise(std::vector<float> series, const Dims3& dims, int64_t volumes,
                          const std::vector<std::uint8_t>& mask, const MppcaOptions& options);

}  // namespace axon::denoise
