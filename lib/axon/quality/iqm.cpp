#include "axon/quality/iqm.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <future>
#include <limits>

#include "axon/core/error.hpp"
#include "axon/core/percentile.hpp"
#include "axon/image/grid.hpp"
#include "axon/quality/tissue_classes.hpp"

namespace axon::quality {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kDietrichFactor = 0.6551364;  // 1 / sqrt(2 / (4 - pi)), MRIQC's constant
constexpr double kMadScale = 0.6744897501960817;  // Phi^-1(3/4), statsmodels' mad normalisation

double median_of(std::vector<double> v) { return percentile_linear(v, 50); }

std::vector<double> values_in(const Image<float>& image, const ByteMask& mask) {
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(std::count(mask.begin(), mask.end(), 1)));
  for (std::size_t v = 0; v < mask.size(); ++v)
    if (mask[v]) out.push_back(image.data[v]);
  return out;
}

// Binary erosion by scipy's generate_binary_structure(3, connectivity): the
// voxel and its neighbours at most `connectivity` steps away along the axes
// (1: the 6-neighbour cross, 2: the 18 face and edge neighbours); outside
// the volume counts as 0 (scipy.ndimage.binary_erosion's border_value).
// With `dilate`, binary dilation by the same structure instead.
ByteMask morphology_step(const ByteMask& m, const int64_t dims[3], int connectivity, bool dilate) {
  const int64_t nx = dims[0], ny = dims[1], nz = dims[2];
  std::vector<std::array<int, 3>> offsets;
  for (int dz = -1; dz <= 1; ++dz)
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx)
        if (std::abs(dx) + std::abs(dy) + std::abs(dz) <= connectivity) offsets.push_back({dx, dy, dz});
  std::vector<int64_t> steps;
  for (const auto& d : offsets) steps.push_back((d[2] * ny + d[1]) * nx + d[0]);
  // Erosion keeps a voxel whose every neighbour is set; dilation sets a
  // voxel with any neighbour set: the value that decides is `decisive`.
  const std::uint8_t decisive = dilate ? 1 : 0;
  ByteMask out(m.size());
#pragma omp parallel for schedule(static)
  for (int64_t k = 0; k < nz; ++k)
    for (int64_t j = 0; j < ny; ++j) {
      const bool inner_line = j > 0 && k > 0 && j + 1 < ny && k + 1 < nz;
      for (int64_t i = 0; i < nx; ++i) {
        const int64_t v = (k * ny + j) * nx + i;
        std::uint8_t result = !decisive;
        if (inner_line && i > 0 && i + 1 < nx) {
          for (int64_t s : steps)
            if ((m[v + s] != 0) == (decisive != 0)) {
              result = decisive;
              break;
            }
        } else {
          for (const auto& d : offsets) {
            const int64_t a = i + d[0], b = j + d[1], c = k + d[2];
            const bool in = a >= 0 && b >= 0 && c >= 0 && a < nx && b < ny && c < nz && m[(c * ny + b) * nx + a];
            if (in == (decisive != 0)) {
              result = decisive;
              break;
            }
          }
        }
        out[v] = result;
      }
    }
  return out;
}

// Erosion then dilation by the 6-neighbour cross
// (scipy.ndimage.binary_opening with generate_binary_structure(3, 1)).
ByteMask binary_opening_cross(const ByteMask& m, int64_t nx, int64_t ny, int64_t nz) {
  const int64_t dims[3] = {nx, ny, nz};
  return morphology_step(morphology_step(m, dims, 1, false), dims, 1, true);
}
}  // namespace

