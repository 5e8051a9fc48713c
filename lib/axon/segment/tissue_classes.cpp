#include "axon/segment/tissue_classes.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <numeric>

#include "axon/core/error.hpp"

namespace axon::segment {
namespace {

constexpr int64_t kBlock = 4096;  // fixed summation blocks: results independent of threads
constexpr int kBins = 1024;

// Sum of f(i) over [0, m) into `width` doubles, in fixed blocks combined in order.
template <class F>
std::vector<double> block_sum(int64_t m, int width, F f) {
  const int64_t blocks = (m + kBlock - 1) / kBlock;
  std::vector<double> partial(static_cast<std::size_t>(blocks * width), 0.0);
#pragma omp parallel for schedule(static)
  for (int64_t b = 0; b < blocks; ++b) {
    double* acc = partial.data() + b * width;
    for (int64_t i = b * kBlock; i < std::min(m, (b + 1) * kBlock); ++i) f(i, acc);
  }
  std::vector<double> total(static_cast<std::size_t>(width), 0.0);
  for (int64_t b = 0; b < blocks; ++b)
    for (int w = 0; w < width; ++w) total[w] += partial[static_cast<std::size_t>(b * width + w)];
  return total;
}

struct Histogram {
  double lo = 0, width = 1;
  std::vector<double> counts;
  double centre(int b) const { return lo + (b + 0.5) * width; }
};

Histogram histogram_of(const std::vector<float>& values, int bins) {
  Histogram h;
  const auto [mn, mx] = std::minmax_element(values.begin(), values.end());
  h.lo = *mn;
  h.width = std::max((static_cast<double>(*mx) - *mn) / bins, 1e-12);
  h.counts.assign(static_cast<std::size_t>(bins), 0.0);
  for (float v : values) h.counts[std::min(bins - 1, static_cast<int>((v - h.lo) / h.width))] += 1;
  return h;
}

// 1D k-means on a histogram (Lloyd), started from the quantiles (k+1/2)/K.
std::vector<double> kmeans_centres(const std::vector<float>& values, int classes) {
  const Histogram h = histogram_of(values, kBins);
  std::vector<double> centres(static_cast<std::size_t>(classes));
  const double total = static_cast<double>(values.size());
  double cum = 0;
  int k = 0;
  for (int b = 0; b < kBins && k < classes; ++b) {
    cum += h.counts[b];
    while (k < classes && cum >= (k + 0.5) / classes * total) centres[k++] = h.centre(b);
  }
  for (int it = 0; it < 100; ++it) {
    std::vector<double> s0(classes, 0), s1(classes, 0);
    for (int b = 0; b < kBins; ++b) {
      int best = 0;
      for (int c = 1; c < classes; ++c)
        if (std::abs(h.centre(b) - centres[c]) < std::abs(h.centre(b) - centres[best])) best = c;
      s0[best] += h.counts[b];
      s1[best] += h.counts[b] * h.centre(b);
    }
    double change = 0;
    for (int c = 0; c < classes; ++c)
      if (s0[c] > 0) {
        change = std::max(change, std::abs(s1[c] / s0[c] - centres[c]));
        centres[c] = s1[c] / s0[c];
      }
    if (change < 1e-9 * (1 + std::abs(centres.back()))) break;
  }
  std::sort(centres.begin(), centres.end());
  return centres;
}

}  // namespace

std::vector<double> otsu_thresholds(const std::vector<float>& values, int classes) {
  if (classes < 2 || classes > 4) throw UsageError("--init otsu supports 2 to 4 classes");
  const int bins = 128;
  const Histogram h = histogram_of(values, bins);
  std::vector<double> c0(bins + 1, 0), c1(bins + 1, 0);  // cumulative count and first moment
  for (int b = 0; b < bins; ++b) {
    c0[b + 1] = c0[b] + h.counts[b];
    c1[b + 1] = c1[b] + h.counts[b] * h.centre(b);
  }
  // Between-class variance of classes [t_j, t_{j+1}) is sum of S1^2 / S0.
  auto term = [&](int a, int b) { const double n = c0[b] - c0[a]; return n > 0 ? std::pow(c1[b] - c1[a], 2) / n : 0.0; };
  double best = -1;
  std::vector<int> cut(static_cast<std::size_t>(classes - 1)), best_cut;
  std::function<void(int, int, double)> search = [&](int j, int from, double acc) {
    if (j == classes - 1) {
      const double v = acc + term(from, bins);
      if (v > best) best = v, best_cut = cut;
      return;
    }
    for (int t = from + 1; t < bins - (classes - 2 - j); ++t) {
      cut[j] = t;
      search(j + 1, t, acc + term(from, t));
    }
  };
  search(0, 0, 0.0);
  std::vector<double> out;
  for (int t : best_cut) out.push_back(h.lo + t * h.width);
  return out;
}

TissueResult classify_tissues(const Image<float>& image, const std::vector<std::uint8_t>& mask,
                              const TissueOptions& o, const std::string& path) {
  const int K = o.classes;
  const int64_t nx = image.nx(), ny = image.ny(), nz = image.nz(), n = nx * ny * nz;
  std::vector<int64_t> vox;
  std::vector<int32_t> pos(static_cast<std::size_t>(n), -1);
  for (int64_t i = 0; i < n; ++i)
    if (mask[i]) {
      pos[i] = static_cast<int32_t>(vox.size());
      vox.push_back(i);
    }
  const int64_t m = static_cast<int64_t>(vox.size());
  if (m < 10 * K) throw InputError(path, "fewer than " + std::to_string(10 * K) + " voxels in the mask");
  std::vector<float> y(static_cast<std::size_t>(m));
  for (int64_t j = 0; j < m; ++j) y[j] = image.data[vox[j]];
  if (*std::max_element(y.begin(), y.end()) - *std::min_element(y.begin(), y.end()) <= 0)
    throw InputError(path, "the image is constant inside the mask: nothing to classify");

  // Neighbours in the mask (positions), -1 where outside.
  const int nb = o.neighbourhood == 26 ? 26 : 6;
  std::vector<std::array<int, 3>> offsets;
  for (int dz = -1; dz <= 1; ++dz)
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        const int manhattan = std::abs(dx) + std::abs(dy) + std::abs(dz);
        if (manhattan == 0 || (nb == 6 && manhattan != 1)) continue;
        offsets.push_back({dx, dy, dz});
      }
  auto neighbour = [&](int64_t j, const std::array<int, 3>& d) -> int32_t {
    const int64_t i = vox[j], x = i % nx + d[0], yy = i / nx % ny + d[1], z = i / (nx * ny) + d[2];
    if (x < 0 || yy < 0 || z < 0 || x >= nx || yy >= ny || z >= nz) return -1;
    return pos[(z * ny + yy) * nx + x];
  };
  // The MRF's neighbours of every mask voxel, looked up once (-1: outside).
  std::vector<int32_t> neighbours(static_cast<std::size_t>(m * nb));
#pragma omp parallel for schedule(static)
  for (int64_t j = 0; j < m; ++j)
    for (int q = 0; q < nb; ++q) neighbours[j * nb + q] = neighbour(j, offsets[q]);

