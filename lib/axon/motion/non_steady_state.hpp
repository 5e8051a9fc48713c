#pragma once
// Non-steady-state ("dummy") volumes at the start of a BOLD run, detected
// as nipype's NonSteadyStateDetector does (the detector fMRIPrep uses): the
// global signal (mean of every voxel of the field of view, no mask) of the
// first 50 volumes is scored with the modified z-score of Iglewicz &
// Hoaglin 1993, 0.6745 |x - median| / MAD, and the leading volumes scoring
// above 3.5 are counted; the first volume at or below it ends the count.
#include <Eigen/Core>
#include <cstdint>

#include "axon/image/image.hpp"

namespace axon::motion {

// The mean over all voxels of each of the first min(50, T) volumes.
Eigen::VectorXd field_of_view_mean(const Image<float>& bold, int64_t max_volumes = 50);

// nipype.algorithms.confounds.is_outlier(points, thresh): the number of
// leading points whose modified z-score exceeds `threshold`. A MAD of 0
// makes the scores inf (or NaN for points at the median) as in numpy:
// every leading point off the median counts.
int64_t leading_outliers(const Eigen::VectorXd& points, double threshold = 3.5);

// The two combined: the number of leading non-steady-state volumes.
int64_t detect_non_steady_state(const Image<float>& bold);

}  // namespace axon::motion
