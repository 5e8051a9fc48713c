#include "axon/network/low_frequency.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <stdexcept>

namespace axon::network {
namespace {

// Index of the frequency nearest to f (the first one on a tie, as argmin).
Eigen::Index nearest(const Eigen::VectorXd& freqs, double f) {
  Eigen::Index best = 0;
  for (Eigen::Index k = 1; k < freqs.size(); ++k)
    if (std::abs(freqs[k] - f) < std::abs(freqs[best] - f)) best = k;
  return best;
}

}  // namespace

LowFrequencyMaps low_frequency_maps(const Eigen::MatrixXd& series, const std::vector<bool>& kept_in,
                                    const LowFrequencyOptions& o) {
  const Eigen::Index rows = series.rows(), voxels = series.cols();
  std::vector<bool> kept = kept_in;
  if (kept.empty()) kept.assign(rows, true);
  const Eigen::Index n = static_cast<Eigen::Index>(kept.size());
  Eigen::Index kept_count = 0;
  for (bool k : kept) kept_count += k ? 1 : 0;
  if (kept_count != rows) throw std::invalid_argument("the kept-volume mask does not match the series");
  if (rows < 4) throw std::invalid_argument("fewer than 4 volumes for a spectrum");
  if (!(o.tr > 0)) throw std::invalid_argument("ALFF needs the repetition time");
  const double fs = 1.0 / o.tr, nyquist = 0.5 * fs;
  if (!(o.band_low_hz >= 0 && o.band_high_hz > o.band_low_hz && o.band_high_hz <= nyquist * (1 + 1e-9)))
    throw std::invalid_argument("the ALFF band must satisfy 0 <= low < high <= Nyquist (" + std::to_string(nyquist) +
                                " Hz)");
  const bool censored = kept_count < n;

  // Frequencies and the linear maps (cosine and sine tables) whose squared
  // outputs make up the spectrum: a matrix product over all voxels.
  Eigen::VectorXd freqs;
  Eigen::MatrixXd cos_t, sin_t;  // rows x frequencies
  Eigen::VectorXd cos_scale, sin_scale;
  if (!censored) {
    // Periodogram, scaling "spectrum": |X_k|^2 / N^2, doubled except at 0
    // and (N even) at Nyquist.
    const Eigen::Index nf = n / 2 + 1;
    freqs.resize(nf);
    cos_t.resize(n, nf);
    sin_t.resize(n, nf);
    cos_scale.resize(nf);
    for (Eigen::Index k = 0; k < nf; ++k) {
      freqs[k] = static_cast<double>(k) / (static_cast<double>(n) * o.tr);
      for (Eigen::Index t = 0; t < n; ++t) {
        const double a = 2 * M_PI * static_cast<double>(k * t % n) / static_cast<double>(n);
        cos_t(t, k) = std::cos(a);
        sin_t(t, k) = std::sin(a);
      }
      const bool single = k == 0 || (n % 2 == 0 && k == n / 2);
      cos_scale[k] = (single ? 1.0 : 2.0) / (static_cast<double>(n) * static_cast<double>(n));
    }
    sin_scale = cos_scale;
  } else {
    // Lomb-Scargle (Lomb 1976; Scargle 1982) at the kept onsets: with the
    // time offset tau of each frequency (it depends on the times only),
    // P = 0.5 [ (sum y cos w(t - tau))^2 / sum cos^2 + (sum y sin w(t - tau))^2 / sum sin^2 ],
    // normalised by 2 / sum y^2 (= 2 / rows for unit-variance y).
    const Eigen::Index nf = n / 2;
    freqs.resize(nf);
    cos_t.resize(rows, nf);
    sin_t.resize(rows, nf);
    cos_scale.resize(nf);
    sin_scale.resize(nf);
    std::vector<double> times;
    for (Eigen::Index t = 0; t < n; ++t)
      if (kept[t]) times.push_back(static_cast<double>(t) * o.tr);
    for (Eigen::Index k = 0; k < nf; ++k) {
      freqs[k] = nyquist * static_cast<double>(k + 1) / static_cast<double>(nf);
      const double w = 2 * M_PI * freqs[k];
      double s2 = 0, c2 = 0;
      for (double t : times) {
        s2 += std::sin(2 * w * t);
        c2 += std::cos(2 * w * t);
      }
      const double tau = std::atan2(s2, c2) / (2 * w);
      double cc = 0, ss = 0;
      for (Eigen::Index r = 0; r < rows; ++r) {
        cos_t(r, k) = std::cos(w * (times[r] - tau));
        sin_t(r, k) = std::sin(w * (times[r] - tau));
        cc += cos_t(r, k) * cos_t(r, k);
        ss += sin_t(r, k) * sin_t(r, k);
      }
      const double norm = 2.0 / static_cast<double>(rows);
      cos_scale[k] = cc > 1e-300 ? 0.5 * norm / cc : 0;
      sin_scale[k] = ss > 1e-300 ? 0.5 * norm / ss : 0;  // sin terms vanish at Nyquist on a regular grid
    }
  }
  const Eigen::Index nf = freqs.size();
  const Eigen::Index ih = nearest(freqs, o.band_low_hz == 0 ? freqs[0] : o.band_low_hz);
  const Eigen::Index il = nearest(freqs, o.band_high_hz);
  if (il <= ih) throw std::invalid_argument("the ALFF band holds no frequency of this run");

  LowFrequencyMaps m;
  m.alff.assign(voxels, 0.0);
  m.falff.assign(voxels, 0.0);
  const Eigen::Index chunk = 1024;  // fixed: results do not depend on the thread count
#pragma omp parallel for schedule(dynamic, 1)
  for (Eigen::Index c0 = 0; c0 < voxels; c0 += chunk) {
    const Eigen::Index nc = std::min(chunk, voxels - c0);
    Eigen::MatrixXd y = series.middleCols(c0, nc);
    Eigen::VectorXd sd(nc);
    for (Eigen::Index j = 0; j < nc; ++j) {
      y.col(j).array() -= y.col(j).mean();
      sd[j] = std::sqrt(y.col(j).squaredNorm() / static_cast<double>(rows));
      if (sd[j] > 0) y.col(j) /= sd[j];
    }
    const Eigen::MatrixXd a = cos_t.transpose() * y, b = sin_t.transpose() * y;  // frequencies x voxels
    for (Eigen::Index j = 0; j < nc; ++j) {
      if (!(sd[j] > 0)) continue;
      double band = 0, total = 0;
      // Lomb-Scargle's last frequency is Nyquist, where the sine term is 0/0
      // on a regular grid (scipy returns rounding noise): left out.
      const Eigen::Index last = censored ? nf - 1 : nf;
      for (Eigen::Index k = 0; k < last; ++k) {
        const double p = cos_scale[k] * a(k, j) * a(k, j) + sin_scale[k] * b(k, j) * b(k, j);
        const double amp = std::sqrt(std::max(p, 0.0));
        total += amp;
        if (k >= ih && k < il) band += amp;
      }
      m.alff[c0 + j] = 2.0 * band / static_cast<double>(il - ih) * sd[j];
      m.falff[c0 + j] = total > 0 ? band / total : 0;
    }
  }
  return m;
}

}  // namespace axon::network
