#include "axon/denoise/nlm.hpp"
#include "axon/image/mirror_index.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace axon::denoise {

namespace {

// The volume with a mirrored border of `pad` voxels (P + M), so every block
// of every candidate in a search cube can be read without bounds checks.
struct Padded {
  int64_t nx, ny, nz, pad;
  std::vector<float> data;
  Padded(const float* volume, const Dims3& dims, int64_t pad_)
      : nx(dims[0] + 2 * pad_), ny(dims[1] + 2 * pad_), nz(dims[2] + 2 * pad_), pad(pad_) {
    data.resize(static_cast<std::size_t>(nx * ny * nz));
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < nz; ++k)
      for (int64_t j = 0; j < ny; ++j)
        for (int64_t i = 0; i < nx; ++i)
          data[static_cast<std::size_t>((k * ny + j) * nx + i)] =
              volume[(mirror_index(k - pad, dims[2]) * dims[1] + mirror_index(j - pad, dims[1])) * dims[0] +
                     mirror_index(i - pad, dims[0])];
  }
  // padded index of volume voxel (i, j, k); valid for i in [-pad, n + pad)
  int64_t at(int64_t i, int64_t j, int64_t k) const { return ((k + pad) * ny + j + pad) * nx + i + pad; }
};

// Pre-selection test of Coupe 2008, eq. 9, as a ratio band (lo, 1 / lo).
// Non-positive means (Gaussian data can go negative) pass only when equal;
// zero variances (a constant block) pass only against another constant one.
// NaN (a candidate outside the volume) never passes.
inline bool within_ratio(float a, float b, float lo) {
  if (a > 0 && b > 0) return a > lo * b && b > lo * a;
  return a == b;
}

// Weights below exp(-kMaxExponent) of a perfect match are set to 0. Besides
// saving the work, cutting the long tail of tiny weights of dissimilar
// blocks reduces the blur they add (the PSNR on the test volumes rises).
constexpr float kMaxExponent = 5.0f;

// exp(-t) on [0, kMaxExponent] from a table with linear interpolation
// (relative error below 1e-6): the weight is the inner loop's only
// transcendental, and libm's expf measured as a large share of the time.
class NegExpTable {
 public:
  static constexpr int kSize = 8192;
  NegExpTable() {
    for (int i = 0; i <= kSize; ++i) table_[i] = std::exp(-static_cast<float>(i) * kMaxExponent / kSize);
  }
  float operator()(float t) const {
    const float x = t * (kSize / kMaxExponent);
    const int i = std::min(static_cast<int>(x), kSize - 1);
    const float f = x - static_cast<float>(i);
    return table_[i] + f * (table_[i + 1] - table_[i]);
  }

 private:
  float table_[kSize + 1];
};

}  // namespace

