#include "axon/denoise/image_quality.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace axon::denoise {
namespace {

// The five local statistics SSIM needs: means of x, y, x^2, y^2, xy.
constexpr int kMoments = 5;

// Sampled Gaussian normalised to sum 1, as scipy.ndimage.gaussian_filter1d
// builds it (exp(-x^2 / (2 sigma^2)) for x in [-radius, radius]).
std::vector<double> gaussian_kernel(double sigma, int radius) {
  std::vector<double> w(2 * radius + 1);
  double sum = 0;
  for (int t = -radius; t <= radius; ++t) sum += w[t + radius] = std::exp(-0.5 * t * t / (sigma * sigma));
  for (double& v : w) v /= sum;
  return w;
}

// scipy.ndimage mode 'reflect' (d c b a | a b c d | d c b a), valid for any
// offset, also when the window is wider than the axis.
inline int64_t reflect(int64_t i, int64_t n) {
  const int64_t period = 2 * n;
  int64_t m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}

// out = w (*) in along one contiguous line, reflect borders. The line is
// first copied with its reflected borders into `padded` (n + 2 radius), so
// the filter loop runs over i innermost and vectorises.
void filter_line(const double* in, int64_t n, const std::vector<double>& w, int radius, double* padded, double* out) {
  for (int64_t i = -radius; i < n + radius; ++i) padded[i + radius] = in[reflect(i, n)];
  std::fill(out, out + n, 0.0);
  for (int t = 0; t < static_cast<int>(w.size()); ++t) {
    const double wt = w[t];
    const double* p = padded + t;
    for (int64_t i = 0; i < n; ++i) out[i] += wt * p[i];
  }
}

// out = sum_t w[t] * rows[reflect(row - radius + t)]: filtering across rows
// (y within a slice, or z across slices), vectorised along x.
void filter_across(const double* base, int64_t row, int64_t nrows, std::size_t row_stride, int64_t nx,
                   const std::vector<double>& w, int radius, double* out) {
  std::fill(out, out + nx, 0.0);
  for (int t = 0; t < static_cast<int>(w.size()); ++t) {
    const double* in = base + reflect(row - radius + t, nrows) * row_stride;
    const double wt = w[t];
    for (int64_t i = 0; i < nx; ++i) out[i] += wt * in[i];
  }
}

std::size_t check_mask(const std::vector<std::uint8_t>& mask, std::size_t n) {
  if (!mask.empty() && mask.size() != n)
    throw std::invalid_argument("mask has " + std::to_string(mask.size()) + " voxels, image " + std::to_string(n));
  return n;
}

// Sum of squared differences and of squared reference values over the
// mask, in voxel order (deterministic).
struct SquaredSums {
  double error = 0, reference = 0;
  std::size_t count = 0;
};

SquaredSums squared_sums(const float* test, const float* ref, std::size_t n, const std::vector<std::uint8_t>& mask) {
  check_mask(mask, n);
  SquaredSums s;
  for (std::size_t i = 0; i < n; ++i) {
    if (!mask.empty() && !mask[i]) continue;
    const double d = static_cast<double>(test[i]) - ref[i];
    s.error += d * d;
    s.reference += static_cast<double>(ref[i]) * ref[i];
    ++s.count;
  }
  return s;
}

// One slice's five moments filtered along x, then y (scipy's order and
// 'reflect' border): the 2D local statistics of that slice, and the input
// of the 3D filter along z. Per-thread scratch.
class SliceMoments {
 public:
  SliceMoments(int64_t nx, int64_t ny, const std::vector<double>& w, int radius)
      : nx_(nx),
        ny_(ny),
        w_(w),
        radius_(radius),
        line_(kMoments * nx),
        padded_(nx + 2 * radius),
        along_x_(static_cast<std::size_t>(kMoments * nx * ny)) {}

  // out[q * nx * ny + j * nx + i]: moment q of slice k.
  void compute(const float* test, const float* ref, int64_t k, double* out) {
    const int64_t nx = nx_, ny = ny_;
    const std::size_t slice = static_cast<std::size_t>(nx * ny);
    for (int64_t j = 0; j < ny; ++j) {
      const std::size_t row = k * slice + j * nx;
      for (int64_t i = 0; i < nx; ++i) {
        const double x = test[row + i], y = ref[row + i];
        line_[0 * nx + i] = x;
        line_[1 * nx + i] = y;
        line_[2 * nx + i] = x * x;
        line_[3 * nx + i] = y * y;
        line_[4 * nx + i] = x * y;
      }
      for (int q = 0; q < kMoments; ++q)
        filter_line(&line_[q * nx], nx, w_, radius_, padded_.data(), &along_x_[q * slice + j * nx]);
    }
    for (int q = 0; q < kMoments; ++q)
      for (int64_t j = 0; j < ny; ++j)
        filter_across(&along_x_[q * slice], j, ny, nx, nx, w_, radius_, &out[q * slice + j * nx]);
  }

