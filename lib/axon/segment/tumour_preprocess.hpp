#pragma once
// The preprocessing steps of axon-segment tumour, each a function on a
// multi-channel volume (C, z, y, x; x fastest) so that each can be tested
// alone (after nnU-Net's predictor: reorient, crop to the brain, z-score,
// resample to the network's spacing, and the way back).
// docs/axon-segment.md#tumour gives the exact rules; tests/segment/
// tumour_reference.py implements them again in numpy.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "axon/learn/model_card.hpp"
#include "axon/learn/tensor_volume.hpp"

namespace axon::segment {

using Dims3 = std::array<int64_t, 3>;  // x, y, z voxel counts

// ---- Step 3: orientation (exact: permutes and flips voxel axes) ----------
// Output voxel axis a reads input axis source_axis[a], reversed if flip[a].
struct AxisReorientation {
  std::array<int, 3> source_axis{0, 1, 2};
  std::array<bool, 3> flip{false, false, false};
  bool identity() const;
  Dims3 apply(const Dims3& input_dims) const;  // the reoriented dims (also spacing order)
};

// The reorientation from axis codes `from` to `to` (three letters, one of
// L/R, P/A, I/S each, as nibabel's aff2axcodes); nullopt if either is not
// such a code.
std::optional<AxisReorientation> reorientation_between(const std::string& from, const std::string& to);

// The reorientation from an input's axis codes to the card's orientation
// (identity when the card names none). Throws InputError naming the card
// when its orientation is not an axis code, or naming `input_path` when the
// input's axes are too oblique to have codes.
AxisReorientation reorientation_to_card(const learn::ModelCard& card, const std::string& input_code,
                                        const std::string& input_path);

// Moves voxels of `channels` volumes of `dims` (input axes) to the
// reoriented order; `inverse` undoes it (then `dims` are still the
// original, un-reoriented dims).
template <class T>
std::vector<T> reorient_voxels(const std::vector<T>& in, int64_t channels, const Dims3& dims,
                               const AxisReorientation& r, bool inverse = false) {
  if (r.identity()) return in;
  const Dims3 out_dims = r.apply(dims);
  const int64_t voxels = dims[0] * dims[1] * dims[2];
  const int64_t stride[3] = {1, dims[0], dims[0] * dims[1]};
  // Input offset of reoriented voxel (i0, i1, i2) = base + sum i_a * step[a].
  int64_t step[3], base = 0;
  for (int a = 0; a < 3; ++a) {
    const int s = r.source_axis[a];
    step[a] = r.flip[a] ? -stride[s] : stride[s];
    if (r.flip[a]) base += (dims[s] - 1) * stride[s];
  }
  std::vector<T> out(in.size());
  for (int64_t c = 0; c < channels; ++c) {
    const T* src = in.data() + c * voxels;
    T* dst = out.data() + c * voxels;
    int64_t o = 0;
    for (int64_t i2 = 0; i2 < out_dims[2]; ++i2)
      for (int64_t i1 = 0; i1 < out_dims[1]; ++i1) {
        const int64_t row = base + i2 * step[2] + i1 * step[1];
        for (int64_t i0 = 0; i0 < out_dims[0]; ++i0, ++o) {
          if (inverse)
            dst[row + i0 * step[0]] = src[o];
          else
            dst[o] = src[row + i0 * step[0]];
        }
      }
  }
  return out;
}

// ---- Step 4: crop to the brain's bounding box -----------------------------
struct BoundingBox {
  Dims3 lo{}, hi{};  // inclusive voxel ranges per axis
  Dims3 size() const { return {hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1}; }
};
// The smallest box holding every non-zero voxel; nullopt when there is none.
std::optional<BoundingBox> bounding_box(const std::vector<std::uint8_t>& mask, const Dims3& dims);

template <class T>
std::vector<T> crop_voxels(const std::vector<T>& in, int64_t channels, const Dims3& dims, const BoundingBox& box) {
  const Dims3 n = box.size();
  std::vector<T> out(static_cast<std::size_t>(channels * n[0] * n[1] * n[2]));
  std::size_t o = 0;
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t k = box.lo[2]; k <= box.hi[2]; ++k)
      for (int64_t j = box.lo[1]; j <= box.hi[1]; ++j) {
        const T* row = in.data() + ((c * dims[2] + k) * dims[1] + j) * dims[0];
        for (int64_t i = box.lo[0]; i <= box.hi[0]; ++i) out[o++] = row[i];
      }
  return out;
}

// Writes the cropped volumes back at the box's place in `full` (same
// number of channels, `dims`), leaving the rest of `full` as it is.
template <class T>
void paste_voxels(const std::vector<T>& cropped, int64_t channels, const BoundingBox& box, std::vector<T>& full,
                  const Dims3& dims) {
  std::size_t o = 0;
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t k = box.lo[2]; k <= box.hi[2]; ++k)
      for (int64_t j = box.lo[1]; j <= box.hi[1]; ++j) {
        T* row = full.data() + ((c * dims[2] + k) * dims[1] + j) * dims[0];
        for (int64_t i = box.lo[0]; i <= box.hi[0]; ++i) row[i] = cropped[o++];
      }
}

// ---- Step 5: intensity normalisation inside the brain ----------------------
struct ChannelNormalization {
  double clip_low = 0, clip_high = 0;  // the clipping bounds (percentiles), when clipped
  bool clipped = false;
  // What is subtracted and what divides: zscore-nonzero, the mean and the
  // std of the (clipped) in-mask values; range-nonzero, clip_low and
  // clip_high - clip_low.
  double mean = 0, std = 0;
};
// Per channel, by the card's normalisation kind: optional clipping to the
// percentiles (numpy 'linear') of its in-mask values, then
// (x - mean) / max(std, 1e-8) in the mask (zscore-nonzero: population std,
// double sums; range-nonzero: [clip_low, clip_high] -> [0, 1]), 0 outside.
// `volume` holds channels of the mask's size.
std::vector<ChannelNormalization> normalize_intensities(learn::TensorVolume& volume, const std::vector<std::uint8_t>& mask,
                                                   const learn::Normalization& normalization);

// ---- Step 6 and 8: separable linear resampling -----------------------------
// Whether an axis of spacing s is resampled to target t (t = 0 keeps it).
bool axis_is_resampled(double s, double t);
// The voxel count at spacing t of an axis of n voxels at spacing s.
int64_t resampled_axis_size(int64_t n, double s, double t);
// One axis (0 = x, 1 = y, 2 = z) to n_new voxels: new voxel k samples old
// continuous index (k + 0.5) * ratio - 0.5 (clamped), linearly; ratio is
// new spacing / old spacing. 1 mm -> 2 mm is the 2-voxel average.
learn::TensorVolume resample_axis(const learn::TensorVolume& in, int axis, int64_t n_new, double ratio);
// The volume (spacing `from`, x y z) at spacing `to` (0 = keep), axes x, y, z.
learn::TensorVolume resample_to_spacing(const learn::TensorVolume& in, const std::array<double, 3>& from,
                                        const std::array<double, 3>& to);
// The way back: a volume resampled by resample_to_spacing(x, from, to)
// returned to `dims` (x y z) at spacing `from`.
learn::TensorVolume resample_back(const learn::TensorVolume& in, const Dims3& dims, const std::array<double, 3>& from,
                                  const std::array<double, 3>& to);

}  // namespace axon::segment
