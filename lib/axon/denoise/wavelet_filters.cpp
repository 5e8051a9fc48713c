#include "axon/denoise/wavelet_filters.hpp"

#include <cmath>
#include <stdexcept>

namespace axon::denoise {
namespace {

// Decomposition low-pass filters. Values are the Daubechies (1992, "Ten
// Lectures on Wavelets", SIAM, tables 6.1 and 6.3: extremal-phase db2/db4
// and least-asymmetric sym4) coefficients, normalised to sum sqrt(2), in the
// order and to the digits PyWavelets 1.1 uses for dec_lo.
const std::vector<double> kHaar{0.7071067811865476, 0.7071067811865476};
const std::vector<double> kDb2{-0.12940952255126037, 0.2241438680420134, 0.8365163037378079, 0.48296291314453416};
const std::vector<double> kDb4{-0.010597401785069032, 0.0328830116668852,  0.030841381835560764,
                               -0.18703481171909309,  -0.027983769416859854, 0.6308807679298589,
                               0.7148465705529157,    0.2303778133088965};
const std::vector<double> kSym4{-0.07576571478927333, -0.02963552764599851, 0.49761866763201545,
                                0.8037387518059161,   0.29785779560527736,  -0.09921954357684722,
                                -0.012603967262037833, 0.0322231006040427};

// dec_hi[j] = (-1)^(j+1) dec_lo[L-1-j] (quadrature mirror); the
// reconstruction filters are the decomposition filters reversed.
FilterBank make_bank(const std::vector<double>& lo) {
  FilterBank b;
  const int n = static_cast<int>(lo.size());
  b.dec_lo = lo;
  b.dec_hi.resize(n);
  for (int j = 0; j < n; ++j) b.dec_hi[j] = (j % 2 ? 1.0 : -1.0) * lo[n - 1 - j];
  b.rec_lo.assign(b.dec_lo.rbegin(), b.dec_lo.rend());
  b.rec_hi.assign(b.dec_hi.rbegin(), b.dec_hi.rend());
  return b;
}

}  // namespace

const std::vector<std::string>& wavelet_names() {
  static const std::vector<std::string> names{"haar", "db2", "db4", "sym4"};
  return names;
}

Wavelet wavelet_from_name(const std::string& name) {
  if (name == "haar" || name == "db1") return Wavelet::haar;
  if (name == "db2") return Wavelet::db2;
  if (name == "db4") return Wavelet::db4;
  if (name == "sym4") return Wavelet::sym4;
  throw std::invalid_argument("unknown wavelet '" + name + "' (haar, db2, db4, sym4)");
}

std::string wavelet_name(Wavelet wavelet) { return wavelet_names()[static_cast<int>(wavelet)]; }

const FilterBank& filter_bank(Wavelet wavelet) {
  static const FilterBank banks[] = {make_bank(kHaar), make_bank(kDb2), make_bank(kDb4), make_bank(kSym4)};
  return banks[static_cast<int>(wavelet)];
}

int dwt_max_level(long long length, Wavelet wavelet) {
  const int filter = filter_bank(wavelet).length();
  if (length < filter - 1) return 0;
  return static_cast<int>(std::floor(std::log2(static_cast<double>(length) / (filter - 1))));
}

}  // namespace axon::denoise
