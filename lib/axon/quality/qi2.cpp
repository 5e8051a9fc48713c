#include "axon/quality/qi2.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

#include "axon/core/percentile.hpp"

namespace axon::quality {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The fit's data as distinct values and their counts (real scans hold few
// distinct air values: integers times a slope), so that the likelihood
// costs one log per distinct value.
struct Tally {
  std::vector<double> value;
  std::vector<double> count;
  double n = 0;
};

Tally tally(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  Tally t;
  for (std::size_t i = 0; i < x.size();) {
    std::size_t j = i;
    while (j < x.size() && x[j] == x[i]) ++j;
    t.value.push_back(x[i]);
    t.count.push_back(static_cast<double>(j - i));
    i = j;
  }
  t.n = static_cast<double>(x.size());
  return t;
}

// scipy's rv_continuous._penalized_nnlf for chi2: -sum log pdf over the
// points inside the support (0, inf), each point outside (or with a
// non-finite log density) costing 100 log(DBL_MAX), plus n log(scale).
double penalized_nnlf(const std::array<double, 3>& theta, const Tally& x) {
  const double df = theta[0], loc = theta[1], scale = theta[2];
  if (!(df > 0) || !(scale > 0)) return kInf;
  const double half = df / 2.0, constant = std::lgamma(half) + std::log(2.0) * df / 2.0;
  const double penalty = std::log(std::numeric_limits<double>::max()) * 100.0;
  // Fixed chunks summed in order (the Nelder-Mead path depends on every
  // comparison, so the sum must not depend on the thread count). Serial:
  // score runs this beside the brain extraction, and a parallel region per
  // evaluation would wait on that busy core 600 times.
  constexpr std::int64_t kChunks = 64;
  const std::int64_t n = static_cast<std::int64_t>(x.value.size());
  std::array<double, kChunks> sums{}, bads{};
  for (std::int64_t c = 0; c < kChunks; ++c) {
    double sum = 0, bad = 0;
    for (std::int64_t i = c * n / kChunks; i < (c + 1) * n / kChunks; ++i) {
      const double y = (x.value[static_cast<std::size_t>(i)] - loc) / scale, count = x.count[static_cast<std::size_t>(i)];
      if (!(y > 0 && y < kInf)) {
        bad += count;
        continue;
      }
      // xlogy(df/2 - 1, y): 0 when the factor is 0.
      const double logpdf = (half - 1.0 == 0 ? 0.0 : (half - 1.0) * std::log(y)) - y / 2.0 - constant;
      if (!std::isfinite(logpdf)) {
        bad += count;
        continue;
      }
      sum -= count * logpdf;
    }
    sums[c] = sum, bads[c] = bad;
  }
  double sum = 0, bad = 0;
  for (std::int64_t c = 0; c < kChunks; ++c) sum += sums[c], bad += bads[c];
  return sum + bad * penalty + x.n * std::log(scale);
}

// scipy.optimize.fmin (Nelder-Mead, not adaptive), step for step.
std::array<double, 3> nelder_mead(const Tally& x, std::array<double, 3> x0) {
  constexpr int N = 3;
  constexpr double rho = 1, chi = 2, psi = 0.5, sigma = 0.5, xatol = 1e-4, fatol = 1e-4;
  const int maxiter = N * 200, maxfun = N * 200;
  using Point = std::array<double, 3>;
  std::array<Point, N + 1> sim;
  std::array<double, N + 1> fsim;
  sim[0] = x0;
  for (int k = 0; k < N; ++k) {
    Point y = x0;
    y[k] = y[k] != 0 ? 1.05 * y[k] : 0.00025;
    sim[k + 1] = y;
  }
  int calls = 0;
  auto f = [&](const Point& p) {
    ++calls;
    return penalized_nnlf(p, x);
  };
  for (int k = 0; k <= N; ++k) fsim[k] = f(sim[k]);
  auto sort_simplex = [&] {
    std::array<int, N + 1> order{0, 1, 2, 3};
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return fsim[a] < fsim[b]; });
    std::array<Point, N + 1> s2;
    std::array<double, N + 1> f2;
    for (int i = 0; i <= N; ++i) s2[i] = sim[order[i]], f2[i] = fsim[order[i]];
    sim = s2, fsim = f2;
  };
  sort_simplex();
  int iterations = 1;
  while (calls < maxfun && iterations < maxiter) {
    double xspread = 0, fspread = 0;
    for (int j = 1; j <= N; ++j) {
      for (int k = 0; k < N; ++k) xspread = std::max(xspread, std::abs(sim[j][k] - sim[0][k]));
      fspread = std::max(fspread, std::abs(fsim[0] - fsim[j]));
    }
    if (xspread <= xatol && fspread <= fatol) break;
    Point xbar{0, 0, 0};
    for (int j = 0; j < N; ++j)
      for (int k = 0; k < N; ++k) xbar[k] += sim[j][k];
    for (int k = 0; k < N; ++k) xbar[k] /= N;
    auto along = [&](double a, double b) {  // a * xbar - b * worst
      Point p;
      for (int k = 0; k < N; ++k) p[k] = a * xbar[k] - b * sim[N][k];
      return p;
    };
    const Point xr = along(1 + rho, rho);
    const double fxr = f(xr);
    if (fxr < fsim[0]) {
      const Point xe = along(1 + rho * chi, rho * chi);
      const double fxe = f(xe);
      if (fxe < fxr) sim[N] = xe, fsim[N] = fxe;
      else sim[N] = xr, fsim[N] = fxr;
    } else if (fxr < fsim[N - 1]) {
      sim[N] = xr, fsim[N] = fxr;
    } else {
      bool shrink = false;
      if (fxr < fsim[N]) {
        const Point xc = along(1 + psi * rho, psi * rho);
        const double fxc = f(xc);
        if (fxc <= fxr) sim[N] = xc, fsim[N] = fxc;
        else shrink = true;
      } else {
        Point xcc;
        for (int k = 0; k < N; ++k) xcc[k] = (1 - psi) * xbar[k] + psi * sim[N][k];
        const double fxcc = f(xcc);
        if (fxcc < fsim[N]) sim[N] = xcc, fsim[N] = fxcc;
        else shrink = true;
      }
      if (shrink)
        for (int j = 1; j <= N; ++j) {
          for (int k = 0; k < N; ++k) sim[j][k] = sim[0][k] + sigma * (sim[j][k] - sim[0][k]);
          fsim[j] = f(sim[j]);
        }
    }
    ++iterations;
    sort_simplex();
  }
  return sim[0];
}

