#include "axon/quality/kspace_mixing.hpp"

#include <algorithm>
#include <cmath>

#include "axon/core/error.hpp"
#include "axon/quality/line_fft.hpp"

namespace axon::quality {

Ghosting draw_ghosting(Rng& rng, double max_degrees) {
  Ghosting g;
  g.period = static_cast<int>(rng.uniform_int(3, 10));
  g.intensity = std::min(rng.uniform(0.2, 0.2 + 0.1 * max_degrees), 0.9);
  return g;
}

double linear_acquisition_time(int64_t bin, int64_t n) {
  const int64_t f = signed_frequency(bin, n);
  return static_cast<double>(f + n / 2) / static_cast<double>(n);
}

std::vector<float> ghost_scales(int64_t n, const std::optional<Ghosting>& ghosting) {
  std::vector<float> scale(static_cast<std::size_t>(n), 1.0f);
  for (int64_t bin = 0; bin < n; ++bin) {
    const int64_t f = signed_frequency(bin, n);
    if (ghosting && f != 0 && ghosting->period > 0 && f % ghosting->period == 0)
      scale[bin] = static_cast<float>(1.0 - ghosting->intensity);
  }
  return scale;
}

namespace {
// How many half-spectrum bins a pose may need and still get them by direct
// DFT sums rather than an FFT. Measured per slab against FFTW's strided
// real transform (FFTW_ESTIMATE, one core): the sums break even at about
// 1.1 log2(n) bins for n = 72, 176, 192, at 3.3-4.5 log2(n) for
// n = 217 = 7 x 31 (ch2), whose factor 31 has no hard-coded FFTW codelet
// (those stop at 16, then 20, 25, 32, 64), and 5.5 log2(n) for n = 256.
// The rule depends only on n, never on timing, so the output stays
// reproducible.
double direct_dft_bin_limit(int64_t n) {
  int64_t largest = 1, m = n;
  for (int64_t f = 2; f * f <= m; ++f)
    while (m % f == 0) largest = f, m /= f;
  if (m > 1) largest = std::max(largest, m);
  return (largest > 16 ? 3.0 : 1.0) * std::log2(static_cast<double>(n));
}
}  // namespace

Image<float> mix_pose_spectra(const Image<float>& volume, const LineMixing& mixing) {
  if (volume.nt() != 1) throw InputError("", "motion simulation needs a 3D image");
  if (mixing.axis < 0 || mixing.axis > 2) throw UsageError("phase-encode axis must be 0, 1 or 2");
  const int64_t dims[3] = {volume.nx(), volume.ny(), volume.nz()};
  const int64_t nx = dims[0], ny = dims[1];
  const int64_t n = dims[mixing.axis];
  const std::vector<int>& bin_pose = mixing.bin_pose;
  const std::vector<float>& bin_scale = mixing.bin_scale;
  if (static_cast<int64_t>(bin_pose.size()) != n || static_cast<int64_t>(bin_scale.size()) != n)
    throw UsageError("k-space mixing: one pose and one scale per phase-encode plane are needed");
  for (const int p : bin_pose)
    if (p < 0 || p >= static_cast<int>(mixing.poses.size())) throw UsageError("k-space mixing: no such pose");
  // The poses some plane is acquired in; the head in each, as a sampler of
  // the moved volume (linear interpolation with ITK's rule, zero outside;
  // the reference pose is the identity and reads the input as it is).
  std::vector<int> acquired;
  std::vector<RigidLinearSampler> samplers;
  for (int p = 0; p < static_cast<int>(mixing.poses.size()); ++p)
    if (std::find(bin_pose.begin(), bin_pose.end(), p) != bin_pose.end()) {
      acquired.push_back(p);
      samplers.emplace_back(volume, mixing.poses[p], 0.0f);
    }

  // Slab by slab: a slab is every voxel at one index of the outer axis (z,
  // or y when the phase-encode axis is z), held as rows along x, so it
  // contains whole phase-encode lines. Each pose's slab is resampled
  // straight into the slab buffer, its lines transformed (real input: half
  // spectra), and the bins acquired in that pose copied into the mixed
  // spectrum, which is transformed back. Nothing volume-sized but the
  // output is allocated, and a slab's result does not depend on which
  // thread computes it.
  const int outer = mixing.axis == 2 ? 1 : 2;
  const int across = outer == 2 ? 1 : 2;  // the slab's other axis (its rows)
  const int64_t slabs = dims[outer], rows = dims[across], slab_size = rows * nx;
  // Line l, sample i of the slab at l * dist + i * stride.
  const int64_t stride = mixing.axis == 0 ? 1 : nx, dist = mixing.axis == 0 ? nx : 1;
  const int64_t count = slab_size / n;
  const LinesFft fft(n, count, stride, dist);

  // The half-spectrum bins (0..n/2) each pose must supply: b itself or its
  // mirror n - b. A pose holding few of them gets them by direct DFT sums
  // instead of a whole FFT: when lines run across the slab's rows (phase
  // encoding along y or z) the sums run over rows with every line in step,
  // contiguous along x, so they vectorise, and for the short segments of
  // strong motion they cost a fraction of FFTW's transform. Either way each
  // bin is computed the same way whatever the thread count.
  std::vector<std::vector<int64_t>> half_bins(acquired.size());
  for (int64_t b = 0; b < n; ++b) {
    const int q = static_cast<int>(std::find(acquired.begin(), acquired.end(), bin_pose[b]) - acquired.begin());
    const int64_t h = b > n / 2 ? n - b : b;
    if (std::find(half_bins[q].begin(), half_bins[q].end(), h) == half_bins[q].end()) half_bins[q].push_back(h);
  }
  std::vector<char> direct(acquired.size(), 0);
  for (std::size_t q = 0; q < acquired.size(); ++q)
    direct[q] = stride != 1 && static_cast<double>(half_bins[q].size()) <= direct_dft_bin_limit(n);
  // exp(-2 pi i k / n), k = 0..n-1, in float for the sums.
  std::vector<float> twiddle_re(n), twiddle_im(n);
  for (int64_t k = 0; k < n; ++k) {
    const double angle = 2 * M_PI * static_cast<double>(k) / static_cast<double>(n);
    twiddle_re[k] = static_cast<float>(std::cos(angle));
    twiddle_im[k] = static_cast<float>(-std::sin(angle));
  }

  Image<float> result;
  result.header = volume.header;
  result.data.resize(volume.data.size());
  float* dst = result.data.data();
  const float inv_n = 1.0f / static_cast<float>(n);
#pragma omp parallel
  {
    SimdBuffer<float> real(static_cast<std::size_t>(slab_size));
    SimdBuffer<cfloat> half(static_cast<std::size_t>(slab_size)), mixed(static_cast<std::size_t>(slab_size));
    std::vector<float> sum_re(count), sum_im(count);
#pragma omp for schedule(static)
    for (int64_t s = 0; s < slabs; ++s) {
      for (std::size_t q = 0; q < acquired.size(); ++q) {
        const int p = acquired[q];
        for (int64_t r = 0; r < rows; ++r)
          samplers[q].row(outer == 2 ? r : s, outer == 2 ? s : r, real.data() + r * nx);
        if (!direct[q]) {
          fft.forward_real(real.data(), half.data());
        } else {
          // half[h][l] = sum_i real[i][l] exp(-2 pi i h i / n), l along x.
          for (const int64_t h : half_bins[q]) {
            float* __restrict re = sum_re.data();
            float* __restrict im = sum_im.data();
            std::fill(re, re + count, 0.0f);
            std::fill(im, im + count, 0.0f);
            for (int64_t i = 0; i < n; ++i) {
              const int64_t k = (h * i) % n;
              const float c = twiddle_re[k], t = twiddle_im[k];
              const float* __restrict x = real.data() + i * stride;
              for (int64_t l = 0; l < count; ++l) {
                re[l] += x[l] * c;
                im[l] += x[l] * t;
              }
            }
            cfloat* out = half.data() + h * stride;
            for (int64_t l = 0; l < count; ++l) out[l] = cfloat(re[l], im[l]);
          }
        }
        // Bin b of line l; bins above n/2 are conjugates of bins below.
        for (int64_t b = 0; b < n; ++b) {
          if (bin_pose[b] != p) continue;
          const bool mirrored = b > n / 2;
          const int64_t from = (mirrored ? n - b : b) * stride;
          const float scale = bin_scale[b];
          const cfloat* in = half.data() + from;
          cfloat* out = mixed.data() + b * stride;
          for (int64_t l = 0; l < count; ++l) {
            const cfloat v = in[l * dist];
            out[l * dist] = (mirrored ? std::conj(v) : v) * scale;
          }
        }
      }
      fft.inverse(mixed.data());
      // Magnitude image, as a scanner reconstructs it.
      for (int64_t r = 0; r < rows; ++r) {
        float* o = dst + (outer == 2 ? r * nx + s * nx * ny : s * nx + r * nx * ny);
        const cfloat* m = mixed.data() + r * nx;
        for (int64_t i = 0; i < nx; ++i) o[i] = std::abs(m[i]) * inv_n;
      }
    }
  }
  return result;
}

}  // namespace axon::quality