SummaryStats summary_stats(std::vector<double> v) {
  SummaryStats s;
  s.n = static_cast<double>(v.size());
  if (v.empty()) {
    s.mean = s.stdv = s.median = s.mad = s.k = s.p05 = s.p95 = kNaN;
    return s;
  }
  double sum = 0;
  for (double x : v) sum += x;
  s.mean = sum / s.n;
  double m2 = 0, m4 = 0;
  for (double x : v) {
    const double d = (x - s.mean) * (x - s.mean);
    m2 += d, m4 += d * d;
  }
  m2 /= s.n, m4 /= s.n;
  s.stdv = std::sqrt(m2);
  s.k = m2 > 0 ? m4 / (m2 * m2) - 3.0 : kNaN;
  s.median = percentile_linear(v, 50);
  s.p05 = percentile_linear(v, 5);
  s.p95 = percentile_linear(v, 95);
  std::vector<double> dev(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) dev[i] = std::abs(v[i] - s.median);
  s.mad = median_of(std::move(dev)) / kMadScale;
  return s;
}

ArtefactMasks artefact_masks(const Image<float>& image, const ByteMask& head, double distance_mm) {
  const int64_t dims[3] = {image.nx(), image.ny(), image.nz()};
  const Eigen::Vector3d spacing = grid_of(image.header).spacing();
  int64_t radius[3];
  for (int a = 0; a < 3; ++a) radius[a] = static_cast<int64_t>(std::lround(distance_mm / std::max(spacing[a], 1e-6)));
  const ByteMask near = dilate_box(head, dims, radius);
  ArtefactMasks m;
  m.air.assign(head.size(), 0);
  std::vector<double> positive;
  for (std::size_t v = 0; v < head.size(); ++v)
    if (!near[v]) {
      m.air[v] = 1;
      if (image.data[v] > 0) positive.push_back(image.data[v]);
    }
  ByteMask above(head.size(), 0);
  if (!positive.empty()) {
    const SummaryStats s = summary_stats(positive);
    const double threshold = s.median + 10.0 * s.mad;
    for (std::size_t v = 0; v < head.size(); ++v) above[v] = m.air[v] && image.data[v] > threshold;
  }
  m.artefact = binary_opening_cross(above, dims[0], dims[1], dims[2]);
  return m;
}

std::array<double, 3> fwhm_voxels(const Image<float>& image, const ByteMask& mask) {
  const int64_t nx = image.nx(), ny = image.ny(), nz = image.nz();
  const int64_t strides[3] = {1, nx, nx * ny};
  const int64_t dims[3] = {nx, ny, nz};
  double sum = 0, sq = 0, count = 0;
  for (std::size_t v = 0; v < mask.size(); ++v)
    if (mask[v]) sum += image.data[v], sq += static_cast<double>(image.data[v]) * image.data[v], count += 1;
  std::array<double, 3> out{kNaN, kNaN, kNaN};
  if (count < 2) return out;
  const double mean = sum / count, var = sq / count - mean * mean;
  for (int a = 0; a < 3; ++a) {
    double dsum = 0, dsq = 0, dn = 0;
    for (int64_t k = 0; k < nz; ++k)
      for (int64_t j = 0; j < ny; ++j)
        for (int64_t i = 0; i < nx; ++i) {
          const int64_t idx[3] = {i, j, k};
          if (idx[a] + 1 >= dims[a]) continue;
          const int64_t v = (k * ny + j) * nx + i, w = v + strides[a];
          if (!mask[v] || !mask[w]) continue;
          const double d = static_cast<double>(image.data[w]) - image.data[v];
          dsum += d, dsq += d * d, dn += 1;
        }
    if (dn < 2 || !(var > 0)) continue;
    const double dmean = dsum / dn, dvar = dsq / dn - dmean * dmean;
    const double rho = 1.0 - dvar / (2.0 * var);
    if (rho > 0 && rho < 1) out[a] = std::sqrt(-2.0 * std::log(2.0) / std::log(rho));
  }
  return out;
}

