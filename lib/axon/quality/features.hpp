#pragma once
// The image features the SSIM regressor reads: the MRIQC metrics that
// describe blur (efc, fwhm) and "artefact" features that compare the three
// axes (air shadows where ghosts land, gradient energy, high k-space bands),
// sorted over the axes so that they do not depend on which axis the phase
// encoding ran along: one model serves any orientation.
#include <string>
#include <vector>

#include "axon/image/image.hpp"
#include "axon/quality/iqm.hpp"

namespace axon::quality {

struct FeatureVector {
  std::vector<std::string> names;
  std::vector<double> values;
};

// The names, in order (what a model file must list to be compatible).
const std::vector<std::string>& feature_names();

// Features of `image` given its head mask and IQMs (compute_iqms) - both are
// passed in so that score computes them once. Artefact features (axis
// ratios of air "shadow" signal, gradient energy and high k-space bands)
// may be NaN (missing) where a region is too small.
FeatureVector image_features(const Image<float>& image, const ByteMask& head, const std::map<std::string, double>& iqms);

// Energy fractions of the 1D spectra along `axis` (mean power over all
// lines, DC excluded) in the bands |f| / (n / 2) in (0, .05], (.05, .15],
// (.15, .3], (.3, .5], (.5, 1].
std::vector<double> kspace_band_fractions(const Image<float>& image, int axis);
// The same bands of one summed power spectrum (DFT bin order, length n).
std::vector<double> band_fractions_of_power(const std::vector<double>& power);

}  // namespace axon::quality
