#pragma once
// Orthogonal wavelet filter banks for the discrete wavelet transform.
#include <string>
#include <vector>

namespace axon::denoise {

enum class Wavelet { haar, db2, db4, sym4 };

const std::vector<std::string>& wavelet_names();  // "haar", "db2", "db4", "sym4"
Wavelet wavelet_from_name(const std::string& name);  // throws std::invalid_argument
std::string wavelet_name(Wavelet wavelet);

// The four filters of an orthogonal bank, in PyWavelets' convention
// (dec_lo, dec_hi, rec_lo, rec_hi: rec_lo is dec_lo reversed, and the
// high-pass filters are the quadrature mirrors of the low-pass ones).
struct FilterBank {
  std::vector<double> dec_lo, dec_hi, rec_lo, rec_hi;
  int length() const { return static_cast<int>(dec_lo.size()); }
};

const FilterBank& filter_bank(Wavelet wavelet);

// PyWavelets' dwt_max_level: the deepest level at which a signal of this
// length still holds one full filter, floor(log2(length / (filter - 1))).
int dwt_max_level(long long length, Wavelet wavelet);

}  // namespace axon::denoise
