#pragma once
// Full-reference image quality of a test volume against a reference: PSNR,
// SSIM and NRMSE, defined exactly as scikit-image defines them
// (skimage.metrics.peak_signal_noise_ratio, structural_similarity with
// gaussian_weights=True, sigma=1.5, use_sample_covariance=False, and
// normalized_root_mse with normalization='euclidean'), so that numbers
// reported by axon can be set beside numbers from the Python literature.
//
// Volumes are float32, x fastest (NIfTI order), computed in double.
// A mask, when given, is one byte per voxel (non-zero = inside).
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace axon::denoise {

using Dims3 = std::array<int64_t, 3>;  // nx, ny, nz

// Wang, Bovik, Sheikh & Simoncelli 2004, "Image quality assessment: from
// error visibility to structural similarity", IEEE TIP 13(4), eq. 13, with
// the Gaussian window of their section III-C (sigma 1.5).
struct SsimParameters {
  double sigma = 1.5;     // Gaussian window standard deviation (voxels)
  double truncate = 3.5;  // window radius = int(truncate * sigma + 0.5), as scipy.ndimage
  double k1 = 0.01;       // C1 = (k1 * data_range)^2
  double k2 = 0.03;       // C2 = (k2 * data_range)^2
  int radius() const { return static_cast<int>(truncate * sigma + 0.5); }
};

// Mean SSIM over the region skimage averages: the voxels at least `radius`
// voxels away from every border (crop(S, pad).mean()). Their Gaussian
// windows lie inside the volume, so no border rule enters the mean (within
// a slice, filters use scipy's 'reflect' border all the same). With a mask,
// the average is over the voxels that are both inside that region and
// inside the mask (the local statistics still use every voxel of the
// window, mask or not). Returns NaN when that set is empty.
// Throws std::invalid_argument when an axis is shorter than the window
// (2 * radius + 1), as skimage refuses it too. The result does not depend
// on the number of OpenMP threads.
double structural_similarity(const float* test, const float* ref, const Dims3& dims, double data_range,
                             const std::vector<std::uint8_t>& mask = {},
                             const SsimParameters& parameters = SsimParameters{});

// The 2D SSIM of every slice along the third axis (z), as
// structural_similarity computes it on that one slice (its window and
// cropped region in-plane, radius voxels from the x and y borders, within
// the mask): one value per slice, NaN where that region holds no mask voxel
// or a slice is narrower than the window. Any number of slices.
std::vector<double> slice_structural_similarity(const float* test, const float* ref, const Dims3& dims,
                                                double data_range, const std::vector<std::uint8_t>& mask = {},
                                                const SsimParameters& parameters = SsimParameters{});

// Both at once: the 3D SSIM and the per-slice SSIM, the latter from the 3D
// computation's own x-y filtered moments (bit-identical to the two calls
// above, for the cost of about one). The 3D's size limits apply.
struct SsimWithSlices {
  double volume = 0;
  std::vector<double> slices;
};
SsimWithSlices structural_similarity_with_slices(const float* test, const float* ref, const Dims3& dims,
                                                 double data_range, const std::vector<std::uint8_t>& mask = {},
                                                 const SsimParameters& parameters = SsimParameters{});

// 10 log10(data_range^2 / MSE): +inf when the images are identical.
double peak_signal_noise_ratio(const float* test, const float* ref, std::size_t n, double data_range,
                               const std::vector<std::uint8_t>& mask = {});

// sqrt(MSE) / sqrt(mean(ref^2)) (skimage's 'euclidean' normalisation):
// +inf when the reference is zero everywhere (in the mask).
double normalized_root_mse(const float* test, const float* ref, std::size_t n,
                           const std::vector<std::uint8_t>& mask = {});

// max(ref) - min(ref) over every voxel: axon's default data range (skimage's
// default for floating-point input is the dtype's nominal range, 1 or 2,
// which means nothing for MRI intensities).
double reference_data_range(const float* ref, std::size_t n);

struct ImageQuality {
  double psnr = 0, ssim = 0, nrmse = 0;
  double data_range = 0;
  std::size_t voxels = 0;  // voxels PSNR and NRMSE were computed on
};

ImageQuality compare_images(const float* test, const float* ref, const Dims3& dims, double data_range,
                            const std::vector<std::uint8_t>& mask = {});

}  // namespace axon::denoise