double linspace_value(double stop, int count, int i) {
  // numpy.linspace(0, stop, count): i * step, the last point exactly stop.
  if (i == count - 1) return stop;
  return static_cast<double>(i) * (stop / static_cast<double>(count - 1));
}

}  // namespace

Chi2Fit fit_chi2(const std::vector<double>& x, double df0) {
  if (x.empty()) return {};
  // Moment estimates for df = 1 (mean 1, variance 2), as scipy's _fitstart.
  const double n = static_cast<double>(x.size());
  double mean = 0;
  for (double v : x) mean += v;
  mean /= n;
  double var = 0;
  for (double v : x) var += (v - mean) * (v - mean);
  var /= n;
  double scale = std::sqrt(var / 2.0), loc = mean - scale * 1.0;
  if (!std::isfinite(loc)) loc = 0;
  if (!(std::isfinite(scale) && scale > 0)) scale = 1;
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  if (!(loc < *lo)) {  // the support [loc, inf) must hold the data
    loc = *lo - 0.1 * (*hi - *lo);
    scale = 1;
  }
  const auto best = nelder_mead(tally(x), {df0, loc, scale});
  return {best[0], best[1], best[2]};
}

double chi2_pdf(double x, const Chi2Fit& fit) {
  const double y = (x - fit.loc) / fit.scale;
  if (!(y > 0) || !std::isfinite(y)) return 0;
  const double half = fit.df / 2.0;
  const double logpdf = (half - 1.0 == 0 ? 0.0 : (half - 1.0) * std::log(y)) - y / 2.0 - std::lgamma(half) -
                        std::log(2.0) * fit.df / 2.0;
  return std::exp(logpdf) / fit.scale;
}

