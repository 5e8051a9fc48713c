// Sliding-window inference (SPEC step 7; nnU-Net's predict_sliding_window
// with Gaussian weighting and mirror test-time augmentation). The loop is
// serial and in a fixed order (windows in z, y, x start order; members;
// mirrorings), and accumulates in double, so the result depends only on what
// the network returns, never on the thread count.
#include "axon/learn/sliding_window.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace axon::learn {
namespace {

struct Flip {
  bool z = false, y = false, x = false;
};

// No flip first, then every non-empty subset of the axes in
// itertools.combinations order by size: (), (x), (y), (z), (x,y), (x,z),
// (y,z), (x,y,z) for axes [0, 1, 2] — nnU-Net's order.
std::vector<Flip> mirrorings(const std::vector<int>& axes_xyz) {
  std::vector<Flip> out{Flip{}};
  const int n = static_cast<int>(axes_xyz.size());
  for (int size = 1; size <= n; ++size) {
    // Combinations of `size` indices in lexicographic order.
    std::vector<int> idx(size);
    for (int i = 0; i < size; ++i) idx[i] = i;
    while (true) {
      Flip f;
      for (int i : idx) {
        const int axis = axes_xyz[i];
        if (axis == 0) f.x = true;
        else if (axis == 1) f.y = true;
        else if (axis == 2) f.z = true;
        else throw std::invalid_argument("predict_sliding_window: mirror axis must be 0, 1 or 2");
      }
      out.push_back(f);
      int i = size - 1;
      while (i >= 0 && idx[i] == n - size + i) --i;
      if (i < 0) break;
      ++idx[i];
      for (int k = i + 1; k < size; ++k) idx[k] = idx[k - 1] + 1;
    }
  }
  return out;
}

struct Box {
  int64_t z, y, x;     // start in the source volume
  int64_t pz, py, px;  // size
};

// Copies box `b` of every channel of a (channels, sz, sy, sx) volume into a
// (channels, pz, py, px) block, flipped along the axes of `f`. A flip is its
// own inverse, so the same copy undoes it on the network's output.
void copy_flipped(const float* src, int64_t channels, int64_t sz, int64_t sy, int64_t sx, const Box& b, Flip f,
                  float* dst) {
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t z = 0; z < b.pz; ++z) {
      const int64_t zs = b.z + (f.z ? b.pz - 1 - z : z);
      for (int64_t y = 0; y < b.py; ++y) {
        const int64_t ys = b.y + (f.y ? b.py - 1 - y : y);
        const float* row = src + ((c * sz + zs) * sy + ys) * sx + b.x;
        float* out = dst + ((c * b.pz + z) * b.py + y) * b.px;
        if (f.x)
          for (int64_t x = 0; x < b.px; ++x) out[x] = row[b.px - 1 - x];
        else
          std::copy(row, row + b.px, out);
      }
    }
}

// Logits of one patch (channels, voxels) -> probabilities, added to the
// running sums over members x mirrorings.
void add_probabilities(const float* logits, int64_t channels, int64_t voxels, OutputKind kind, double* sum,
                       double* sum_sq) {
  std::vector<double> p(static_cast<std::size_t>(channels));
  for (int64_t v = 0; v < voxels; ++v) {
    if (kind == OutputKind::sigmoid_regions) {
      for (int64_t c = 0; c < channels; ++c) p[c] = 1.0 / (1.0 + std::exp(-double(logits[c * voxels + v])));
    } else {
      double top = logits[v];
      for (int64_t c = 1; c < channels; ++c) top = std::max(top, double(logits[c * voxels + v]));
      double total = 0;
      for (int64_t c = 0; c < channels; ++c) total += p[c] = std::exp(double(logits[c * voxels + v]) - top);
      for (int64_t c = 0; c < channels; ++c) p[c] /= total;
    }
    for (int64_t c = 0; c < channels; ++c) {
      sum[c * voxels + v] += p[c];
      if (sum_sq) sum_sq[c * voxels + v] += p[c] * p[c];
    }
  }
}

}  // namespace

