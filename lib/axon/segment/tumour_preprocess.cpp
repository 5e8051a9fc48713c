#include "axon/segment/tumour_preprocess.hpp"

#include <algorithm>
#include <cmath>

#include "axon/core/error.hpp"
#include "axon/core/percentile.hpp"

namespace axon::segment {
namespace {

// The anatomical pair (0: L/R, 1: P/A, 2: I/S) of an axis-code letter, or -1.
int letter_pair(char c) {
  switch (c) {
    case 'L':
    case 'R':
      return 0;
    case 'P':
    case 'A':
      return 1;
    case 'I':
    case 'S':
      return 2;
    default:
      return -1;
  }
}

bool valid_axis_code(const std::string& code) {
  if (code.size() != 3) return false;
  bool seen[3] = {false, false, false};
  for (char c : code) {
    const int p = letter_pair(c);
    if (p < 0 || seen[p]) return false;
    seen[p] = true;
  }
  return true;
}

}  // namespace

bool AxisReorientation::identity() const {
  return source_axis == std::array<int, 3>{0, 1, 2} && !flip[0] && !flip[1] && !flip[2];
}

Dims3 AxisReorientation::apply(const Dims3& input_dims) const {
  return {input_dims[source_axis[0]], input_dims[source_axis[1]], input_dims[source_axis[2]]};
}

std::optional<AxisReorientation> reorientation_between(const std::string& from, const std::string& to) {
  if (!valid_axis_code(from) || !valid_axis_code(to)) return std::nullopt;
  AxisReorientation r;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b)
      if (letter_pair(from[b]) == letter_pair(to[a])) {
        r.source_axis[a] = b;
        r.flip[a] = from[b] != to[a];
      }
  return r;
}

AxisReorientation reorientation_to_card(const learn::ModelCard& card, const std::string& input_code,
                                        const std::string& input_path) {
  if (card.orientation.empty()) return {};
  const auto found = reorientation_between(input_code, card.orientation);
  if (found) return *found;
  if (!reorientation_between(card.orientation, card.orientation))
    throw InputError(card.path, "orientation '" + card.orientation + "' is not an axis code such as LPS or RAS");
  throw InputError(input_path, "its voxel axes (" + input_code + ") are too oblique to reorient");
}

std::optional<BoundingBox> bounding_box(const std::vector<std::uint8_t>& mask, const Dims3& dims) {
  BoundingBox box;
  box.lo = dims;
  box.hi = {-1, -1, -1};
  std::size_t v = 0;
  for (int64_t k = 0; k < dims[2]; ++k)
    for (int64_t j = 0; j < dims[1]; ++j)
      for (int64_t i = 0; i < dims[0]; ++i, ++v)
        if (mask[v]) {
          const int64_t p[3] = {i, j, k};
          for (int a = 0; a < 3; ++a) box.lo[a] = std::min(box.lo[a], p[a]), box.hi[a] = std::max(box.hi[a], p[a]);
        }
  if (box.hi[0] < 0) return std::nullopt;
  return box;
}

std::vector<ChannelNormalization> normalize_intensities(learn::TensorVolume& volume, const std::vector<std::uint8_t>& mask,
                                                   const learn::Normalization& normalization) {
  const int64_t voxels = volume.voxels();
  std::vector<ChannelNormalization> stats(static_cast<std::size_t>(volume.channels));
  // Channels are independent: one per thread, the same result for any count.
#pragma omp parallel for schedule(static)
  for (int64_t c = 0; c < volume.channels; ++c) {
    float* x = volume.channel(c);
    std::vector<double> v;
    v.reserve(static_cast<std::size_t>(voxels));
    for (int64_t i = 0; i < voxels; ++i)
      if (mask[i]) v.push_back(x[i]);
    ChannelNormalization& s = stats[c];
    if (normalization.clip_percentiles && !v.empty()) {
      std::vector<double> sorted = v;
      s.clip_low = percentile_linear(sorted, (*normalization.clip_percentiles)[0]);
      s.clip_high = percentile_linear(sorted, (*normalization.clip_percentiles)[1]);
      s.clipped = true;
      for (double& value : v) value = std::min(std::max(value, s.clip_low), s.clip_high);
    }
    if (normalization.kind == "range-nonzero") {
      s.mean = s.clip_low;
      s.std = s.clip_high - s.clip_low;
    } else {
      double sum = 0;
      for (double value : v) sum += value;
      s.mean = v.empty() ? 0.0 : sum / static_cast<double>(v.size());
      double squares = 0;
      for (double value : v) squares += (value - s.mean) * (value - s.mean);
      s.std = v.empty() ? 0.0 : std::sqrt(squares / static_cast<double>(v.size()));
    }
    const double denominator = std::max(s.std, 1e-8);
    std::size_t n = 0;
    for (int64_t i = 0; i < voxels; ++i) x[i] = mask[i] ? static_cast<float>((v[n++] - s.mean) / denominator) : 0.f;
  }
  return stats;
}