std::vector<float> nlm_denoise(const float* volume, const Dims3& dims, const std::vector<float>& sigma,
                               const std::vector<std::uint8_t>& mask, const NlmOptions& options) {
  const int64_t nx = dims[0], ny = dims[1], nz = dims[2], n = nx * ny * nz;
  const int64_t P = options.patch_radius, M = options.search_radius;
  if (P < 1 || P > 3 || M < 1)
    throw std::invalid_argument("nlm: the patch radius must be 1 to 3 and the search radius >= 1");
  if (static_cast<int64_t>(sigma.size()) != n || (!mask.empty() && static_cast<int64_t>(mask.size()) != n))
    throw std::invalid_argument("nlm: sigma map or mask of the wrong size");
  const bool rician = options.model == NoiseModel::rician;

  const Padded u(volume, dims, P + M);
  std::vector<int64_t> offsets;  // block voxels, relative to the centre, in the padded volume
  for (int64_t c = -P; c <= P; ++c)
    for (int64_t b = -P; b <= P; ++b)
      for (int64_t a = -P; a <= P; ++a) offsets.push_back((c * u.ny + b) * u.nx + a);
  const std::size_t block = offsets.size();
  // What is averaged: the intensities, or their squares for Rician data.
  std::vector<float> averaged(u.data);
  if (rician)
    for (float& x : averaged) x *= x;

  // Block means and variances for the pre-selection, in the padded layout;
  // NaN outside the volume, so those candidates are never selected.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> mean(u.data.size(), nan), var(u.data.size(), nan);
#pragma omp parallel for schedule(static)
  for (int64_t k = 0; k < nz; ++k)
    for (int64_t j = 0; j < ny; ++j)
      for (int64_t i = 0; i < nx; ++i) {
        const std::size_t p = static_cast<std::size_t>(u.at(i, j, k));
        double s = 0, s2 = 0;
        for (int64_t o : offsets) {
          const double x = u.data[p + static_cast<std::size_t>(o)];
          s += x;
          s2 += x * x;
        }
        const double m = s / static_cast<double>(block);
        mean[p] = static_cast<float>(m);
        var[p] = static_cast<float>(std::max(s2 / static_cast<double>(block) - m * m, 0.0));
      }

  // Sum of block restorations and their count, per voxel.
  std::vector<double> sum(static_cast<std::size_t>(n), 0.0);
  std::vector<std::uint16_t> count(static_cast<std::size_t>(n), 0);
  auto touches_mask = [&](int64_t i, int64_t j, int64_t k) {
    if (mask.empty()) return true;
    for (int64_t c = std::max<int64_t>(k - P, 0); c <= std::min(k + P, nz - 1); ++c)
      for (int64_t b = std::max<int64_t>(j - P, 0); b <= std::min(j + P, ny - 1); ++b)
        for (int64_t a = std::max<int64_t>(i - P, 0); a <= std::min(i + P, nx - 1); ++a)
          if (mask[static_cast<std::size_t>((c * ny + b) * nx + a)]) return true;
    return false;
  };

  static const NegExpTable neg_exp;
  const float mu1 = static_cast<float>(options.mean_ratio), s1 = static_cast<float>(options.variance_ratio);
  const int64_t L = 2 * M + 1;  // candidates along one x row of the search cube
  // z-centres 0, 2, 4, ...: centres kz and kz' (in steps of 2) have disjoint
  // blocks when |kz - kz'| > P, so each phase runs slabs that never share a voxel.
  const int64_t zcentres = (nz + 1) / 2;
  for (int64_t phase = 0; phase <= P; ++phase) {
#pragma omp parallel
    {
      // acc[o * L + l]: the weighted sum of block voxel o of the candidates in
      // lane l (x offset l - M); the lanes are added up once per block.
      std::vector<float> acc(block * static_cast<std::size_t>(L)), ssd(static_cast<std::size_t>(L)),
          w(static_cast<std::size_t>(L));
      std::vector<double> estimate(block);
#pragma omp for schedule(dynamic, 1)
      for (int64_t kz = phase; kz < zcentres; kz += P + 1) {
        const int64_t z = 2 * kz;
        for (int64_t y = 0; y < ny; y += 2)
          for (int64_t x = 0; x < nx; x += 2) {
            if (!touches_mask(x, y, z)) continue;
            const std::size_t vi = static_cast<std::size_t>((z * ny + y) * nx + x);
            const int64_t pi = u.at(x, y, z);
            const float* bi = u.data.data() + pi;
            std::fill(acc.begin(), acc.end(), 0.0f);
            const double s = sigma[vi];
            float wsum = 0, wmax = 0;
            if (s > 0) {
              const float inv_h2 = static_cast<float>(1.0 / (2.0 * options.beta * s * s * static_cast<double>(block)));
              const float cutoff = kMaxExponent / inv_h2;
              const float mi = mean[static_cast<std::size_t>(pi)], vari = var[static_cast<std::size_t>(pi)];
              for (int64_t k = z - M; k <= z + M; ++k)
                for (int64_t j = y - M; j <= y + M; ++j) {
                  const int64_t row = u.at(x - M, j, k);  // padded index of lane 0
                  bool any = false;
                  for (int64_t l = 0; l < L; ++l) {
                    const std::size_t pj = static_cast<std::size_t>(row + l);
                    const bool ok = within_ratio(mi, mean[pj], mu1) && within_ratio(vari, var[pj], s1);
                    w[static_cast<std::size_t>(l)] = ok ? 1.0f : 0.0f;
                    any |= ok;
                  }
                  if (k == z && j == y) w[static_cast<std::size_t>(M)] = 0;  // the block itself: below
                  if (!any) continue;
                  // Block distances of the whole row of candidates at once (vectorizes over l).
                  std::fill(ssd.begin(), ssd.end(), 0.0f);
                  for (std::size_t o = 0; o < block; ++o) {
                    const float ci = bi[offsets[o]];
                    const float* r = u.data.data() + row + offsets[o];
#pragma omp simd
                    for (int64_t l = 0; l < L; ++l) {
                      const float d = ci - r[l];
                      ssd[static_cast<std::size_t>(l)] += d * d;
                    }
                  }
                  bool weighted = false;
                  for (int64_t l = 0; l < L; ++l) {
                    float& wl = w[static_cast<std::size_t>(l)];
                    const float dl = ssd[static_cast<std::size_t>(l)];
                    wl = (wl > 0 && dl < cutoff) ? neg_exp(dl * inv_h2) : 0.0f;
                    wsum += wl;
                    wmax = std::max(wmax, wl);
                    weighted |= wl > 0;
                  }
                  if (!weighted) continue;
                  for (std::size_t o = 0; o < block; ++o) {
                    const float* r = averaged.data() + row + offsets[o];
                    float* a = acc.data() + o * static_cast<std::size_t>(L);
#pragma omp simd
                    for (int64_t l = 0; l < L; ++l) a[l] += w[static_cast<std::size_t>(l)] * r[l];
                  }
                }
            }
            // The block itself takes the largest weight of the others (Coupe 2008,
            // sec. II-B); with no similar block (or no noise) it stays as it is.
            if (wsum == 0) wmax = 1;
            const double norm = 1.0 / (static_cast<double>(wsum) + wmax);
            for (std::size_t o = 0; o < block; ++o) {
              double e = static_cast<double>(wmax) * averaged[static_cast<std::size_t>(pi + offsets[o])];
              for (int64_t l = 0; l < L; ++l) e += acc[o * static_cast<std::size_t>(L) + static_cast<std::size_t>(l)];
              estimate[o] = e * norm;
            }
            std::size_t o = 0;
            for (int64_t c = z - P; c <= z + P; ++c)
              for (int64_t b = y - P; b <= y + P; ++b)
                for (int64_t a = x - P; a <= x + P; ++a, ++o) {
                  if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz) continue;
                  const std::size_t v = static_cast<std::size_t>((c * ny + b) * nx + a);
                  sum[v] += estimate[o];
                  ++count[v];
                }
          }
      }
    }
  }

  std::vector<float> out(static_cast<std::size_t>(n));
#pragma omp parallel for schedule(static)
  for (int64_t v = 0; v < n; ++v) {
    const std::size_t w = static_cast<std::size_t>(v);
    if (count[w] == 0 || (!mask.empty() && !mask[w])) {
      out[w] = volume[w];
      continue;
    }
    const double m = sum[w] / count[w];
    out[w] = static_cast<float>(rician ? std::sqrt(std::max(m - 2.0 * sigma[w] * sigma[w], 0.0)) : m);
  }
  return out;
}

}  // namespace axon::denoise
