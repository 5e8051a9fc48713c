#pragma once
// Separable 3D discrete wavelet transform (Mallat 1989) with orthogonal
// filter banks, multi-level, forward and inverse, with sub-band access.
//
// Boundaries: periodization (the signal is taken as periodic, each level
// halves every axis), identical to PyWavelets' mode='periodization': an axis
// of odd length is first extended by repeating its last sample, so the
// sub-bands of a length-n axis have ceil(n/2) samples. Because every level is
// an orthogonal transform of the (extended) signal, the inverse is its
// transpose and reconstruction is perfect for any size; the inverse crops
// the repeated sample away again. The transform is therefore not redundant
// (about as many coefficients as voxels) and costs O(N * filter length).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "axon/denoise/image_quality.hpp"  // Dims3
#include "axon/denoise/wavelet_filters.hpp"

namespace axon::denoise {

// A sub-band is named by one letter per axis, x then y then z: L (low-pass)
// or H (high-pass). Its code has bit 0 for x, bit 1 for y, bit 2 for z, set
// for H: 0 = LLL (approximation), 1 = HLL, ..., 7 = HHH. (PyWavelets' dwtn
// keys use 'a'/'d' in the same axis order: HLL is 'daa'.)
constexpr int kDetailBands = 7;
std::string subband_name(int code);

struct SubBand {
  Dims3 dims{0, 0, 0};
  std::vector<double> data;  // x fastest
};

struct WaveletPyramid {
  Wavelet wavelet = Wavelet::haar;
  // input_dims[l]: the size of the signal entering level l + 1 (level 1 is
  // the finest: input_dims[0] is the volume's size).
  std::vector<Dims3> input_dims;
  // details[l][code - 1]: detail sub-band `code` (1..7) of level l + 1.
  std::vector<std::array<SubBand, kDetailBands>> details;
  SubBand approximation;  // LLL of the coarsest level

  int levels() const { return static_cast<int>(details.size()); }
  SubBand& detail(int level, int code) { return details.at(level - 1).at(code - 1); }
  const SubBand& detail(int level, int code) const { return details.at(level - 1).at(code - 1); }
};

// Forward transform of `levels` (>= 1) levels. Throws std::invalid_argument
// for levels < 1 or an empty volume. Deterministic for any thread count.
WaveletPyramid dwt3d_forward(std::vector<double> volume, const Dims3& dims, Wavelet wavelet, int levels);

// The volume the pyramid represents (exactly, up to rounding, when the
// coefficients are unmodified).
std::vector<double> dwt3d_inverse(const WaveletPyramid& pyramid);

}  // namespace axon::denoise