bool axis_is_resampled(double s, double t) { return t > 0 && std::abs(s - t) > 1e-6 * t; }

int64_t resampled_axis_size(int64_t n, double s, double t) {
  if (!axis_is_resampled(s, t)) return n;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(static_cast<double>(n) * s / t - 1e-6)));
}

learn::TensorVolume resample_axis(const learn::TensorVolume& in, int axis, int64_t n_new, double ratio) {
  const int64_t dims[3] = {in.nx, in.ny, in.nz};
  const int64_t n = dims[axis];
  int64_t out_dims[3] = {in.nx, in.ny, in.nz};
  out_dims[axis] = n_new;
  learn::TensorVolume out(in.channels, out_dims[2], out_dims[1], out_dims[0]);
  // Source indices and weights along the axis, once.
  std::vector<int64_t> i0(static_cast<std::size_t>(n_new)), i1(static_cast<std::size_t>(n_new));
  std::vector<double> f(static_cast<std::size_t>(n_new));
  for (int64_t k = 0; k < n_new; ++k) {
    const double u = std::min(std::max((static_cast<double>(k) + 0.5) * ratio - 0.5, 0.0), static_cast<double>(n - 1));
    i0[k] = static_cast<int64_t>(std::floor(u));
    f[k] = u - static_cast<double>(i0[k]);
    i1[k] = std::min(i0[k] + 1, n - 1);
  }
  const int64_t stride[3] = {1, in.nx, in.nx * in.ny};
  const int64_t out_stride[3] = {1, out_dims[0], out_dims[0] * out_dims[1]};
  // Lines along `axis`: every combination of the other two axes' indices.
  const int a1 = axis == 0 ? 1 : 0, a2 = axis == 2 ? 1 : 2;
  // Every output value is computed alone: any thread count, the same bytes.
#pragma omp parallel for collapse(2) schedule(static)
  for (int64_t c = 0; c < in.channels; ++c)
    for (int64_t q = 0; q < dims[a2]; ++q) {
      const float* src = in.channel(c);
      float* dst = out.channel(c);
      for (int64_t p = 0; p < dims[a1]; ++p) {
        const float* line = src + p * stride[a1] + q * stride[a2];
        float* out_line = dst + p * out_stride[a1] + q * out_stride[a2];
        for (int64_t k = 0; k < n_new; ++k) {
          const double a = line[i0[k] * stride[axis]], b = line[i1[k] * stride[axis]];
          out_line[k * out_stride[axis]] = static_cast<float>((1.0 - f[k]) * a + f[k] * b);
        }
      }
    }
  return out;
}

learn::TensorVolume resample_to_spacing(const learn::TensorVolume& in, const std::array<double, 3>& from,
                                        const std::array<double, 3>& to) {
  learn::TensorVolume v = in;
  for (int axis = 0; axis < 3; ++axis) {
    if (!axis_is_resampled(from[axis], to[axis])) continue;
    const int64_t n = axis == 0 ? v.nx : axis == 1 ? v.ny : v.nz;
    v = resample_axis(v, axis, resampled_axis_size(n, from[axis], to[axis]), to[axis] / from[axis]);
  }
  return v;
}

learn::TensorVolume resample_back(const learn::TensorVolume& in, const Dims3& dims, const std::array<double, 3>& from,
                                  const std::array<double, 3>& to) {
  learn::TensorVolume v = in;
  for (int axis = 0; axis < 3; ++axis) {
    if (!axis_is_resampled(from[axis], to[axis])) continue;
    v = resample_axis(v, axis, dims[axis], from[axis] / to[axis]);
  }
  return v;
}

}  // namespace axon::segment