  // Initial hard classes.
  std::vector<double> centres;
  if (o.init == TissueInit::otsu) {
    const auto t = otsu_thresholds(y, K);
    centres.assign(K, 0);
    std::vector<double> cnt(K, 0);
    for (float v : y) {
      const int c = static_cast<int>(std::upper_bound(t.begin(), t.end(), v) - t.begin());
      centres[c] += v, cnt[c] += 1;
    }
    for (int c = 0; c < K; ++c) centres[c] = cnt[c] > 0 ? centres[c] / cnt[c] : (c > 0 ? centres[c - 1] : y[0]);
  } else {
    centres = kmeans_centres(y, K);
  }
  std::vector<float> p(static_cast<std::size_t>(m * K), 0.f), p_next(p.size());
  for (int64_t j = 0; j < m; ++j) {
    int best = 0;
    for (int c = 1; c < K; ++c)
      if (std::abs(y[j] - centres[c]) < std::abs(y[j] - centres[best])) best = c;
    p[j * K + best] = 1.f;
  }

  // Cubic polynomial basis for the log bias field, coordinates in [-1, 1].
  std::vector<std::array<int, 3>> powers;
  for (int a = 0; a <= 3; ++a)
    for (int b = 0; a + b <= 3; ++b)
      for (int c = 0; a + b + c <= 3; ++c) powers.push_back({a, b, c});
  const int P = static_cast<int>(powers.size());
  // Powers 0..3 of the normalised coordinate along each axis, tabulated.
  std::array<std::vector<double>, 3> power_table;
  for (int a = 0; a < 3; ++a) {
    const int64_t count = a == 0 ? nx : a == 1 ? ny : nz;
    power_table[a].resize(static_cast<std::size_t>(count * 4));
    for (int64_t v = 0; v < count; ++v) {
      const double u = 2.0 * static_cast<double>(v) / static_cast<double>(std::max<int64_t>(count - 1, 1)) - 1;
      for (int e = 0; e < 4; ++e) power_table[a][v * 4 + e] = std::pow(u, e);
    }
  }
  auto basis = [&](int64_t j, double* out) {
    const int64_t i = vox[j];
    const double* px = &power_table[0][(i % nx) * 4];
    const double* py = &power_table[1][(i / nx % ny) * 4];
    const double* pz = &power_table[2][(i / (nx * ny)) * 4];
    for (int q = 0; q < P; ++q) out[q] = px[powers[q][0]] * py[powers[q][1]] * pz[powers[q][2]];
  };
  // The normal equations of the smooth field are summed over every
  // `stride`-th mask voxel: 20 coefficients of a cubic are fixed by far
  // fewer than the ~50 000 samples this keeps (this sum was the largest cost
  // of axon-motion score, at 200 000 samples per EM iteration).
  const int64_t stride = std::max<int64_t>(1, m / 50000);

