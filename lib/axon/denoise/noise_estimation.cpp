#include "axon/denoise/noise_estimation.hpp"
#include "axon/image/mirror_index.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace axon::denoise {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kMadToSd = 1.4826022185056018;  // 1 / Phi^-1(0.75)

// SNR theta against r = mean / sd of the Rician variable: r^2 = (2 + theta^2) / xi - 1
// (Koay & Basser 2006, eq. 11 at its fixed point), tabulated once; r grows with theta.
struct KoayTable {
  static constexpr double kStep = 0.01, kMaxTheta = 40.0;
  std::vector<double> r, theta;
  KoayTable() {
    for (double t = 0; t <= kMaxTheta + 1e-9; t += kStep) {
      theta.push_back(t);
      r.push_back(std::sqrt(std::max((2 + t * t) / rician_variance_factor(t) - 1, 0.0)));
    }
  }
  double theta_for(double ratio) const {
    if (ratio <= r.front()) return 0;
    if (ratio >= r.back()) return ratio;  // xi = 1 to double precision: theta = mean / sd
    const auto hi = std::upper_bound(r.begin(), r.end(), ratio) - r.begin();
    const double f = (ratio - r[hi - 1]) / (r[hi] - r[hi - 1]);
    return theta[hi - 1] + f * (theta[hi] - theta[hi - 1]);
  }
};

double median_of(std::vector<float>& v) {
  const std::size_t n = v.size(), h = n / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(h), v.end());
  double m = v[h];
  if (n % 2 == 0) m = 0.5 * (m + *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(h)));
  return m;
}

// Coarse node positions along one axis: 0, stride, 2 stride, ..., and n - 1.
std::vector<int64_t> coarse_nodes(int64_t n, int stride) {
  std::vector<int64_t> nodes;
  for (int64_t i = 0; i < n; i += stride) nodes.push_back(i);
  if (nodes.back() != n - 1) nodes.push_back(n - 1);
  return nodes;
}

}  // namespace

double rician_variance_factor(double theta) {
  // xi = 2 + t^2 - pi/8 exp(-t^2/2) [(2 + t^2) I0(t^2/4) + t^2 I1(t^2/4)]^2, with
  // exp(-t^2/2) I(x)^2 = (exp(-x) I(x))^2, x = t^2/4 (no overflow up to t ~ 50).
  const double t2 = theta * theta, x = t2 / 4;
  const double scale = std::exp(-x);
  const double bracket = (2 + t2) * scale * std::cyl_bessel_i(0.0, x) + t2 * scale * std::cyl_bessel_i(1.0, x);
  return 2 + t2 - kPi / 8 * bracket * bracket;
}

double rician_sigma_from_moments(double mean, double sd) {
  static const KoayTable table;
  if (!(sd > 0)) return 0;
  const double theta = table.theta_for(mean / sd);
  return sd / std::sqrt(rician_variance_factor(std::min(theta, KoayTable::kMaxTheta)));
}

std::vector<float> pseudo_residuals(const float* volume, const Dims3& dims) {
  const int64_t nx = dims[0], ny = dims[1], nz = dims[2];
  std::vector<float> e(static_cast<std::size_t>(nx * ny * nz));
  const double scale = std::sqrt(6.0 / 7.0);
  auto at = [&](int64_t i, int64_t j, int64_t k) {
    return static_cast<double>(volume[(mirror_index(k, nz) * ny + mirror_index(j, ny)) * nx + mirror_index(i, nx)]);
  };
#pragma omp parallel for schedule(static)
  for (int64_t k = 0; k < nz; ++k)
    for (int64_t j = 0; j < ny; ++j)
      for (int64_t i = 0; i < nx; ++i) {
        const double neighbours = at(i - 1, j, k) + at(i + 1, j, k) + at(i, j - 1, k) + at(i, j + 1, k) +
                                  at(i, j, k - 1) + at(i, j, k + 1);
        e[static_cast<std::size_t>((k * ny + j) * nx + i)] =
            static_cast<float>(scale * (at(i, j, k) - neighbours / 6));
      }
  return e;
}

