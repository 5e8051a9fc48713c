#pragma once
// Noise estimation for MR magnitude images: a spatially varying map of the
// Gaussian noise sigma of the underlying complex signal, as the adaptive
// non-local means of Manjon et al. 2010 needs it ("Adaptive non-local means
// denoising of MR images with spatially varying noise levels", JMRI 31).
//
//  1. Pseudo-residuals (Gasser, Sroka & Jennen-Steinmetz 1986; used for the
//     same purpose by Coupe 2008 and Manjon 2010):
//     e_i = sqrt(6/7) (u_i - mean of the 6 face neighbours of i); for i.i.d.
//     noise of variance s^2 on a locally linear signal, var(e) = s^2.
//  2. A robust local spread of e: 1.4826 x the median absolute deviation
//     over a cube of (2 r + 1)^3 voxels, evaluated on a coarse grid (every
//     `stride` voxels) and interpolated trilinearly. The median ignores the
//     minority of voxels on edges, whose residuals hold structure.
//  3. For Rician data, the spread of the magnitude is smaller than the
//     Gaussian sigma at low SNR (0.655 sigma in a Rayleigh background); the
//     local mean / spread ratio gives the SNR through the fixed point of
//     Koay & Basser 2006 (JMR 179, eq. 11), and sigma = spread / sqrt(xi).
#include <cstdint>
#include <vector>

#include "axon/denoise/image_quality.hpp"

namespace axon::denoise {

enum class NoiseModel { rician, gaussian };

// Koay & Basser 2006, eq. 10: the ratio of the variance of a Rician variable
// to the Gaussian variance, xi(theta) for SNR theta = nu / sigma.
double rician_variance_factor(double theta);

// The Gaussian sigma behind a Rician sample of the given mean and standard
// deviation (Koay & Basser 2006, eq. 11 fixed point, from a lookup table).
// A mean/sd ratio below the Rayleigh value sqrt(pi / (4 - pi)) = 1.913 is
// taken as pure noise (SNR 0).
double rician_sigma_from_moments(double mean, double sd);

// sqrt(6/7) (u_i - 1/6 sum of the 6 face neighbours), mirrored borders.
std::vector<float> pseudo_residuals(const float* volume, const Dims3& dims);

struct NoiseMapOptions {
  NoiseModel model = NoiseModel::rician;
  int radius = 3;  // the local cube is (2 radius + 1)^3
  int stride = 4;  // coarse grid spacing, voxels
};

// The local noise sigma of every voxel (see above). Deterministic for any
// number of OpenMP threads.
std::vector<float> estimate_noise_map(const float* volume, const Dims3& dims, const NoiseMapOptions& options = {});

// One number for a whole image: the median of the map over the voxels whose
// sigma is non-zero (exactly constant regions, such as a zero-filled
// background, have no noise to measure); 0 when there are none.
double summarize_noise_map(const std::vector<float>& map);

}  // namespace axon::denoise
