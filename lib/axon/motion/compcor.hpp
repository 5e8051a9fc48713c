#pragma once
// Anatomical CompCor (Behzadi et al. 2007, NeuroImage 37:90), as fMRIPrep
// runs it through nipype's ACompCor: the voxel time series of a noise mask
// (white matter + CSF, eroded so that grey matter does not leak in) are
// high-pass filtered with a discrete cosine basis (period cut 128 s, the
// constant included, so they are also demeaned), each voxel is divided by
// its temporal standard deviation, and the left singular vectors of the
// time x voxels matrix are the noise components.
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "axon/image/mask.hpp"

namespace axon::motion {

// nipype's _cosine_drift: T x order, order = max(floor(2 T tr / period), 1);
// columns 0..order-2 are sqrt(2/T) cos(pi/T (n + 1/2) k), k = 1..order-1,
// and the last column is the constant 1.
Eigen::MatrixXd cosine_basis(int64_t volumes, double tr_seconds, double period_cut_seconds = 128.0);

struct CompCorOptions {
  double tr_seconds = 2.0;
  double period_cut_seconds = 128.0;
  // Components kept: the fewest whose cumulative explained variance
  // reaches this fraction (fMRIPrep's 0.5), as numpy.searchsorted + 1.
  double variance_threshold = 0.5;
};

struct CompCorResult {
  Eigen::MatrixXd components;         // volumes x kept components (unit norm)
  Eigen::VectorXd singular_values;    // every component
  Eigen::VectorXd variance_explained;  // s^2 / sum s^2, every component
  Eigen::VectorXd cumulative_variance;
  int64_t kept = 0;
  int64_t voxels = 0;
};

// `series` is noise-mask voxels x volumes. Voxels with a NaN are zeroed and
// constant voxels keep a unit sd, as in nipype. The sign of each component
// is fixed so that its largest-magnitude entry is positive (SVD signs are
// arbitrary; this makes the output deterministic).
CompCorResult acompcor(const Eigen::MatrixXf& series, const CompCorOptions& options);

// The voxels of `mask` that stay inside after `iterations` erosions with
// the 6-neighbourhood (a voxel stays when its 6 face neighbours are in).
Mask erode_mask(const Mask& mask, int iterations);
// The union of two masks on the same grid.
Mask union_mask(const Mask& a, const Mask& b);

}  // namespace axon::motion
