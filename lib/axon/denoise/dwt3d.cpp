#include "axon/denoise/dwt3d.hpp"

#include <algorithm>
#include <stdexcept>

namespace axon::denoise {
namespace {

// Lines along one axis are processed in blocks of this many neighbours in
// the next-fastest direction, so that strided axes (y, z) are read in
// contiguous runs and the filter loop vectorises across the block.
constexpr int64_t kBlock = 16;

int64_t half(int64_t n) { return (n + 1) / 2; }

// Where the lines along `axis` lie in a volume with `n` samples along the
// axis, and in its half-length counterpart with `h`: line (g, i) starts at
// g * n * sample_stride + i * line_step_n (resp. h), for g < groups and
// i < per_group, and its samples are sample_stride apart. For y and z,
// neighbouring lines are neighbouring x positions; for x, they are
// neighbouring rows.
struct Lines {
  int64_t sample_stride, per_group, groups, line_step_n, line_step_h;
};

Lines lines_along(const Dims3& d, int axis, int64_t h) {
  if (axis == 0) return {1, d[1] * d[2], 1, d[0], h};
  if (axis == 1) return {d[0], d[0], d[2], 1, 1};
  return {d[0] * d[1], d[0] * d[1], 1, 1, 1};
}

// Every line along `axis` of a volume with dims d, in blocks of up to kBlock
// neighbouring lines, shared among the threads: for each block,
// work(full_base, half_base, width) with the offset of its first line in the
// volume (n samples along the axis) and in its half-length counterpart (h).
// make_worker() is called once per thread, so each thread owns its scratch.
template <class MakeWorker>
void for_each_line_block(const Dims3& d, int axis, int64_t h, const MakeWorker& make_worker) {
  const int64_t n = d[axis];
  const Lines ln = lines_along(d, axis, h);
  const int64_t blocks_per_group = (ln.per_group + kBlock - 1) / kBlock;
  const int64_t jobs = ln.groups * blocks_per_group;
#pragma omp parallel
  {
    auto work = make_worker();
#pragma omp for schedule(static)
    for (int64_t job = 0; job < jobs; ++job) {
      const int64_t group = job / blocks_per_group, first = (job % blocks_per_group) * kBlock;
      work(group * n * ln.sample_stride + first * ln.line_step_n, group * h * ln.sample_stride + first * ln.line_step_h,
           std::min(kBlock, ln.per_group - first));
    }
  }
}

// Copies `width` lines of `length` samples (line c at base + c * line_step,
// samples `stride` apart) into block[m * kBlock + c], and back.
void gather(const std::vector<double>& v, std::size_t base, int64_t line_step, int64_t stride, int64_t width,
            int64_t length, std::vector<double>& block) {
  for (int64_t c = 0; c < width; ++c)
    for (int64_t m = 0; m < length; ++m) block[m * kBlock + c] = v[base + c * line_step + m * stride];
}
void scatter(const std::vector<double>& block, std::size_t base, int64_t line_step, int64_t stride, int64_t width,
             int64_t length, std::vector<double>& v) {
  for (int64_t c = 0; c < width; ++c)
    for (int64_t m = 0; m < length; ++m) v[base + c * line_step + m * stride] = block[m * kBlock + c];
}

// The sample of the (even-length) extended line that filter tap j meets at
// output k: (2k + L/2 - j) mod N, PyWavelets' periodization.
int64_t periodic_tap(int64_t k, int shift, int j, int64_t n_even) {
  const int64_t m = (2 * k + shift - j) % n_even;
  return m < 0 ? m + n_even : m;
}

// One level of analysis along `axis`: in (dims d) -> lo, hi (dims d with
// axis halved). PyWavelets' periodization: with the axis extended to even
// length N by repeating its last sample, lo[k] = sum_j dec_lo[j] x[(2k + L/2 - j) mod N]
// and hi likewise with dec_hi.
void analyze_axis(const std::vector<double>& in, const Dims3& d, int axis, const FilterBank& f,
                  std::vector<double>& lo, std::vector<double>& hi) {
  const int64_t n = d[axis], n_even = n + (n % 2), h = n_even / 2;
  const int taps = f.length(), shift = taps / 2;
  Dims3 dh = d;
  dh[axis] = h;
  const std::size_t out_size = static_cast<std::size_t>(dh[0] * dh[1] * dh[2]);
  lo.assign(out_size, 0.0);
  hi.assign(out_size, 0.0);
  const Lines ln = lines_along(d, axis, h);
  for_each_line_block(d, axis, h, [&] {
    return [&, x = std::vector<double>(n_even * kBlock, 0.0), a = std::vector<double>(h * kBlock),
            b = std::vector<double>(h * kBlock)](std::size_t full_base, std::size_t half_base, int64_t width) mutable {
      gather(in, full_base, ln.line_step_n, ln.sample_stride, width, n, x);
      if (n_even != n)
        for (int64_t c = 0; c < width; ++c) x[n * kBlock + c] = x[(n - 1) * kBlock + c];
      std::fill(a.begin(), a.end(), 0.0);
      std::fill(b.begin(), b.end(), 0.0);
      for (int64_t k = 0; k < h; ++k) {
        double* ak = &a[k * kBlock];
        double* bk = &b[k * kBlock];
        for (int j = 0; j < taps; ++j) {
          const double* xm = &x[periodic_tap(k, shift, j, n_even) * kBlock];
          const double wl = f.dec_lo[j], wh = f.dec_hi[j];
          for (int64_t c = 0; c < kBlock; ++c) {
            ak[c] += wl * xm[c];
            bk[c] += wh * xm[c];
          }
        }
      }
      scatter(a, half_base, ln.line_step_h, ln.sample_stride, width, h, lo);
      scatter(b, half_base, ln.line_step_h, ln.sample_stride, width, h, hi);
    };
  });
}

// The transpose of analyze_axis (its inverse, the bank being orthogonal):
// lo, hi (dims d with axis halved) -> out (dims d), the extended sample
// dropped.
void synthesize_axis(const std::vector<double>& lo, const std::vector<double>& hi, const Dims3& d, int axis,
                     const FilterBank& f, std::vector<double>& out) {
  const int64_t n = d[axis], n_even = n + (n % 2), h = n_even / 2;
  const int taps = f.length(), shift = taps / 2;
  out.assign(static_cast<std::size_t>(d[0] * d[1] * d[2]), 0.0);
  const Lines ln = lines_along(d, axis, h);
  for_each_line_block(d, axis, h, [&] {
    return [&, x = std::vector<double>(n_even * kBlock), a = std::vector<double>(h * kBlock, 0.0),
            b = std::vector<double>(h * kBlock, 0.0)](std::size_t full_base, std::size_t half_base,
                                                      int64_t width) mutable {
      gather(lo, half_base, ln.line_step_h, ln.sample_stride, width, h, a);
      gather(hi, half_base, ln.line_step_h, ln.sample_stride, width, h, b);
      std::fill(x.begin(), x.end(), 0.0);
      for (int64_t k = 0; k < h; ++k) {
        const double* ak = &a[k * kBlock];
        const double* bk = &b[k * kBlock];
        for (int j = 0; j < taps; ++j) {
          double* xm = &x[periodic_tap(k, shift, j, n_even) * kBlock];
          const double wl = f.dec_lo[j], wh = f.dec_hi[j];
          for (int64_t c = 0; c < kBlock; ++c) xm[c] += wl * ak[c] + wh * bk[c];
        }
      }
      scatter(x, full_base, ln.line_step_n, ln.sample_stride, width, n, out);
    };
  });
}

}  // namespace

std::string subband_name(int code) {
  std::string s;
  for (int axis = 0; axis < 3; ++axis) s += (code >> axis) & 1 ? 'H' : 'L';
  return s;
}

WaveletPyramid dwt3d_forward(std::vector<double> volume, const Dims3& dims, Wavelet wavelet, int levels) {
  if (levels < 1) throw std::invalid_argument("the wavelet transform needs at least 1 level");
  if (dims[0] < 1 || dims[1] < 1 || dims[2] < 1) throw std::invalid_argument("empty volume");
  if (volume.size() != static_cast<std::size_t>(dims[0] * dims[1] * dims[2]))
    throw std::invalid_argument("volume size does not match its dimensions");
  const FilterBank& f = filter_bank(wavelet);
  WaveletPyramid p;
  p.wavelet = wavelet;
  std::vector<double> current = std::move(volume);
  Dims3 d = dims;
  for (int level = 0; level < levels; ++level) {
    p.input_dims.push_back(d);
    // x, then y, then z: after axis a, band bit a is 0 (low) or 1 (high).
    std::vector<std::vector<double>> bands{std::move(current)};
    Dims3 bd = d;
    for (int axis = 0; axis < 3; ++axis) {
      std::vector<std::vector<double>> next(bands.size() * 2);
      for (std::size_t code = 0; code < bands.size(); ++code)
        analyze_axis(bands[code], bd, axis, f, next[code], next[code | (std::size_t{1} << axis)]);
      bd[axis] = half(bd[axis]);
      bands = std::move(next);
    }
    p.details.emplace_back();
    for (int code = 1; code < 8; ++code) p.details.back()[code - 1] = SubBand{bd, std::move(bands[code])};
    current = std::move(bands[0]);
    d = bd;
  }
  p.approximation = SubBand{d, std::move(current)};
  return p;
}

std::vector<double> dwt3d_inverse(const WaveletPyramid& p) {
  const FilterBank& f = filter_bank(p.wavelet);
  std::vector<double> current = p.approximation.data;
  for (int level = p.levels(); level >= 1; --level) {
    const Dims3& d = p.input_dims[level - 1];
    // The detail sub-bands are read in place; merged volumes are owned.
    std::vector<const std::vector<double>*> bands(8);
    bands[0] = &current;
    for (int code = 1; code < 8; ++code) bands[code] = &p.detail(level, code).data;
    std::vector<std::vector<double>> owned;
    // Undo z, then y, then x: each step merges the bands that differ in that axis's bit.
    Dims3 bd{half(d[0]), half(d[1]), half(d[2])};
    for (int axis = 2; axis >= 0; --axis) {
      bd[axis] = d[axis];
      const std::size_t bit = std::size_t{1} << axis;
      std::vector<std::vector<double>> merged(bit);
      for (std::size_t code = 0; code < bit; ++code)
        synthesize_axis(*bands[code], *bands[code | bit], bd, axis, f, merged[code]);
      owned = std::move(merged);
      bands.resize(bit);
      for (std::size_t code = 0; code < bit; ++code) bands[code] = &owned[code];
    }
    current = std::move(owned[0]);
  }
  return current;
}

}  // namespace axon::denoise
