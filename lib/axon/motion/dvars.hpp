#pragma once
// DVARS, standardised DVARS and the global signal of a BOLD series in a
// brain mask, computed exactly as nipype's ComputeDVARS (compute_dvars in
// nipype/algorithms/confounds.py, with its defaults) so that the columns can
// stand in for fMRIPrep's "dvars", "std_dvars" and "global_signal".
//
// DVARS: Power et al. 2012, NeuroImage 59:2142 (the RMS over voxels of the
// backward difference). Standardisation: T. Nichols, "Notes on creating a
// standardized version of DVARS", 2013 (arXiv:1704.01469, Afyouni & Nichols
// 2018): DVARS divided by its expected value under stationarity,
// mean_v sqrt(2 (1 - ar1_v)) sd_v, with the robust sd_v = IQR_v / 1.349 and
// ar1_v the lag-1 Yule-Walker autocorrelation of the demeaned voxel series.
#include <Eigen/Core>
#include <cstdint>
#include <string>

#include "axon/image/mask.hpp"

namespace axon::motion {

struct DvarsOptions {
  // Every value is scaled by intensity_normalization / (median of all
  // masked values over all volumes) first; 0 switches the scaling off.
  double intensity_normalization = 1000.0;
  // Voxels whose robust sd (after the scaling) is <= variance_tol are left
  // out of DVARS, as nipype's remove_zerovariance (on by default) does.
  bool remove_zero_variance = true;
  double variance_tol = 1e-7;
};

struct DvarsResult {
  Eigen::VectorXd dvars;          // per volume; volume 0 is NaN (no difference)
  Eigen::VectorXd std_dvars;      // dvars / mean predicted sd of the difference
  Eigen::VectorXd voxel_std_dvars;  // RMS of the voxel-wise standardised differences
  Eigen::VectorXd global_signal;  // mean of the unscaled values in the mask, every voxel
  double median = 0;              // the median the scaling divided by
  int64_t voxels = 0;             // mask voxels
  int64_t voxels_used = 0;        // after removing zero-variance voxels
};

// `series` is mask voxels x volumes (read_masked_series's layout), at least
// 2 volumes. Deterministic for any thread count (per-voxel work in
// parallel, every sum over voxels in a fixed order). Throws InputError when
// no voxel varies or the median is not positive.
DvarsResult compute_dvars(const Eigen::MatrixXf& series, const DvarsOptions& options = {});

// Reads the series at `path` under `mask` (only the masked voxels are held,
// never the 4D image) and computes the above.
DvarsResult compute_dvars(const std::string& path, const Mask& mask, const DvarsOptions& options = {});

}  // namespace axon::motion
