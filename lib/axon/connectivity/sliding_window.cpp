#include "axon/connectivity/sliding_window.hpp"

#include <cmath>
#include <limits>


namespace axon::connectivity {

std::vector<Window> sliding_windows(const std::vector<double>& times, double tr, double window_s, double step_s,
                                    Taper taper) {
  std::vector<Window> out;
  if (times.empty() || !(window_s > 0) || !(step_s > 0)) return out;
  const double end = times.back() + tr;
  // A small tolerance keeps windows whose end falls on the series end
  // despite rounding of start + k * step.
  const double eps = 1e-9 * std::max(1.0, end);
  for (long k = 0;; ++k) {
    const double start = times.front() + static_cast<double>(k) * step_s;
    if (start + window_s > end + eps) break;
    Window w;
    w.start_s = start;
    w.centre_s = start + 0.5 * window_s;
    for (std::size_t i = 0; i < times.size(); ++i)
      if (times[i] >= start - eps && times[i] < start + window_s - eps) {
        w.rows.push_back(static_cast<Eigen::Index>(i));
        const double span = window_s - tr, u = span > 0 ? (times[i] - start) / span : 0.5;
        w.weights.push_back(taper == Taper::hamming ? 0.54 - 0.46 * std::cos(2 * M_PI * u) : 1.0);
      }
    out.push_back(std::move(w));
  }
  return out;
}

Eigen::MatrixXd window_edge_series(const Eigen::MatrixXd& series, const std::vector<bool>& included,
                                   const std::vector<Window>& windows) {
  const Eigen::Index p = series.cols();
  const Eigen::Index edges = p * (p - 1) / 2;
  Eigen::MatrixXd out =
      Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(windows.size()), edges, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t w = 0; w < windows.size(); ++w) {
    const auto& rows = windows[w].rows;
    if (rows.size() < 3) continue;
    // Weighted correlation: scaling the centred rows by sqrt(weight) makes
    // the plain correlation of the scaled rows the weighted one.
    Eigen::MatrixXd x(static_cast<Eigen::Index>(rows.size()), p);
    double total = 0;
    Eigen::RowVectorXd mean = Eigen::RowVectorXd::Zero(p);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      x.row(r) = series.row(rows[r]);
      mean += windows[w].weights[r] * x.row(r);
      total += windows[w].weights[r];
    }
    mean /= total;
    for (std::size_t r = 0; r < rows.size(); ++r) x.row(r) = (x.row(r) - mean) * std::sqrt(windows[w].weights[r]);
    for (Eigen::Index c = 0; c < p; ++c)
      if (!included[c]) x.col(c).setZero();  // excluded parcels hold NaN
    const Eigen::MatrixXd cross = x.transpose() * x;
    Eigen::Index e = 0;
    for (Eigen::Index i = 0; i < p; ++i)
      for (Eigen::Index j = i + 1; j < p; ++j, ++e) {
        const double d = std::sqrt(cross(i, i) * cross(j, j));
        if (included[i] && included[j] && d > 0) out(w, e) = cross(i, j) / d;
      }
  }
  return out;
}

}  // namespace axon::connectivity
