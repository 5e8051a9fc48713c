#pragma once
// Filling censored volumes before temporal filtering, as nilearn's
// signal._interpolate_volumes: a cubic spline through the kept volumes with
// scipy.interpolate.CubicSpline's default "not-a-knot" end conditions,
// evaluated at the censored times (those before the first or after the last
// kept volume are extrapolated with the end pieces, nilearn's
// extrapolate=True). The filter then sees no motion spikes, and the
// interpolated volumes are dropped again after filtering (Power et al. 2014,
// NeuroImage 84:320, on why censoring must precede filtering).
#include <Eigen/Core>
#include <vector>

namespace axon::signal {

// Rows of `x` where `keep` is false are replaced. Fewer than 4 kept rows
// fall back to linear interpolation (a spline needs 4 for not-a-knot).
// Throws std::invalid_argument when fewer than 2 rows are kept.
void interpolate_censored(Eigen::MatrixXd& x, const std::vector<bool>& keep);

}  // namespace axon::signal