  std::vector<float> yc = y, log_field(static_cast<std::size_t>(m), 0.f);
  std::vector<double> mu(K), var(K), pi(K);
  TissueResult r;
  for (int it = 0; it < o.max_iterations; ++it) {
    // M-step.
    const auto s = block_sum(m, 3 * K, [&](int64_t j, double* acc) {
      for (int c = 0; c < K; ++c) {
        const double w = p[j * K + c], v = yc[j];
        acc[3 * c] += w, acc[3 * c + 1] += w * v, acc[3 * c + 2] += w * v * v;
      }
    });
    const std::vector<double> old_mu = mu;
    for (int c = 0; c < K; ++c) {
      const double s0 = std::max(s[3 * c], 1e-9);
      mu[c] = s[3 * c + 1] / s0;
      var[c] = std::max(s[3 * c + 2] / s0 - mu[c] * mu[c], 1e-6 * (1 + mu[c] * mu[c]));
      pi[c] = std::max(s0 / static_cast<double>(m), 1e-6);
    }
    r.iterations = it + 1;
    if (it > 1) {
      double change = 0;
      for (int c = 0; c < K; ++c) change = std::max(change, std::abs(mu[c] - old_mu[c]) / (std::abs(old_mu[c]) + 1e-12));
      if (change < o.tolerance) break;
    }
    // Bias: weighted least squares fit of the log residual.
    if (o.bias) {
      const int width = P * P + P;
      const int64_t samples = (m + stride - 1) / stride;
      const auto ne = block_sum(samples, width, [&](int64_t sample, double* acc) {
        const int64_t j = sample * stride;
        if (y[j] <= 0) return;
        double pred = 0, precision = 0;
        for (int c = 0; c < K; ++c) {
          pred += p[j * K + c] * mu[c];
          precision += p[j * K + c] * mu[c] * mu[c] / var[c];  // 1 / variance of log(y)
        }
        if (pred <= 0) return;
        const double res = std::log(static_cast<double>(y[j])) - std::log(pred);
        double phi[20];
        basis(j, phi);
        for (int a = 0; a < P; ++a) {
          const double wa = precision * phi[a];
          for (int b = a; b < P; ++b) acc[a * P + b] += wa * phi[b];  // upper triangle; mirrored below
          acc[P * P + a] += wa * res;
        }
      });
      Eigen::MatrixXd A(P, P);
      Eigen::VectorXd rhs(P);
      for (int a = 0; a < P; ++a) {
        for (int b = 0; b < P; ++b) A(a, b) = ne[std::min(a, b) * P + std::max(a, b)];
        rhs[a] = ne[P * P + a];
      }
      A.diagonal().array() += 1e-9 * A.diagonal().maxCoeff();
      const Eigen::VectorXd coef = A.ldlt().solve(rhs);
      const auto mean = block_sum(m, 1, [&](int64_t j, double* acc) {
        double phi[20];
        basis(j, phi);
        double v = 0;
        for (int q = 0; q < P; ++q) v += coef[q] * phi[q];
        log_field[j] = static_cast<float>(v);
        acc[0] += v;
      });
      const double centre = mean[0] / static_cast<double>(m);  // keep the image's overall scale
#pragma omp parallel for schedule(static)
      for (int64_t j = 0; j < m; ++j) {
        log_field[j] = static_cast<float>(log_field[j] - centre);
        yc[j] = static_cast<float>(y[j] / std::exp(static_cast<double>(log_field[j])));
      }
    }
    // E-step with the mean-field Potts prior.
#pragma omp parallel for schedule(static)
    for (int64_t j = 0; j < m; ++j) {
      double l[16];
      double top = -INFINITY;
      for (int c = 0; c < K; ++c) {
        double field = 0;
        if (o.mrf_beta > 0)
          for (int q = 0; q < nb; ++q) {
            const int32_t k = neighbours[j * nb + q];
            if (k >= 0) field += p[static_cast<std::size_t>(k) * K + c];
          }
        const double dv = yc[j] - mu[c];
        l[c] = std::log(pi[c]) - 0.5 * std::log(var[c]) - dv * dv / (2 * var[c]) + o.mrf_beta * field;
        top = std::max(top, l[c]);
      }
      double total = 0;
      for (int c = 0; c < K; ++c) total += (l[c] = std::exp(l[c] - top));
      for (int c = 0; c < K; ++c) p_next[j * K + c] = static_cast<float>(l[c] / total);
    }
    std::swap(p, p_next);
  }