 private:
  int64_t nx_, ny_;
  const std::vector<double>& w_;
  int radius_;
  std::vector<double> line_, padded_, along_x_;
};

// SSIM of one window from its local means, mean squares and mean product
// (Wang et al. eq. 13) with population (not sample) covariances:
// use_sample_covariance=False.
inline double ssim_of_moments(double ux, double uy, double xx, double yy, double xy, double c1, double c2) {
  const double vx = xx - ux * ux, vy = yy - uy * uy, vxy = xy - ux * uy;
  return ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
}

// The 2D SSIM of slice k from its filtered moments: the mean over the
// slice's voxels at least `pad` from the in-plane border that are in the
// mask; NaN when there is none.
double slice_mean(const double* moments, int64_t k, int64_t nx, int64_t ny, int64_t pad, double c1, double c2,
                  const std::vector<std::uint8_t>& mask) {
  const std::size_t slice = static_cast<std::size_t>(nx * ny);
  double total = 0;
  std::size_t count = 0;
  for (int64_t j = pad; j < ny - pad; ++j)
    for (int64_t i = pad; i < nx - pad; ++i) {
      const std::size_t v = j * nx + i;
      if (!mask.empty() && !mask[k * slice + v]) continue;
      total += ssim_of_moments(moments[v], moments[slice + v], moments[2 * slice + v], moments[3 * slice + v],
                               moments[4 * slice + v], c1, c2);
      ++count;
    }
  return count > 0 ? total / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN();
}

struct SsimConstants {
  std::vector<double> w;
  int radius;
  int64_t window;
  double c1, c2;
  SsimConstants(const SsimParameters& p, double data_range)
      : w(gaussian_kernel(p.sigma, p.radius())),
        radius(p.radius()),
        window(2 * p.radius() + 1),
        c1((p.k1 * data_range) * (p.k1 * data_range)),
        c2((p.k2 * data_range) * (p.k2 * data_range)) {}
};

// The 3D mean SSIM, and with `slices` (nz values) the 2D SSIM of every
// slice from the same x-y filtered moments.
double ssim_3d(const float* test, const float* ref, const Dims3& dims, double data_range,
               const std::vector<std::uint8_t>& mask, const SsimParameters& p, double* slices) {
  const int64_t nx = dims[0], ny = dims[1], nz = dims[2];
  const SsimConstants consts(p, data_range);
  const int radius = consts.radius;
  const int64_t window = consts.window;
  if (nx < window || ny < window || nz < window)
    throw std::invalid_argument("SSIM needs at least " + std::to_string(window) + " voxels along every axis");
  const std::size_t slice = static_cast<std::size_t>(nx * ny);
  check_mask(mask, slice * static_cast<std::size_t>(nz));
  const std::vector<double>& w = consts.w;

  // Slices are filtered along x then y into a ring buffer of `window`
  // slices of the five moments, and each output slice is then filtered along
  // z from the ring. Every thread streams through its own contiguous range of
  // output slices, so memory stays at a few slices per thread (not five
  // copies of the volume) and the data stay in cache; a thread recomputes
  // the 2 * radius slices its range shares with its neighbour. Only the
  // cropped region is averaged (skimage's crop(S, pad).mean()), and its
  // windows never leave the volume along z. The per-slice SSIM of slice k
  // is taken from its ring entry by the thread whose range holds k (the
  // first and last threads also take the border slices).
  const double c1 = consts.c1, c2 = consts.c2;
  const int64_t pad = (window - 1) / 2;
  std::vector<double> slice_sum(nz, 0.0);
  std::vector<std::size_t> slice_count(nz, 0);
#pragma omp parallel
  {
    const int64_t threads = omp_get_num_threads(), thread = omp_get_thread_num();
    const int64_t first = pad, span = nz - 2 * pad;
    const int64_t k_begin = first + span * thread / threads, k_end = first + span * (thread + 1) / threads;
    const int64_t own_begin = thread == 0 ? 0 : k_begin, own_end = thread == threads - 1 ? nz : k_end;
    std::vector<char> slice_done(nz, 0);
    std::vector<double> ring(static_cast<std::size_t>(kMoments * window) * slice);
    std::vector<int64_t> ring_source(window, -1);
    SliceMoments moments(nx, ny, w, radius);
    std::vector<double> m(kMoments * nx);
    // The ring slot of source slice k, filled on first use: moments of k
    // filtered along x, then y.
    auto slot_of = [&](int64_t k) -> double* {
      const int64_t slot = k % window;
      double* out = &ring[static_cast<std::size_t>(slot * kMoments) * slice];
      if (ring_source[slot] == k) return out;
      moments.compute(test, ref, k, out);
      ring_source[slot] = k;
      if (slices && k >= own_begin && k < own_end && !slice_done[k]) {
        slices[k] = slice_mean(out, k, nx, ny, pad, c1, c2, mask);
        slice_done[k] = 1;
      }
      return out;
    };
    std::vector<const double*> taps(window);
    for (int64_t k = k_begin; k < k_end; ++k) {
      for (int64_t t = 0; t < window; ++t) taps[t] = slot_of(k - radius + t);
      double sum = 0;
      std::size_t count = 0;
      for (int64_t j = pad; j < ny - pad; ++j) {
        for (int q = 0; q < kMoments; ++q) {
          double* mq = &m[q * nx];
          std::fill(mq, mq + nx, 0.0);
          for (int64_t t = 0; t < window; ++t) {
            const double* in = taps[t] + q * slice + j * nx;
            const double wt = w[t];
            for (int64_t i = 0; i < nx; ++i) mq[i] += wt * in[i];
          }
        }
        const std::size_t row = k * slice + j * nx;
        for (int64_t i = pad; i < nx - pad; ++i) {
          if (!mask.empty() && !mask[row + i]) continue;
          sum += ssim_of_moments(m[i], m[nx + i], m[2 * nx + i], m[3 * nx + i], m[4 * nx + i], c1, c2);
          ++count;
        }
      }
      slice_sum[k] = sum;
      slice_count[k] = count;
    }
    // Slices of this thread's share that no output slice needed (only when
    // there are more threads than output slices).
    if (slices)
      for (int64_t k = own_begin; k < own_end; ++k)
        if (!slice_done[k]) slot_of(k);
  }
  double total = 0;
  std::size_t count = 0;
  for (int64_t k = 0; k < nz; ++k) {
    total += slice_sum[k];
    count += slice_count[k];
  }
  return count ? total / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

double structural_similarity(const float* test, const float* ref, const Dims3& dims, double data_range,
                             const std::vector<std::uint8_t>& mask, const SsimParameters& p) {
  return ssim_3d(test, ref, dims, data_range, mask, p, nullptr);
}

SsimWithSlices structural_similarity_with_slices(const float* test, const float* ref, const Dims3& dims,
                                                 double data_range, const std::vector<std::uint8_t>& mask,
                                                 const SsimParameters& p) {
  SsimWithSlices out;
  out.slices.assign(dims[2], std::numeric_limits<double>::quiet_NaN());
  out.volume = ssim_3d(test, ref, dims, data_range, mask, p, out.slices.data());
  return out;
}

std::vector<double> slice_structural_similarity(const float* test, const float* ref, const Dims3& dims,
                                                double data_range, const std::vector<std::uint8_t>& mask,
                                                const SsimParameters& p) {
  const int64_t nx = dims[0], ny = dims[1], nz = dims[2];
  const SsimConstants consts(p, data_range);
  std::vector<double> result(nz, std::numeric_limits<double>::quiet_NaN());
  if (nx < consts.window || ny < consts.window) return result;
  const std::size_t slice = static_cast<std::size_t>(nx * ny);
  check_mask(mask, slice * static_cast<std::size_t>(nz));
#pragma omp parallel
  {
    SliceMoments moments(nx, ny, consts.w, consts.radius);
    std::vector<double> filtered(kMoments * slice);
#pragma omp for schedule(dynamic)
    for (int64_t k = 0; k < nz; ++k) {
      bool any = mask.empty();
      for (std::size_t v = 0; v < slice && !any; ++v) any = mask[k * slice + v] != 0;
      if (!any) continue;
      moments.compute(test, ref, k, filtered.data());
      result[k] = slice_mean(filtered.data(), k, nx, ny, consts.radius, consts.c1, consts.c2, mask);
    }
  }
  return result;
}

double peak_signal_noise_ratio(const float* test, const float* ref, std::size_t n, double data_range,
                               const std::vector<std::uint8_t>& mask) {
  const SquaredSums s = squared_sums(test, ref, n, mask);
  if (s.count == 0) return std::numeric_limits<double>::quiet_NaN();
  const double mse = s.error / static_cast<double>(s.count);
  if (mse == 0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(data_range * data_range / mse);
}

double normalized_root_mse(const float* test, const float* ref, std::size_t n, const std::vector<std::uint8_t>& mask) {
  const SquaredSums s = squared_sums(test, ref, n, mask);
  if (s.count == 0) return std::numeric_limits<double>::quiet_NaN();
  if (s.reference == 0) return std::numeric_limits<double>::infinity();
  return std::sqrt(s.error / static_cast<double>(s.count)) / std::sqrt(s.reference / static_cast<double>(s.count));
}

double reference_data_range(const float* ref, std::size_t n) {
  if (n == 0) return 0;
  const auto [lo, hi] = std::minmax_element(ref, ref + n);
  return static_cast<double>(*hi) - *lo;
}

ImageQuality compare_images(const float* test, const float* ref, const Dims3& dims, double data_range,
                            const std::vector<std::uint8_t>& mask) {
  const std::size_t n = static_cast<std::size_t>(dims[0] * dims[1] * dims[2]);
  ImageQuality q;
  q.data_range = data_range;
  q.psnr = peak_signal_noise_ratio(test, ref, n, data_range, mask);
  q.nrmse = normalized_root_mse(test, ref, n, mask);
  q.ssim = structural_similarity(test, ref, dims, data_range, mask);
  q.voxels = mask.empty() ? n : static_cast<std::size_t>(std::count_if(mask.begin(), mask.end(), [](std::uint8_t v) {
    return v != 0;
  }));
  return q;
}

}  // namespace axon::denoise
