#include "axon/motion/carpet.hpp"

#include <algorithm>
#include <cmath>

namespace axon::motion {
namespace {

const Color kTrace{31, 119, 180}, kThreshold{214, 39, 40}, kFrame{160, 160, 160};

// Column x of the figure shows this volume.
int64_t volume_at(int x, int width, int64_t volumes) {
  return std::min<int64_t>(volumes - 1, static_cast<int64_t>(x) * volumes / width);
}

// One trace panel: values scaled to [0, max(values, threshold) * 1.05],
// a red line at the threshold, NaN points skipped.
void draw_trace(Raster& r, int top, int height, const Eigen::VectorXd& values, double threshold) {
  double top_value = threshold;
  for (Eigen::Index t = 0; t < values.size(); ++t)
    if (std::isfinite(values[t])) top_value = std::max(top_value, values[t]);
  top_value *= 1.05;
  const int width = r.width();
  const auto y_of = [&](double v) {
    return top + height - 1 - static_cast<int>(std::lround(v / top_value * (height - 1)));
  };
  r.line(0, top + height - 1, width - 1, top + height - 1, kFrame);
  if (threshold > 0) r.line(0, y_of(threshold), width - 1, y_of(threshold), kThreshold);
  const int64_t nt = values.size();
  int px = -1, py = 0;
  for (int64_t t = 0; t < nt; ++t) {
    const int x = static_cast<int>((2 * t + 1) * width / (2 * nt));  // centre of the volume's columns
    if (!std::isfinite(values[t])) {
      px = -1;
      continue;
    }
    const int y = y_of(std::max(0.0, values[t]));
    if (px >= 0) r.line(px, py, x, y, kTrace);
    r.set(x, y, kTrace);
    px = x, py = y;
  }
}

}  // namespace

Raster carpet_plot(const Eigen::MatrixXf& series, const Eigen::VectorXd& fd, const Eigen::VectorXd& std_dvars,
                   const CarpetOptions& options) {
  const int64_t voxels = series.rows(), nt = series.cols();
  const int rows = static_cast<int>(std::min<int64_t>(voxels, options.max_rows));
  const int width = static_cast<int>(std::max<int64_t>(nt, options.min_width));
  const int gap = 4, carpet_top = 2 * (options.trace_height + gap);
  Raster r(width, carpet_top + std::max(rows, 1));
  draw_trace(r, 0, options.trace_height, fd, options.fd_threshold);
  draw_trace(r, options.trace_height + gap, options.trace_height, std_dvars, options.dvars_threshold);
  for (int row = 0; row < rows; ++row) {
    // Evenly spaced voxels when there are more than rows.
    const int64_t v = static_cast<int64_t>(row) * voxels / rows;
    const Eigen::VectorXd s = series.row(v).cast<double>().transpose();
    const double mean = s.mean();
    const double sd = std::sqrt((s.array() - mean).square().mean());
    for (int x = 0; x < width; ++x) {
      const double z = sd > 0 ? (s[volume_at(x, width, nt)] - mean) / sd : 0.0;
      r.set(x, carpet_top + row, gray_map((std::clamp(z, -2.0, 2.0) + 2.0) / 4.0));
    }
  }
  return r;
}

}  // namespace axon::motion
