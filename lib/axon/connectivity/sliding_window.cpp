#include "axon/connectivity/sliding_window.hpp"

#include <limits>

#include "axon/connectivity/measures.hpp"

namespace axon::connectivity {

std::vector<Window> sliding_windows(const std::vector<double>& times, double tr, double window_s, double step_s) {
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
      if (times[i] >= start - eps && times[i] < start + window_s - eps) w.rows.push_back(static_cast<Eigen::Index>(i));
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
    Eigen::MatrixXd x(static_cast<Eigen::Index>(rows.size()), p);
    for (std::size_t r = 0; r < rows.size(); ++r) x.row(r) = series.row(rows[r]);
    const Eigen::MatrixXd m = compute_measure(x, included, Measure::correlation).matrix;
    Eigen::Index e = 0;
    for (Eigen::Index i = 0; i < p; ++i)
      for (Eigen::Index j = i + 1; j < p; ++j) out(w, e++) = m(i, j);
  }
  return out;
}

}  // namespace axon::connectivity
