#include "axon/motion/dvars.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "axon/core/error.hpp"
#include "axon/io/masked_series.hpp"

namespace axon::motion {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// np.median over every value: the middle one, or the mean of the two middle
// ones for an even count.
double median_of_all(const Eigen::MatrixXf& series) {
  std::vector<float> values(series.data(), series.data() + series.size());
  const std::size_t n = values.size(), mid = n / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const double upper = values[mid];
  if (n % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return 0.5 * (lower + upper);
}

// numpy's percentile(..., method="lower"): the sorted value at index
// floor(q (n - 1)), which nipype uses "because this is what FSL is doing".
double lower_percentile(std::vector<double>& sorted_scratch, double q) {
  const auto k = static_cast<std::size_t>(std::floor(q * static_cast<double>(sorted_scratch.size() - 1)));
  std::nth_element(sorted_scratch.begin(), sorted_scratch.begin() + static_cast<std::ptrdiff_t>(k),
                   sorted_scratch.end());
  return sorted_scratch[k];
}
}  // namespace

DvarsResult compute_dvars(const Eigen::MatrixXf& series, const DvarsOptions& options) {
  const Eigen::Index nv = series.rows(), nt = series.cols();
  if (nt < 2) throw InputError("", "DVARS needs at least 2 volumes");
  if (nv == 0) throw InputError("", "DVARS needs a non-empty mask");
  DvarsResult r;
  r.voxels = nv;

  r.global_signal.resize(nt);
  for (Eigen::Index t = 0; t < nt; ++t) r.global_signal(t) = series.col(t).cast<double>().mean();

  double scale = 1.0;
  if (options.intensity_normalization != 0) {
    r.median = median_of_all(series);
    if (!(r.median > 0)) throw InputError("", "the median intensity in the mask is not positive; cannot normalise");
    scale = options.intensity_normalization / r.median;
  }

  // Per voxel: robust sd, AR(1), and the predicted sd of the difference.
  std::vector<double> diff_sdhat(static_cast<std::size_t>(nv));
  std::vector<char> keep(static_cast<std::size_t>(nv));
#pragma omp parallel
  {
    std::vector<double> x(static_cast<std::size_t>(nt)), scratch;
#pragma omp for schedule(static)
    for (Eigen::Index v = 0; v < nv; ++v) {
      for (Eigen::Index t = 0; t < nt; ++t) x[t] = scale * static_cast<double>(series(v, t));
      scratch = x;
      const double q75 = lower_percentile(scratch, 0.75);
      const double q25 = lower_percentile(scratch, 0.25);
      const double sd = (q75 - q25) / 1.349;  // IQR of a normal = 1.349 sd
      const bool used = !options.remove_zero_variance || sd > options.variance_tol;
      keep[v] = used;
      if (!used) continue;
      // Yule-Walker AR(1) of the demeaned series, as nitime's AR_est_YW with
      // its autocorrelation (no 1/N, no second demeaning): r1 / r0.
      double mean = 0;
      for (double value : x) mean += value;
      mean /= static_cast<double>(nt);
      double r0 = 0, r1 = 0;
      for (Eigen::Index t = 0; t < nt; ++t) {
        const double d = x[t] - mean;
        r0 += d * d;
        if (t + 1 < nt) r1 += d * (x[t + 1] - mean);
      }
      const double ar1 = r0 > 0 ? r1 / r0 : 0.0;
      // Var(x_t - x_{t-1}) = 2 (1 - rho) Var(x) for a stationary series.
      diff_sdhat[v] = std::sqrt(2.0 * (1.0 - ar1)) * sd;
    }
  }

  double sdhat_sum = 0;
  for (Eigen::Index v = 0; v < nv; ++v)
    if (keep[v]) {
      sdhat_sum += diff_sdhat[v];
      ++r.voxels_used;
    }
  if (r.voxels_used == 0) throw InputError("", "no voxel in the mask varies over time; DVARS is undefined");
  const double diff_sd_mean = sdhat_sum / static_cast<double>(r.voxels_used);

  r.dvars.resize(nt);
  r.std_dvars.resize(nt);
  r.voxel_std_dvars.resize(nt);
  r.dvars(0) = r.std_dvars(0) = r.voxel_std_dvars(0) = kNaN;
#pragma omp parallel for schedule(static)
  for (Eigen::Index t = 1; t < nt; ++t) {
    double sum_sq = 0, sum_vx = 0;  // voxels in order: the same sums for any thread count
    for (Eigen::Index v = 0; v < nv; ++v) {
      if (!keep[v]) continue;
      const double d = scale * (static_cast<double>(series(v, t)) - static_cast<double>(series(v, t - 1)));
      sum_sq += d * d;
      const double z = d / diff_sdhat[v];
      sum_vx += z * z;
    }
    const double n = static_cast<double>(r.voxels_used);
    r.dvars(t) = std::sqrt(sum_sq / n);
    r.std_dvars(t) = r.dvars(t) / diff_sd_mean;
    r.voxel_std_dvars(t) = std::sqrt(sum_vx / n);
  }
  return r;
}

DvarsResult compute_dvars(const std::string& path, const Mask& mask, const DvarsOptions& options) {
  try {
    return compute_dvars(read_masked_series(path, mask), options);
  } catch (const InputError& e) {
    const std::string what = e.what();
    if (what.rfind(path, 0) == 0) throw;
    throw InputError(path, what);
  }
}

}  // namespace axon::motion
