#include "axon/quality/training_samples.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "axon/core/error.hpp"
#include "axon/core/random.hpp"
#include "axon/denoise/image_quality.hpp"
#include "axon/image/grid.hpp"
#include "axon/quality/augmentation.hpp"
#include "axon/quality/features.hpp"
#include "axon/quality/head_masks.hpp"
#include "axon/quality/iqm.hpp"
#include "axon/quality/slice_features.hpp"

namespace axon::quality {

namespace {
// A random box inside the head's bounding box (see SampleSettings::crop_probability);
// never fewer than 16 voxels along an axis (SSIM needs 11): where the head is
// narrower, the box is centred on it, within the volume.
Image<float> crop_inside_head(const Image<float>& volume, Rng& rng) {
  const ByteMask head = head_mask(volume);
  std::array<int64_t, 3> lo{volume.nx(), volume.ny(), volume.nz()}, hi{-1, -1, -1};
  for (int64_t k = 0; k < volume.nz(); ++k)
    for (int64_t j = 0; j < volume.ny(); ++j)
      for (int64_t i = 0; i < volume.nx(); ++i)
        if (head[volume.index(i, j, k)]) {
          const int64_t c[3] = {i, j, k};
          for (int a = 0; a < 3; ++a) lo[a] = std::min(lo[a], c[a]), hi[a] = std::max(hi[a], c[a]);
        }
  const std::array<int64_t, 3> dims{volume.nx(), volume.ny(), volume.nz()};
  std::array<int64_t, 3> start{}, size{};
  for (int a = 0; a < 3; ++a) {
    const int64_t extent = hi[a] - lo[a] + 1;
    const double fraction = rng.uniform(0.25, 1.0);
    if (extent <= 0) return volume;
    size[a] = std::min(dims[a], std::max<int64_t>(16, std::llround(fraction * extent)));
    const int64_t offset = rng.uniform_int(0, std::max<int64_t>(0, extent - size[a]));
    start[a] = size[a] <= extent ? lo[a] + offset : std::clamp(lo[a] - (size[a] - extent) / 2, int64_t{0}, dims[a] - size[a]);
  }
  return crop_field_of_view(volume, start, size);
}
}  // namespace

Sample make_sample(const Image<float>& clean, const SampleSettings& s, std::uint64_t seed, std::uint64_t id) {
  Rng rng = Rng::stream(seed, id);
  Image<float> reference, uncropped;
  const bool augment_this = s.augment && (s.augment_probability >= 1.0 || rng.uniform() < s.augment_probability);
  if (augment_this) {
    // Never finer than the input, and coarse enough to keep at least 12
    // voxels along every axis (SSIM's 11-voxel window).
    const Grid g = grid_of(clean.header);
    const Eigen::Vector3d spacing = g.spacing();
    double coarsest = s.max_voxel_mm;
    for (int a = 0; a < 3; ++a) coarsest = std::min(coarsest, g.dims[a] * spacing[a] / 12.0);
    const double finest = std::min(std::max(s.min_voxel_mm, spacing.minCoeff()), std::max(coarsest, spacing.maxCoeff()));
    coarsest = std::max(coarsest, finest);
    const Augmentation a = draw_augmentation(rng, finest, coarsest);
    reference = augment(clean, a, rng);
    if (rng.uniform() < s.crop_probability) {
      uncropped = reference;
      reference = crop_inside_head(reference, rng);
    }
  } else {
    reference = clean;
  }
  Sample out;
  out.axis = static_cast<int>(rng.uniform_int(0, 2));
  const bool still = rng.uniform() < s.still_probability;
  out.motion.max_degrees = still ? 0 : rng.uniform(0.0, s.max_degrees);
  out.motion.max_translation_mm = still ? 0 : rng.uniform(0.0, s.max_translation_mm);
  out.motion.transforms = static_cast<int>(rng.uniform_int(1, s.max_transforms));
  out.motion.ghosting = !still && rng.uniform() < s.ghosting_probability;
  if (s.simulators.empty()) throw UsageError("no motion corruption model to draw samples from");
  out.simulator = s.simulators.size() == 1
                      ? s.simulators[0]
                      : s.simulators[static_cast<std::size_t>(rng.uniform_int(0, static_cast<int64_t>(s.simulators.size()) - 1))];
  const std::uint64_t motion_seed = rng.next_u64();
  // The 3D SSIM (the target) and every axial slice's 2D SSIM (the slice
  // targets) from one pass.
  auto score = [&out, motion_seed](const Image<float>& clean, Image<float>& corrupted) {
    corrupted = corrupt(clean, out.simulator, out.motion, out.axis, motion_seed);
    return reference_ssim(corrupted, clean, head_mask(clean));
  };
  Image<float> corrupted;
  denoise::SsimWithSlices truth = score(reference, corrupted);
  if (!std::isfinite(truth.volume) && !uncropped.data.empty()) {
    // The crop left no head voxel where SSIM is scored (5 voxels in from
    // the border): the same motion on the whole field of view instead.
    reference = std::move(uncropped);
    truth = score(reference, corrupted);
  }
  out.ssim = truth.volume;
  const auto masks = default_iqm_masks(corrupted);
  const FeatureVector f = image_features(corrupted, masks.head, compute_iqms(corrupted, masks));
  out.features.assign(f.values.begin(), f.values.end());
  // Slices: a random subset of those with a defined 2D SSIM.
  const std::vector<double>& per_slice = truth.slices;
  std::vector<int64_t> valid;
  for (std::size_t z = 0; z < per_slice.size(); ++z)
    if (std::isfinite(per_slice[z])) valid.push_back(static_cast<int64_t>(z));
  const std::size_t take = std::min<std::size_t>(valid.size(), static_cast<std::size_t>(std::max(0, s.slices_per_sample)));
  for (std::size_t i = 0; i < take; ++i)  // partial Fisher-Yates
    std::swap(valid[i], valid[i + static_cast<std::size_t>(rng.uniform_int(0, static_cast<int64_t>(valid.size() - i - 1)))]);
  valid.resize(take);
  std::sort(valid.begin(), valid.end());
  out.slice_rows = slice_features(corrupted, masks.head, f, valid);
  for (int64_t z : valid) out.slice_ssim.push_back(per_slice[static_cast<std::size_t>(z)]);
  return out;
}

double spearman_correlation(const std::vector<double>& a, const std::vector<double>& b) {
  auto ranks = [](const std::vector<double>& v) {
    std::vector<std::size_t> idx(v.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t i, std::size_t j) { return v[i] < v[j]; });
    std::vector<double> r(v.size());
    for (std::size_t i = 0; i < idx.size();) {
      std::size_t j = i;
      while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]]) ++j;
      for (std::size_t t = i; t <= j; ++t) r[idx[t]] = 0.5 * (i + j);  // ties: average rank
      i = j + 1;
    }
    return r;
  };
  const auto ra = ranks(a), rb = ranks(b);
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n, mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < ra.size(); ++i)
    sab += (ra[i] - ma) * (rb[i] - mb), saa += (ra[i] - ma) * (ra[i] - ma), sbb += (rb[i] - mb) * (rb[i] - mb);
  return sab / std::sqrt(saa * sbb);
}