std::vector<double> inu_field(const Image<float>& image, const IqmMasks& masks) {
  const int64_t nx = image.nx(), ny = image.ny(), nz = image.nz();
  auto basis = [&](int64_t v, double* b) {
    const int64_t i = v % nx, j = (v / nx) % ny, k = v / (nx * ny);
    const double x = nx > 1 ? 2.0 * i / (nx - 1) - 1 : 0, y = ny > 1 ? 2.0 * j / (ny - 1) - 1 : 0,
                 z = nz > 1 ? 2.0 * k / (nz - 1) - 1 : 0;
    const double terms[10] = {1, x, y, z, x * x, y * y, z * z, x * y, x * z, y * z};
    std::copy(terms, terms + 10, b);
  };
  Eigen::Matrix<double, 10, 10> ata = Eigen::Matrix<double, 10, 10>::Zero();
  Eigen::Matrix<double, 10, 1> atb = Eigen::Matrix<double, 10, 1>::Zero();
  double b[10];
  std::size_t used = 0;
  for (std::size_t v = 0; v < masks.tissue.size(); ++v) {
    if (masks.tissue[v] != kWm || !(image.data[v] > 0)) continue;
    basis(static_cast<int64_t>(v), b);
    const Eigen::Map<const Eigen::Matrix<double, 10, 1>> row(b);
    ata.noalias() += row * row.transpose();
    atb.noalias() += row * std::log(static_cast<double>(image.data[v]));
    ++used;
  }
  std::vector<double> field;
  if (used < 10) return field;
  const Eigen::Matrix<double, 10, 1> coef = ata.ldlt().solve(atb);
  for (std::size_t v = 0; v < masks.brain.size(); ++v) {
    if (!masks.brain[v]) continue;
    basis(static_cast<int64_t>(v), b);
    field.push_back(Eigen::Map<const Eigen::Matrix<double, 10, 1>>(b).dot(coef));
  }
  const double med = median_of(field);
  for (double& f : field) f = std::exp(f - med);
  return field;
}

double entropy_focus_criterion(const Image<float>& image) {
  const std::size_t n = image.data.size();
  double energy = 0;
  for (float x : image.data) energy += std::max(0.0, static_cast<double>(x)) * std::max(0.0, static_cast<double>(x));
  const double bmax = std::sqrt(energy), nvox = static_cast<double>(n);
  const double efc_max = nvox * (1.0 / std::sqrt(nvox)) * std::log(1.0 / std::sqrt(nvox));
  double e = 0;
  for (float x : image.data) {
    if (!(x > 0)) continue;  // its term is (-)0: skipping it leaves the sum as it is
    const double xv = static_cast<double>(x);
    e += (xv / bmax) * std::log((xv + 1e-16) / bmax);
  }
  return bmax > 0 ? e / efc_max : kNaN;
}

namespace {

// MRIQC's volume_fraction (icvs_*) and rpve (rpve_*) from the partial-volume
// maps and the hard labels (mriqc.qc.anatomical).
void partial_volume_iqms(const IqmMasks& masks, std::map<std::string, double>& q) {
  const std::size_t n = masks.tissue.size();
  const char* names[3] = {"csf", "gm", "wm"};
  double sums[3] = {0, 0, 0}, total = 0;
  for (int c = 0; c < 3; ++c) {
    for (std::size_t v = 0; v < n; ++v) sums[c] += masks.pve[c * n + v];
    total += sums[c];
  }
  for (int c = 0; c < 3; ++c) q[std::string("icvs_") + names[c]] = total > 0 ? sums[c] / total : kNaN;
  for (int c = 0; c < 3; ++c) {
    // The class's fraction where it is the label; fractions >= 1 (pure
    // voxels) and < 0 become 0, and so do those outside the 2nd-98th
    // percentiles of the positive ones; then the fractions above 0.5 count
    // as themselves, the rest as 1 - fraction, over the count of positives.
    std::vector<double> pv;
    for (std::size_t v = 0; v < n; ++v)
      if (masks.tissue[v] == c + 1) {
        const double f = masks.pve[c * n + v];
        pv.push_back(f < 0 || f >= 1 ? 0.0 : f);
      }
    std::vector<double> positive;
    for (double f : pv)
      if (f > 0) positive.push_back(f);
    const std::string name = std::string("rpve_") + names[c];
    if (positive.empty()) {
      q[name] = kNaN;
      continue;
    }
    const double hi = percentile_linear(positive, 98), lo = percentile_linear(positive, 2);
    double sum = 0;
    for (double f : pv) {
      const double g = (f < lo || f > hi) ? 0.0 : f;
      sum += g > 0.5 ? g : 1.0 - g;
    }
    q[name] = sum / static_cast<double>(positive.size());
  }
}

}  // namespace

