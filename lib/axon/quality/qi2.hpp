#pragma once
// MRIQC's qi_2 (mriqc.qc.anatomical.art_qi2; Mortamet et al. 2009, MRM
// 62(2):365-372): how far the intensity distribution of the artefact-free
// air departs from the chi-squared law that pure coil noise follows.
//   data   = the image's positive values in the air mask
//   (0 when fewer than 1000)
//   kde    = Gaussian kernel density of data (bandwidth 0.05 * P98(data)) on
//            1000 points evenly from 0 to P99(data)
//   cut    = the number of grid points, counted from the top, before the
//            density first exceeds half its maximum (0 means every point,
//            as numpy's kde[-0:] does)
//   fit    = chi2 (df, loc, scale) by maximum likelihood on the data below
//            P95(data), as scipy.stats.chi2.fit(x, 32) finds it
//   qi_2   = mean over the last `cut` grid points of |kde - chi2 pdf|.
// Where axon differs from MRIQC: the air is artefact_masks()'s far air
// without its artefact voxels (MRIQC: its "hat" mask); above 300,000 air
// voxels MRIQC fits a random subsample (numpy, seed 1191935), axon every
// k-th voxel in voxel order (deterministic); and the density is summed from
// a linear binning of the data at 1/64 of the bandwidth (an error of order
// (1/64)^2 / 24 relative, against summing every voxel for each grid point).
#include <vector>

#include "axon/image/image.hpp"
#include "axon/quality/head_masks.hpp"

namespace axon::quality {

struct Chi2Fit {
  double df = 0, loc = 0, scale = 1;
};

// scipy.stats.chi2.fit(x, df0) (scipy 1.10): start at df0 and the moment
// estimates of loc and scale for df = 1 (moved below the data when they do
// not cover it), then Nelder-Mead (scipy's fmin: xatol = fatol = 1e-4, at
// most 600 iterations and evaluations) on the negative log-likelihood with
// scipy's penalty for points outside the support.
Chi2Fit fit_chi2(const std::vector<double>& x, double df0);

// The chi2 density at x (0 outside the support).
double chi2_pdf(double x, const Chi2Fit& fit);

// qi_2 of `image` over `air` (see above).
double quality_index_2(const Image<float>& image, const ByteMask& air);

}  // namespace axon::quality
