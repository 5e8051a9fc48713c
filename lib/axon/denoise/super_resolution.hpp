#pragma once
// Super-resolution of a 3D volume by an integer factor per axis after
// Manjon et al. 2010, "Non-local MRI upsampling", Medical Image Analysis
// 14(6):784-792:
//  1. cubic B-spline interpolation of the low-resolution (LR) image onto
//     the high-resolution (HR) grid;
//  2. iterations of (a) non-local means reconstruction of the HR estimate
//     (self-similarity restores detail that interpolation blurs), with a
//     smoothing strength that decays geometrically (x0.7) every iteration, and (b) back-
//     projection of the residual: the mean of every factor^3 block of HR
//     voxels is made equal to its LR voxel (the paper's data-consistency
//     constraint, eq. 4: y_LR = D(y_HR), D = block averaging);
//  3. stop when the mean absolute change falls below a tolerance or after
//     a fixed number of iterations.
// The HR grid is exact: HR voxel i along an axis sits at LR coordinate
// (i + 0.5) / f - 0.5, so every block of f HR voxels is centred on its LR
// voxel and the grid covers the same field of view.
#include <array>
#include <cstdint>
#include <vector>

#include "axon/image/grid.hpp"
#include "axon/image/image.hpp"

namespace axon::denoise {

using Factors = std::array<int, 3>;

// The HR grid of `lr` for integer factors (see above).
Grid upsampled_grid(const Grid& lr, const Factors& factor);

// Block averaging (the degradation model D): every f^3 block of `hr` (dims
// a multiple of f) becomes one voxel.
std::vector<float> block_mean_downsample(const std::vector<float>& hr, const std::array<int64_t, 3>& hr_dims,
                                         const Factors& factor);

enum class SrMethod { nlm, bspline };

struct SrOptions {
  SrMethod method = SrMethod::nlm;
  int iterations = 10;        // at most
  double tolerance = 0.002;   // stop when mean |change| < tolerance x mean |HR|
  int search_radius = 3;
  double initial_h_fraction = 0.3;  // first NLM sigma as a fraction of the LR data range
  double h_decay = 0.7;             // the NLM sigma is multiplied by this every iteration
};

struct SrResult {
  Image<float> image;  // the HR volume, float32
  int iterations = 0;
};

// `lr` is a 3D volume. With SrMethod::bspline only step 1 is done.
SrResult super_resolve(const Image<float>& lr, const Factors& factor, const SrOptions& options);

}  // namespace axon::denoise
