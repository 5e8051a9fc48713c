#pragma once
// Training-set augmentation (seed paper, section 2.2: contrast changes by
// gamma, log and sigmoid transforms; plus a smooth bias field, Rician noise,
// a change of resolution and of the intensity scale), so that the SSIM
// regressor sees more appearances than the few real volumes it is trained on.
#include <array>
#include <cstdint>
#include <string>

#include "axon/core/random.hpp"
#include "axon/image/image.hpp"

namespace axon::quality {

struct Augmentation {
  double voxel_mm = 0;       // isotropic voxel size to resample to; 0 keeps the grid
  std::string contrast = "none";  // none | gamma | log | sigmoid
  double contrast_a = 0, contrast_b = 0;  // gamma: a = exponent; log: a = gain; sigmoid: a = centre, b = width
  double bias_strength = 0;  // maximum log-amplitude of the smooth bias field
  double noise = 0;          // Rician sigma as a fraction of the 99th percentile
  double scale = 1;          // final intensity scale
};

// A random augmentation: voxel size uniform in [min_voxel_mm, max_voxel_mm]
// (never finer than the input), one of the four contrasts, bias up to 0.3,
// noise up to 3 %, scale 50..2000.
Augmentation draw_augmentation(Rng& rng, double min_voxel_mm, double max_voxel_mm);

// The same volume on an isotropic grid of `voxel_mm` covering the same
// field of view (same orientation; linear interpolation).
Image<float> resample_isotropic(const Image<float>& volume, double voxel_mm);

// The box of `size` voxels starting at voxel `lo` (inside the volume), with
// the header's affine moved so that world positions are unchanged: a
// smaller field of view, as a slab or a partial-brain acquisition.
Image<float> crop_field_of_view(const Image<float>& volume, const std::array<int64_t, 3>& lo,
                                const std::array<int64_t, 3>& size);

// Applies `a` (noise and bias draws from `rng`). Intensities are first
// normalised to [0, 1] by the 99.5th percentile.
Image<float> augment(const Image<float>& volume, const Augmentation& a, Rng& rng);

}  // namespace axon::quality
