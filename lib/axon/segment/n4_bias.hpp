#pragma once
// N4 bias-field correction (Tustison et al. 2010, IEEE TMI 29:1310) through
// ITK's N4BiasFieldCorrectionImageFilter, with the defaults of ANTs'
// N4BiasFieldCorrection: shrink 4, 50x50x50x50 iterations, convergence 0,
// B-spline distance 200 mm (order 3), histogram sharpening FWHM 0.15,
// Wiener noise 0.01, 200 bins. The field is fitted on the shrunken image and
// evaluated at full resolution from the B-spline lattice, as ANTs does.
//
// Intensities: N4 models log(intensity), so only voxels > 0 (inside the
// mask) take part in the fit; voxels <= 0 keep their value in the output.
// Negative voxels are refused by the caller (they mean the image is not a
// magnitude image, e.g. a difference or a z-scored map).
#include <cstdint>
#include <vector>

#include "axon/image/image.hpp"

namespace axon::segment {

struct N4Options {
  int shrink = 4;
  std::vector<unsigned> iterations{50, 50, 50, 50};  // one entry per fitting level
  double convergence = 0.0;
  double spline_distance_mm = 200.0;
  unsigned spline_order = 3;
  double bias_fwhm = 0.15;
  double wiener_noise = 0.01;
  unsigned histogram_bins = 200;
};

struct N4Result {
  Image<float> corrected;  // input / field (voxels <= 0 unchanged)
  Image<float> field;      // multiplicative bias field, float32
  unsigned control_points[3] = {0, 0, 0};
};

// `mask`: one byte per voxel (1 = fit here), or empty for every voxel > 0.
// Throws InputError when fewer than 100 voxels are usable.
N4Result n4_correct(const Image<float>& image, const std::vector<std::uint8_t>& mask, const N4Options& options,
                    const std::string& path);

// The number of B-spline control points along an axis of `voxels` voxels of
// `spacing_mm`: ceil(extent / distance) spans plus the spline order (ANTs).
unsigned n4_control_points(int64_t voxels, double spacing_mm, double distance_mm, unsigned order);

}  // namespace axon::segment
