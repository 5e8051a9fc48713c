#include "axon/signal/butterworth.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <complex>
#include <stdexcept>

namespace axon::signal {
namespace {

using Complex = std::complex<double>;
using Roots = std::vector<Complex>;

// numpy.poly: the monic polynomial with the given roots.
std::vector<Complex> poly(const Roots& roots) {
  std::vector<Complex> c{1.0};
  for (const Complex& r : roots) {
    std::vector<Complex> next(c.size() + 1, 0.0);
    for (std::size_t i = 0; i < c.size(); ++i) {
      next[i] += c[i];
      next[i + 1] -= r * c[i];
    }
    c = std::move(next);
  }
  return c;
}

Complex product(const Roots& roots, double shift) {  // prod(shift - r)
  Complex p = 1.0;
  for (const Complex& r : roots) p *= shift - r;
  return p;
}

}  // namespace

TransferFunction butterworth(int order, double high_pass_hz, double low_pass_hz, double tr) {
  if (order < 1) throw std::invalid_argument("filter order must be at least 1");
  if (!(tr > 0)) throw std::invalid_argument("the repetition time must be positive");
  const double nyquist = 0.5 / tr;
  const bool high = high_pass_hz > 0, low = low_pass_hz > 0;
  if (!high && !low) throw std::invalid_argument("no cut-off frequency given");
  for (double f : {high ? high_pass_hz : 0.5 * nyquist, low ? low_pass_hz : 0.5 * nyquist})
    if (!(f > 0 && f < nyquist))
      throw std::invalid_argument("cut-off frequencies must lie between 0 and the Nyquist frequency " +
                                  std::to_string(nyquist) + " Hz");
  if (high && low && !(high_pass_hz < low_pass_hz))
    throw std::invalid_argument("the high-pass cut-off must be below the low-pass cut-off");

  // scipy.signal.buttap: poles on the left half of the unit circle, no zeros.
  Roots z, p;
  const double pi = std::acos(-1.0);
  for (int m = -order + 1; m < order; m += 2) p.push_back(-std::exp(Complex(0, pi * m / (2.0 * order))));
  double k = 1;

  // Pre-warp the normalised cut-offs (fs = 2 as in scipy's digital design).
  const double fs = 2.0;
  auto warp = [&](double hz) { return 2 * fs * std::tan(pi * (hz / nyquist) / fs); };
  const int degree = static_cast<int>(p.size() - z.size());

  if (high && low) {  // lp2bp_zpk
    const double w1 = warp(high_pass_hz), w2 = warp(low_pass_hz);
    const double bw = w2 - w1, wo = std::sqrt(w1 * w2);
    auto transform = [&](const Roots& r) {
      Roots out;
      for (const Complex& x : r) out.push_back(x * bw / 2.0 + std::sqrt(x * bw / 2.0 * (x * bw / 2.0) - wo * wo));
      for (const Complex& x : r) out.push_back(x * bw / 2.0 - std::sqrt(x * bw / 2.0 * (x * bw / 2.0) - wo * wo));
      return out;
    };
    z = transform(z);
    p = transform(p);
    for (int i = 0; i < degree; ++i) z.push_back(0.0);
    k *= std::pow(bw, degree);
  } else if (low) {  // lp2lp_zpk
    const double wo = warp(low_pass_hz);
    for (auto& x : z) x *= wo;
    for (auto& x : p) x *= wo;
    k *= std::pow(wo, degree);
  } else {  // lp2hp_zpk
    const double wo = warp(high_pass_hz);
    const Complex gain = product(z, 0.0) / product(p, 0.0);  // prod(-z) / prod(-p)
    for (auto& x : z) x = wo / x;
    for (auto& x : p) x = wo / x;
    for (int i = 0; i < degree; ++i) z.push_back(0.0);
    k *= gain.real();
  }

  // bilinear_zpk
  const double fs2 = 2 * fs;
  const Complex gain = product(z, fs2) / product(p, fs2);
  Roots zd, pd;
  for (const Complex& x : z) zd.push_back((fs2 + x) / (fs2 - x));
  for (const Complex& x : p) pd.push_back((fs2 + x) / (fs2 - x));
  while (zd.size() < pd.size()) zd.push_back(-1.0);
  k *= gain.real();

  // zpk2tf: the roots come in conjugate pairs, so the coefficients are real.
  TransferFunction f;
  for (const Complex& c : poly(zd)) f.b.push_back(k * c.real());
  for (const Complex& c : poly(pd)) f.a.push_back(c.real());
  return f;
}

std::vector<double> lfilter(const TransferFunction& f, const std::vector<double>& x, const std::vector<double>& zi) {
  const std::size_t n = std::max(f.a.size(), f.b.size());
  std::vector<double> b(n, 0.0), a(n, 0.0);
  for (std::size_t i = 0; i < f.b.size(); ++i) b[i] = f.b[i] / f.a[0];
  for (std::size_t i = 0; i < f.a.size(); ++i) a[i] = f.a[i] / f.a[0];
  std::vector<double> state(n - 1, 0.0);
  if (!zi.empty()) state = zi;
  std::vector<double> y(x.size());
  // Direct form II transposed, as scipy's lfilter.
  for (std::size_t t = 0; t < x.size(); ++t) {
    const double out = b[0] * x[t] + (n > 1 ? state[0] : 0.0);
    for (std::size_t i = 0; i + 1 < n - 1; ++i) state[i] = b[i + 1] * x[t] + state[i + 1] - a[i + 1] * out;
    if (n > 1) state[n - 2] = b[n - 1] * x[t] - a[n - 1] * out;
    y[t] = out;
  }
  return y;
}

std::vector<double> lfilter_zi(const TransferFunction& f) {
  const std::size_t n = std::max(f.a.size(), f.b.size());
  if (n < 2) return {};
  std::vector<double> b(n, 0.0), a(n, 0.0);
  for (std::size_t i = 0; i < f.b.size(); ++i) b[i] = f.b[i] / f.a[0];
  for (std::size_t i = 0; i < f.a.size(); ++i) a[i] = f.a[i] / f.a[0];
  // Solve (I - companion(a).T) zi = b[1:] - a[1:] * b[0].
  const int m = static_cast<int>(n - 1);
  Eigen::MatrixXd companion = Eigen::MatrixXd::Zero(m, m);
  for (int j = 0; j < m; ++j) companion(0, j) = -a[j + 1];
  for (int i = 1; i < m; ++i) companion(i, i - 1) = 1.0;
  const Eigen::MatrixXd lhs = Eigen::MatrixXd::Identity(m, m) - companion.transpose();
  Eigen::VectorXd rhs(m);
  for (int i = 0; i < m; ++i) rhs(i) = b[i + 1] - a[i + 1] * b[0];
  const Eigen::VectorXd zi = lhs.partialPivLu().solve(rhs);
  return std::vector<double>(zi.data(), zi.data() + m);
}

void filtfilt(const TransferFunction& f, Eigen::MatrixXd& x) {
  const int n = static_cast<int>(x.rows());
  const int pad = 3 * static_cast<int>(std::max(f.a.size(), f.b.size()));
  if (n <= pad)
    throw std::invalid_argument("the series has " + std::to_string(n) + " samples; filtering needs more than " +
                                std::to_string(pad));
  const std::vector<double> zi = lfilter_zi(f);
  std::vector<double> ext(n + 2 * pad), state(zi.size());
  for (Eigen::Index c = 0; c < x.cols(); ++c) {
    // Odd extension: 2 * x[0] - x[pad..1] before, 2 * x[-1] - x[-2..-pad-1] after.
    for (int i = 0; i < pad; ++i) ext[i] = 2 * x(0, c) - x(pad - i, c);
    for (int i = 0; i < n; ++i) ext[pad + i] = x(i, c);
    for (int i = 0; i < pad; ++i) ext[pad + n + i] = 2 * x(n - 1, c) - x(n - 2 - i, c);
    for (std::size_t i = 0; i < zi.size(); ++i) state[i] = zi[i] * ext.front();
    std::vector<double> y = lfilter(f, ext, state);
    std::reverse(y.begin(), y.end());
    for (std::size_t i = 0; i < zi.size(); ++i) state[i] = zi[i] * y.front();
    y = lfilter(f, y, state);
    for (int i = 0; i < n; ++i) x(i, c) = y[y.size() - 1 - pad - i];
  }
}

}  // namespace axon::signal