double quality_index_2(const Image<float>& image, const ByteMask& air) {
  std::vector<double> data;
  for (std::size_t v = 0; v < image.data.size(); ++v)
    if (air[v] && image.data[v] > 0) data.push_back(image.data[v]);
  if (data.size() < 1000) return 0.0;
  constexpr std::size_t kMaxVoxels = 300000;
  std::vector<double> model;
  if (data.size() < kMaxVoxels) {
    model = data;
  } else {
    const std::size_t step = (data.size() + kMaxVoxels - 1) / kMaxVoxels;
    for (std::size_t i = 0; i < data.size(); i += step) model.push_back(data[i]);
  }
  std::vector<double> work(data);
  const double p99 = percentile_linear(work, 99), p98 = percentile_linear(work, 98),
               p95 = percentile_linear(work, 95);
  const double bandwidth = 0.05 * p98;
  if (!(bandwidth > 0)) return 0.0;

  // Gaussian kernel density on the grid, from the data binned linearly at
  // bandwidth / 64 (each value split between its two neighbouring bins).
  constexpr int kGrid = 1000;
  const auto [lo_it, hi_it] = std::minmax_element(model.begin(), model.end());
  const double lo = *lo_it, delta = bandwidth / 64.0;
  const std::size_t bins = static_cast<std::size_t>(std::min(4.0e6, std::ceil((*hi_it - lo) / delta))) + 2;
  const double width = std::max(delta, (*hi_it - lo) / static_cast<double>(bins - 2));
  std::vector<double> weight(bins, 0.0);
  for (double v : model) {
    const double pos = (v - lo) / width;
    const std::size_t b = std::min(static_cast<std::size_t>(pos), bins - 2);
    const double frac = pos - static_cast<double>(b);
    weight[b] += 1 - frac, weight[b + 1] += frac;
  }
  const double norm = 1.0 / (static_cast<double>(model.size()) * bandwidth * std::sqrt(2 * M_PI));
  std::vector<double> grid(kGrid), kde(kGrid, 0.0);
  for (int i = 0; i < kGrid; ++i) grid[i] = linspace_value(p99, kGrid, i);
#pragma omp parallel for schedule(static)
  for (int i = 0; i < kGrid; ++i) {
    // Beyond 39 bandwidths exp(-z^2 / 2) is below the smallest double.
    const double from = std::ceil((grid[i] - 39 * bandwidth - lo) / width), to = std::floor((grid[i] + 39 * bandwidth - lo) / width);
    const std::size_t b0 = from <= 0 ? 0 : static_cast<std::size_t>(from);
    const std::size_t b1 = to < 0 ? 0 : std::min(bins, static_cast<std::size_t>(to) + 1);
    double sum = 0;
    for (std::size_t b = b0; b < b1; ++b) {
      if (weight[b] == 0) continue;
      const double z = (grid[i] - (lo + static_cast<double>(b) * width)) / bandwidth;
      sum += weight[b] * std::exp(-0.5 * z * z);
    }
    kde[i] = sum * norm;
  }
  const double peak = *std::max_element(kde.begin(), kde.end());
  int cut = 0;  // numpy: argmax(kde[::-1] > 0.5 max)
  while (cut < kGrid && !(kde[kGrid - 1 - cut] > 0.5 * peak)) ++cut;
  if (cut == kGrid) cut = 0;
  const int first = cut == 0 ? 0 : kGrid - cut;  // kde[-0:] is every point

  std::vector<double> below;
  for (double v : model)
    if (v < p95) below.push_back(v);
  const Chi2Fit fit = fit_chi2(below, 32.0);
  double gof = 0;
  for (int i = first; i < kGrid; ++i) gof += std::abs(kde[i] - chi2_pdf(grid[i], fit));
  return gof / static_cast<double>(kGrid - first);
}

}  // namespace axon::quality