std::vector<int64_t> window_starts(int64_t image_size, int64_t patch_size, double overlap) {
  if (patch_size < 1 || !(overlap >= 0 && overlap < 1))
    throw std::invalid_argument("window_starts: patch must be >= 1 and overlap in [0, 1)");
  if (image_size <= patch_size) return {0};
  const double target_step = patch_size * (1 - overlap);
  const int64_t num = static_cast<int64_t>(std::ceil((image_size - patch_size) / target_step)) + 1;
  const double step = double(image_size - patch_size) / double(num - 1);
  std::vector<int64_t> starts(static_cast<std::size_t>(num));
  // Half away from zero (the values are >= 0): SPEC step 7.
  for (int64_t i = 0; i < num; ++i) starts[i] = std::lround(step * double(i));
  return starts;
}

std::vector<float> gaussian_importance(const std::array<int64_t, 3>& patch_zyx) {
  // g(i) = exp(-(i - (p - 1) / 2)^2 / (2 sigma^2)), sigma = p / 8, per axis;
  // the product over axes, divided by its maximum (nnU-Net's map, in closed
  // form: the maximum of a separable positive map is the product of maxima).
  std::array<std::vector<double>, 3> g;
  double top = 1;
  for (int a = 0; a < 3; ++a) {
    const int64_t p = patch_zyx[a];
    if (p < 1) throw std::invalid_argument("gaussian_importance: patch must be >= 1");
    const double centre = (p - 1) / 2.0, sigma = p / 8.0;
    double axis_top = 0;
    for (int64_t i = 0; i < p; ++i) {
      const double d = i - centre;
      g[a].push_back(std::exp(-(d * d) / (2 * sigma * sigma)));
      axis_top = std::max(axis_top, g[a].back());
    }
    top *= axis_top;
  }
  std::vector<float> w;
  w.reserve(static_cast<std::size_t>(patch_zyx[0] * patch_zyx[1] * patch_zyx[2]));
  for (double gz : g[0])
    for (double gy : g[1])
      for (double gx : g[2]) w.push_back(static_cast<float>(gz * gy * gx / top));
  return w;
}