  // Number classes by increasing mean.
  std::vector<int> order(K);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return mu[a] < mu[b]; });
  r.means.resize(K), r.sds.resize(K), r.proportions.resize(K);
  for (int c = 0; c < K; ++c) {
    r.means[c] = mu[order[c]];
    r.sds[c] = std::sqrt(var[order[c]]);
    r.proportions[c] = pi[order[c]];
  }
  r.labels.assign(static_cast<std::size_t>(n), 0);
  r.posteriors.assign(static_cast<std::size_t>(n * K), 0.f);
  r.pve.assign(static_cast<std::size_t>(n * K), 0.f);
  r.bias.assign(static_cast<std::size_t>(n), 1.f);
  std::vector<int> hard(static_cast<std::size_t>(m));
  for (int64_t j = 0; j < m; ++j) {
    int best = 0;
    for (int c = 1; c < K; ++c)
      if (p[j * K + order[c]] > p[j * K + order[best]]) best = c;
    hard[j] = best;
    r.labels[vox[j]] = best + 1;
    r.bias[vox[j]] = std::exp(log_field[j]);
    for (int c = 0; c < K; ++c) r.posteriors[c * n + vox[j]] = p[j * K + order[c]];
  }
  // Partial volumes: a voxel whose 26 neighbours (in the mask) all share its
  // class is pure; at a boundary, the corrected intensity is unmixed
  // linearly between the two class means that bracket it, and the voxel's
  // label becomes the class with the larger fraction (FAST's hard
  // segmentation from the partial volumes, _pveseg): the posterior alone
  // weighs the classes' proportions and variances (inflated by the mixed
  // voxels), while the majority tissue is where the intensity passes the
  // midpoint of the two means.
  std::vector<std::array<int, 3>> all26;
  for (int dz = -1; dz <= 1; ++dz)
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx)
        if (dx || dy || dz) all26.push_back({dx, dy, dz});
#pragma omp parallel for schedule(static)
  for (int64_t j = 0; j < m; ++j) {
    bool boundary = false;
    for (const auto& d : all26) {
      const int32_t q = neighbour(j, d);
      if (q >= 0 && hard[q] != hard[j]) {
        boundary = true;
        break;
      }
    }
    const int64_t i = vox[j];
    if (!boundary) {
      r.pve[hard[j] * n + i] = 1.f;
      continue;
    }
    const double v = yc[j];
    if (v <= r.means[0]) {
      r.pve[i] = 1.f;
      r.labels[i] = 1;
    } else if (v >= r.means[K - 1]) {
      r.pve[(K - 1) * n + i] = 1.f;
      r.labels[i] = K;
    } else {
      int a = 0;
      while (a + 1 < K - 1 && v >= r.means[a + 1]) ++a;
      const double f = (v - r.means[a]) / (r.means[a + 1] - r.means[a]);
      r.pve[a * n + i] = static_cast<float>(1 - f);
      r.pve[(a + 1) * n + i] = static_cast<float>(f);
      r.labels[i] = f < 0.5 ? a + 1 : a + 2;  // the larger fraction, as FAST's _pveseg
    }
  }
  return r;
}

}  // namespace axon::segment
