#pragma once
// MRIQC's structural image quality metrics (Esteban et al. 2017, PLoS ONE
// 12(9):e0184661; mriqc.qc.anatomical), with MRIQC's names and formulas,
// computed from an image and its masks. Definitions, and where axon's
// masks and bias field differ from MRIQC's pipeline (axon-segment's brain
// extraction and tissue classes instead of SynthStrip, N4 and FAST; no
// template "hat" mask): docs/axon-motion-quality.md.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "axon/image/image.hpp"
#include "axon/quality/head_masks.hpp"

namespace axon::quality {

// mean, stdv (population), median, mad (statsmodels' normalised MAD:
// median |x - median| / 0.6745), k (Fisher's excess kurtosis, biased, as
// scipy.stats.kurtosis), p05 and p95 (numpy's linear percentiles), n.
struct SummaryStats {
  double mean = 0, stdv = 0, median = 0, mad = 0, k = 0, p05 = 0, p95 = 0, n = 0;
};
SummaryStats summary_stats(std::vector<double> values);

struct IqmMasks {
  ByteMask head;    // everything that is not air
  ByteMask brain;   // for fwhm (and the stand-in inu)
  std::vector<std::uint8_t> tissue;  // 0 none, 1 CSF, 2 GM, 3 WM (FAST labels)
  // Optional, both from a tissue classification (segmented_iqm_masks):
  // partial-volume fractions, CSF, GM, WM volumes one after the other
  // (class c at c * voxels + v), as FAST's pve_0..2; and the multiplicative
  // intensity non-uniformity field (1 where not estimated).
  std::vector<float> pve;
  std::vector<float> bias;
};

// The air voxels at least `distance_mm` from the head (a cube) and their
// artefact voxels (MRIQC's artifact_mask: above median + 10 MAD of those
// air voxels, then a binary opening with the 6-neighbour cross).
struct ArtefactMasks {
  ByteMask air;       // far air, artefacts included
  ByteMask artefact;
};
ArtefactMasks artefact_masks(const Image<float>& image, const ByteMask& head, double distance_mm = 10.0);

// AFNI 3dFWHMx's classic estimate along each axis inside `mask`, in voxels:
// rho = 1 - var(first differences) / (2 var(x)), fwhm = sqrt(-2 ln 2 / ln rho)
// (differences over neighbour pairs both in the mask). NaN when rho is not
// in (0, 1).
std::array<double, 3> fwhm_voxels(const Image<float>& image, const ByteMask& mask);

// A smooth intensity non-uniformity estimate standing in for N4's field
// (MRIQC's inu_*): exp of the second-order polynomial in the voxel
// coordinates (scaled to [-1, 1]) fitted by least squares to log intensity
// in the WM class, divided by its median over the brain mask. Values over
// the brain mask are returned.
std::vector<double> inu_field(const Image<float>& image, const IqmMasks& masks);

// Every metric, keyed by MRIQC's name (alphabetical, as MRIQC's tables).
// With masks.bias, as MRIQC: the summary statistics, snr*, cnr, cjv, efc,
// fber and wm2max are computed on the corrected image (image / bias,
// negatives set to 0), qi_1 and fwhm on the image as given, and inu_* are
// the field's median and |p95 - p5| over the tissue voxels; without it,
// everything on the image as given and inu_* from inu_field. With
// masks.pve, as MRIQC's summary_stats: each tissue's statistics are over
// its fraction > 0.85 and the background's over the air, each eroded by
// the 18-neighbour structure when every voxel size is under 1.9 mm; and
// icvs_* and rpve_* are added. Without it, the hard labels as they are.
// `artefacts`: artefact_masks(image, masks.head) when the caller already has
// them (score computes them while the other masks are being made).
std::map<std::string, double> compute_iqms(const Image<float>& image, const IqmMasks& masks,
                                           const ArtefactMasks* artefacts = nullptr);

// AFNI/MRIQC's entropy focus criterion of every voxel (negatives taken as 0).
double entropy_focus_criterion(const Image<float>& image);

// The IQMs the SSIM regressor reads (efc, fwhm_{x,y,z,avg}) exactly as the
// model was trained on them: on the stand-in masks (default_iqm_masks, with
// `brain` replacing its brain mask when given), whatever masks the reported
// IQMs use.
std::map<std::string, double> model_input_iqms(const Image<float>& image, const ByteMask& head,
                                               const ByteMask* brain = nullptr);

// The default masks: head_mask, default_brain_mask, kmeans_tissue_split.
// A given brain mask replaces the default one.
IqmMasks default_iqm_masks(const Image<float>& image, const ByteMask* brain = nullptr);

}  // namespace axon::quality