std::map<std::string, double> compute_iqms(const Image<float>& given, const IqmMasks& masks,
                                           const ArtefactMasks* artefacts) {
  const std::size_t n = given.data.size();
  if (masks.head.size() != n || masks.brain.size() != n || masks.tissue.size() != n ||
      !(masks.pve.empty() || masks.pve.size() == 3 * n) || !(masks.bias.empty() || masks.bias.size() == n))
    throw std::invalid_argument("compute_iqms: masks and image differ in size");
  const int64_t dims[3] = {given.nx(), given.ny(), given.nz()};
  // MRIQC computes the intensity statistics on the bias-corrected image.
  Image<float> corrected_storage;
  if (!masks.bias.empty()) {
    corrected_storage.header = given.header;
    corrected_storage.data.resize(n);
    for (std::size_t v = 0; v < n; ++v)
      corrected_storage.data[v] = std::max(0.f, static_cast<float>(given.data[v] / masks.bias[v]));
  }
  const Image<float>& image = masks.bias.empty() ? given : corrected_storage;
  std::map<std::string, double> q;
  // qi_1 and fwhm (on the image as given) are independent of the rest:
  // computed beside it.
  struct OnGiven {
    double qi_1;
    std::array<double, 3> fwhm;
  };
  std::future<OnGiven> on_given = std::async(std::launch::async, [&] {
    ArtefactMasks computed;
    if (!artefacts) computed = artefact_masks(given, masks.head);
    const ArtefactMasks& art = artefacts ? *artefacts : computed;
    double air_count = 0, art_count = 0;
    for (std::size_t v = 0; v < n; ++v) air_count += art.air[v], art_count += art.artefact[v];
    return OnGiven{air_count < 1 ? -1.0 : art_count / air_count, fwhm_voxels(given, masks.brain)};
  });
  // Summary statistics: bg = air (not head), tissues from the labels, or
  // with partial volumes MRIQC's summary_stats masks (fraction > 0.85,
  // eroded at voxels under 1.9 mm).
  const Eigen::Vector3d spacing = grid_of(given.header).spacing();
  const bool erode = !masks.pve.empty() && spacing.maxCoeff() < 1.9;
  ByteMask air(n);
  for (std::size_t v = 0; v < n; ++v) air[v] = masks.head[v] ? 0 : 1;
  std::map<std::string, SummaryStats> stats;
  stats["bg"] = summary_stats(values_in(image, erode ? morphology_step(air, dims, 2, false) : air));
  if (stats["bg"].n < 1000) {  // MRIQC: a (near) empty air mask gives zeros
    const double nb = stats["bg"].n;
    stats["bg"] = SummaryStats{};
    stats["bg"].n = nb;
  }
  const char* names[3] = {"csf", "gm", "wm"};
  for (int c = 0; c < 3; ++c) {
    ByteMask m(n);
    if (masks.pve.empty())
      for (std::size_t v = 0; v < n; ++v) m[v] = masks.tissue[v] == c + 1;
    else
      for (std::size_t v = 0; v < n; ++v) m[v] = masks.pve[c * n + v] > 0.85;  // in double, as numpy
    stats[names[c]] = summary_stats(values_in(image, erode ? morphology_step(m, dims, 2, false) : m));
  }
  for (const auto& [region, s] : stats) {
    const std::string p = "summary_" + region + "_";
    q[p + "mean"] = s.mean, q[p + "stdv"] = s.stdv, q[p + "median"] = s.median, q[p + "mad"] = s.mad;
    q[p + "k"] = s.k, q[p + "p05"] = s.p05, q[p + "p95"] = s.p95, q[p + "n"] = s.n;
  }
  const SummaryStats &bg = stats["bg"], &gm = stats["gm"], &wm = stats["wm"];
  double snr_sum = 0, snrd_sum = 0;
  for (const char* t : names) {
    const SummaryStats& s = stats[t];
    const double snr = s.median / (s.stdv * std::sqrt(s.n / (s.n - 1)));
    double snrd;
    if (bg.mad > 1.0) snrd = kDietrichFactor * s.median / bg.mad;
    else snrd = bg.stdv > 1e-3 ? kDietrichFactor * s.median / bg.stdv : -1.0;
    q[std::string("snr_") + t] = snr, q[std::string("snrd_") + t] = snrd;
    snr_sum += snr, snrd_sum += snrd;
  }
  q["snr_total"] = snr_sum / 3, q["snrd_total"] = snrd_sum / 3;
  q["cnr"] = std::abs(wm.median - gm.median) / std::sqrt(bg.stdv * bg.stdv + gm.stdv * gm.stdv + wm.stdv * wm.stdv);
  q["cjv"] = (wm.mad + gm.mad) / std::abs(wm.median - gm.median);

  // EFC over every voxel (negative values, which a magnitude image cannot
  // have, are taken as 0).
  q["efc"] = entropy_focus_criterion(image);

  // FBER: medians of the energy in the head and in the air.
  // (Selected on |x| as float, squared after: the same order, half the memory.)
  std::vector<float> fg_abs, bg_abs;
  for (std::size_t v = 0; v < n; ++v) (masks.head[v] ? fg_abs : bg_abs).push_back(std::abs(image.data[v]));
  const auto square = [](float x) { return static_cast<double>(x) * x; };
  const double fg_mu = percentile_linear(fg_abs, 50, square), bg_mu = percentile_linear(bg_abs, 50, square);
  q["fber"] = (bg_abs.empty() || bg_mu < 1e-3) ? -1.0 : fg_mu / bg_mu;

  std::vector<float> all(image.data.begin(), image.data.end());
  q["wm2max"] = wm.median / percentile_linear(all, 99.95);

  const OnGiven from_given = on_given.get();
  q["qi_1"] = from_given.qi_1;
  const auto& fwhm = from_given.fwhm;
  q["fwhm_x"] = fwhm[0], q["fwhm_y"] = fwhm[1], q["fwhm_z"] = fwhm[2];
  q["fwhm_avg"] = (fwhm[0] + fwhm[1] + fwhm[2]) / 3;

  std::vector<double> field;
  if (masks.bias.empty()) {
    field = inu_field(given, masks);
  } else {
    for (std::size_t v = 0; v < n; ++v)
      if (masks.tissue[v] > 0) field.push_back(masks.bias[v]);
  }
  q["inu_med"] = percentile_linear(field, 50);
  q["inu_range"] = std::abs(percentile_linear(field, 95) - percentile_linear(field, 5));
  if (!masks.pve.empty()) partial_volume_iqms(masks, q);
  return q;
}

std::map<std::string, double> model_input_iqms(const Image<float>& image, const ByteMask& head, const ByteMask* brain) {
  const auto fwhm = fwhm_voxels(image, brain ? *brain : default_brain_mask(image, head));
  return {{"efc", entropy_focus_criterion(image)},
          {"fwhm_x", fwhm[0]},
          {"fwhm_y", fwhm[1]},
          {"fwhm_z", fwhm[2]},
          {"fwhm_avg", (fwhm[0] + fwhm[1] + fwhm[2]) / 3}};
}

IqmMasks default_iqm_masks(const Image<float>& image, const ByteMask* brain) {
  IqmMasks m;
  m.head = head_mask(image);
  m.brain = brain ? *brain : default_brain_mask(image, m.head);
  std::size_t count = 0;
  for (auto v : m.brain) count += v;
  if (count == 0) throw InputError("", "the brain mask is empty");
  m.tissue = kmeans_tissue_split(image.data.data(), m.brain).labels;
  return m;
}

}  // namespace axon::quality