int quality_class(double ssim, int classes) {
  std::vector<double> edges;
  if (classes == 3) edges = {0.60, 0.85};
  else if (classes == 5) edges = {0.6, 0.7, 0.8, 0.9};
  else if (classes == 10) edges = {0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95};
  else throw std::invalid_argument("classes must be 3, 5 or 10");
  int c = 0;
  for (double e : edges)
    if (ssim >= e) ++c;
  return c;
}

std::string quality_class_name(int cls, int classes) {
  if (classes == 3) {
    static const char* names[3] = {"insufficient", "sufficient", "good"};
    return names[cls];
  }
  return std::to_string(cls + 1) + "/" + std::to_string(classes);
}

Evaluation evaluate(const std::vector<double>& predicted, const std::vector<double>& truth) {
  Evaluation e;
  e.n = truth.size();
  if (e.n == 0) return e;
  const double n = static_cast<double>(e.n);
  double mean_truth = 0;
  for (double t : truth) mean_truth += t / n;
  double sum = 0, sq = 0;
  int hit3 = 0, hit5 = 0, hit10 = 0;
  for (std::size_t i = 0; i < e.n; ++i) {
    const double r = predicted[i] - truth[i];
    sum += r, sq += r * r, e.mae += std::abs(r) / n, e.baseline_mae += std::abs(mean_truth - truth[i]) / n;
    hit3 += quality_class(predicted[i], 3) == quality_class(truth[i], 3);
    hit5 += quality_class(predicted[i], 5) == quality_class(truth[i], 5);
    hit10 += quality_class(predicted[i], 10) == quality_class(truth[i], 10);
  }
  e.residual_mean = sum / n;
  e.residual_sd = e.n > 1 ? std::sqrt((sq - n * e.residual_mean * e.residual_mean) / (n - 1)) : 0;
  e.accuracy3 = hit3 / n, e.accuracy5 = hit5 / n, e.accuracy10 = hit10 / n;
  e.spearman = spearman_correlation(predicted, truth);
  double mp = 0;
  for (double p : predicted) mp += p / n;
  double spt = 0, spp = 0, stt = 0;
  for (std::size_t i = 0; i < e.n; ++i)
    spt += (predicted[i] - mp) * (truth[i] - mean_truth), spp += (predicted[i] - mp) * (predicted[i] - mp),
        stt += (truth[i] - mean_truth) * (truth[i] - mean_truth);
  e.pearson = spt / std::sqrt(spp * stt);
  return e;
}

}  // namespace axon::quality
