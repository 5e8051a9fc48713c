#pragma once
// Dynamic functional connectivity by sliding windows (Hutchison et al.
// 2013, NeuroImage 80:360): Pearson correlation within windows of fixed
// duration stepped along the cleaned series. Windows are defined in time,
// so censored volumes simply leave a window with fewer samples.
#include <Eigen/Core>
#include <vector>

namespace axon::connectivity {

struct Window {
  double start_s = 0, centre_s = 0;  // onset of the window; centre of its span
  std::vector<Eigen::Index> rows;    // rows of the cleaned series inside it
  std::vector<double> weights;       // one per row: 1, or the taper's value
};

// Rectangular windows, or a Hamming taper over the window's span (weights
// 0.54 - 0.46 cos(2 pi u), u the row's position from 0 at the window's first
// onset to 1 at its last), which softens the edges (Allen et al. 2014,
// Cereb Cortex 24:663 taper their windows for the same reason).
enum class Taper { none, hamming };

// `times`: acquisition onset (s) of each row of the cleaned series,
// ascending. Windows [start, start + window) start at times[0] and move by
// `step` while they fit before the last onset + tr.
std::vector<Window> sliding_windows(const std::vector<double>& times, double tr, double window_s, double step_s,
                                    Taper taper = Taper::none);

// Upper-triangle (i < j) weighted Pearson correlations of each window
// (numpy.cov's aweights): windows x edges; a
// window with fewer than 3 rows, or an excluded parcel, gives NaN.
Eigen::MatrixXd window_edge_series(const Eigen::MatrixXd& series, const std::vector<bool>& included,
                                   const std::vector<Window>& windows);

}  // namespace axon::connectivity