std::vector<float> estimate_noise_map(const float* volume, const Dims3& dims, const NoiseMapOptions& options) {
  if (options.radius < 1 || options.stride < 1) throw std::invalid_argument("noise map: radius and stride must be >= 1");
  const int64_t nx = dims[0], ny = dims[1], nz = dims[2];
  const std::vector<float> e = pseudo_residuals(volume, dims);
  const std::vector<int64_t> cx = coarse_nodes(nx, options.stride), cy = coarse_nodes(ny, options.stride),
                             cz = coarse_nodes(nz, options.stride);
  const int64_t mx = static_cast<int64_t>(cx.size()), my = static_cast<int64_t>(cy.size()),
                mz = static_cast<int64_t>(cz.size());
  std::vector<double> coarse(static_cast<std::size_t>(mx * my * mz));
  const int64_t r = options.radius;
#pragma omp parallel
  {
    std::vector<float> res, val;
#pragma omp for schedule(dynamic, 1)
    for (int64_t c = 0; c < mz; ++c)
      for (int64_t b = 0; b < my; ++b)
        for (int64_t a = 0; a < mx; ++a) {
          res.clear();
          val.clear();
          for (int64_t k = std::max<int64_t>(cz[c] - r, 0); k <= std::min(cz[c] + r, nz - 1); ++k)
            for (int64_t j = std::max<int64_t>(cy[b] - r, 0); j <= std::min(cy[b] + r, ny - 1); ++j)
              for (int64_t i = std::max<int64_t>(cx[a] - r, 0); i <= std::min(cx[a] + r, nx - 1); ++i) {
                const std::size_t v = static_cast<std::size_t>((k * ny + j) * nx + i);
                res.push_back(e[v]);
                val.push_back(volume[v]);
              }
          const double centre = median_of(res);
          for (float& x : res) x = static_cast<float>(std::abs(x - centre));
          const double spread = kMadToSd * median_of(res);
          double sigma = spread;
          // The median of the magnitude stands for its mean (Koay's moments):
          // robust to the edges a local cube straddles.
          if (options.model == NoiseModel::rician) sigma = rician_sigma_from_moments(median_of(val), spread);
          coarse[static_cast<std::size_t>((c * my + b) * mx + a)] = sigma;
        }
  }
  // Trilinear interpolation of the coarse grid.
  struct Lerp { int64_t lo; double f; };
  auto axis_weights = [](const std::vector<int64_t>& nodes, int64_t n) {
    std::vector<Lerp> w(static_cast<std::size_t>(n));
    std::size_t c = 0;
    for (int64_t i = 0; i < n; ++i) {
      while (c + 2 < nodes.size() && nodes[c + 1] <= i) ++c;
      const double span = nodes.size() > 1 ? static_cast<double>(nodes[c + 1] - nodes[c]) : 1.0;
      w[static_cast<std::size_t>(i)] = {static_cast<int64_t>(c), nodes.size() > 1 ? (i - nodes[c]) / span : 0.0};
    }
    return w;
  };
  const auto wx = axis_weights(cx, nx), wy = axis_weights(cy, ny), wz = axis_weights(cz, nz);
  auto node = [&](int64_t a, int64_t b, int64_t c) {
    return coarse[static_cast<std::size_t>((std::min(c, mz - 1) * my + std::min(b, my - 1)) * mx + std::min(a, mx - 1))];
  };
  std::vector<float> map(static_cast<std::size_t>(nx * ny * nz));
#pragma omp parallel for schedule(static)
  for (int64_t k = 0; k < nz; ++k)
    for (int64_t j = 0; j < ny; ++j)
      for (int64_t i = 0; i < nx; ++i) {
        const Lerp X = wx[static_cast<std::size_t>(i)], Y = wy[static_cast<std::size_t>(j)],
                   Z = wz[static_cast<std::size_t>(k)];
        double s = 0;
        for (int dz = 0; dz < 2; ++dz)
          for (int dy = 0; dy < 2; ++dy)
            for (int dx = 0; dx < 2; ++dx)
              s += (dx ? X.f : 1 - X.f) * (dy ? Y.f : 1 - Y.f) * (dz ? Z.f : 1 - Z.f) *
                   node(X.lo + dx, Y.lo + dy, Z.lo + dz);
        map[static_cast<std::size_t>((k * ny + j) * nx + i)] = static_cast<float>(s);
      }
  return map;
}

double summarize_noise_map(const std::vector<float>& map) {
  std::vector<float> positive;
  for (float s : map)
    if (s > 0) positive.push_back(s);
  if (positive.empty()) return 0;
  return median_of(positive);
}

}  // namespace axon::denoise