SlidingWindowResult predict_sliding_window(const TorchEnsemble& ensemble, const TensorVolume& input,
                                           const SlidingWindowOptions& options) {
  const auto& patch = options.patch_zyx;
  const int64_t cin = input.channels, cout = options.channels_out;
  if (ensemble.size() == 0 || cin < 1 || cout < 1 || input.voxels() < 1 ||
      static_cast<int64_t>(input.data.size()) != cin * input.voxels())
    throw std::invalid_argument("predict_sliding_window: empty ensemble, input or output channels");
  if (options.output_kind == OutputKind::softmax && cout < 2)
    throw std::invalid_argument("predict_sliding_window: softmax needs 2 or more channels");

  // Zero-pad axes shorter than the patch (before: pad / 2, after: the rest).
  const std::array<int64_t, 3> size{input.nz, input.ny, input.nx};
  std::array<int64_t, 3> padded{}, before{};
  for (int a = 0; a < 3; ++a) {
    padded[a] = std::max(size[a], patch[a]);
    before[a] = (padded[a] - size[a]) / 2;
  }
  TensorVolume pad(cin, padded[0], padded[1], padded[2]);
  for (int64_t c = 0; c < cin; ++c)
    for (int64_t z = 0; z < size[0]; ++z)
      for (int64_t y = 0; y < size[1]; ++y) {
        const float* row = input.data.data() + input.index(c, z, y, 0);
        std::copy(row, row + size[2], pad.data.data() + pad.index(c, z + before[0], y + before[1], before[2]));
      }

  const std::vector<float> weight = gaussian_importance(patch);
  const std::vector<Flip> flips = mirrorings(options.mirror_axes_xyz);
  const int64_t k_all = static_cast<int64_t>(flips.size());
  const int64_t per_call = options.max_batch > 0 ? std::min(options.max_batch, k_all) : k_all;
  const int64_t pv = patch[0] * patch[1] * patch[2];
  const int64_t nv = pad.voxels();
  const bool var = options.want_uncertainty;

  // Gaussian-weighted sums over windows on the padded grid.
  std::vector<double> acc(static_cast<std::size_t>(cout * nv), 0.0), wsum(static_cast<std::size_t>(nv), 0.0);
  std::vector<double> acc_var(var ? static_cast<std::size_t>(cout * nv) : 0, 0.0);
  // Sums over members x mirrorings within one window.
  std::vector<double> sum(static_cast<std::size_t>(cout * pv)), sum_sq(var ? sum.size() : 0);
  std::vector<float> batch, unflipped(static_cast<std::size_t>(cout * pv));
  const double samples = double(ensemble.size()) * double(k_all);

  for (int64_t sz : window_starts(padded[0], patch[0], options.overlap))
    for (int64_t sy : window_starts(padded[1], patch[1], options.overlap))
      for (int64_t sx : window_starts(padded[2], patch[2], options.overlap)) {
        const Box window{sz, sy, sx, patch[0], patch[1], patch[2]};
        std::fill(sum.begin(), sum.end(), 0.0);
        std::fill(sum_sq.begin(), sum_sq.end(), 0.0);
        for (std::size_t m = 0; m < ensemble.size(); ++m)
          for (int64_t k0 = 0; k0 < k_all; k0 += per_call) {
            const int64_t n = std::min(per_call, k_all - k0);
            batch.resize(static_cast<std::size_t>(n * cin * pv));
            for (int64_t k = 0; k < n; ++k)
              copy_flipped(pad.data.data(), cin, padded[0], padded[1], padded[2], window, flips[k0 + k],
                           batch.data() + k * cin * pv);
            const std::vector<float> out =
                ensemble.forward(m, batch, n, cin, patch[0], patch[1], patch[2], cout);
            for (int64_t k = 0; k < n; ++k) {
              copy_flipped(out.data() + k * cout * pv, cout, patch[0], patch[1], patch[2],
                           Box{0, 0, 0, patch[0], patch[1], patch[2]}, flips[k0 + k], unflipped.data());
              add_probabilities(unflipped.data(), cout, pv, options.output_kind, sum.data(),
                                var ? sum_sq.data() : nullptr);
            }
          }
        // Mean (and population variance) over members x mirrorings, weighted
        // into the whole-volume sums.
        for (int64_t z = 0; z < patch[0]; ++z)
          for (int64_t y = 0; y < patch[1]; ++y)
            for (int64_t x = 0; x < patch[2]; ++x) {
              const int64_t v = (z * patch[1] + y) * patch[2] + x;
              const int64_t g = ((sz + z) * padded[1] + sy + y) * padded[2] + sx + x;
              const double w = weight[v];
              wsum[g] += w;
              for (int64_t c = 0; c < cout; ++c) {
                const double mean = sum[c * pv + v] / samples;
                acc[c * nv + g] += w * mean;
                if (var) acc_var[c * nv + g] += w * std::max(0.0, sum_sq[c * pv + v] / samples - mean * mean);
              }
            }
      }

  // Divide by the summed weights and cut the padding.
  SlidingWindowResult result;
  result.probabilities = TensorVolume(cout, size[0], size[1], size[2]);
  if (var) result.uncertainty = TensorVolume(1, size[0], size[1], size[2]);
  for (int64_t z = 0; z < size[0]; ++z)
    for (int64_t y = 0; y < size[1]; ++y)
      for (int64_t x = 0; x < size[2]; ++x) {
        const int64_t g = ((z + before[0]) * padded[1] + y + before[1]) * padded[2] + x + before[2];
        double worst = 0;
        for (int64_t c = 0; c < cout; ++c) {
          result.probabilities.data[result.probabilities.index(c, z, y, x)] =
              static_cast<float>(acc[c * nv + g] / wsum[g]);
          if (var) worst = std::max(worst, std::sqrt(acc_var[c * nv + g] / wsum[g]));
        }
        if (var) result.uncertainty.data[result.uncertainty.index(0, z, y, x)] = static_cast<float>(worst);
      }
  return result;
}

}  // namespace axon::learn
