#include "axon/quality/segmented_masks.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "axon/core/error.hpp"
#include "axon/image/grid.hpp"
#include "axon/segment/brain_extraction.hpp"
#include "axon/segment/tissue_classes.hpp"

namespace axon::quality {
namespace {

// Block averaging by integer factors; a partial block at the far edge
// averages the voxels it has.
struct Coarse {
  std::array<int64_t, 3> fine{}, dims{}, factor{};
  Image<float> image;
  ByteMask mask;
};

Coarse block_average(const Image<float>& image, const ByteMask& mask, double target_mm) {
  Coarse c;
  c.fine = {image.nx(), image.ny(), image.nz()};
  const Eigen::Vector3d s = grid_of(image.header).spacing();
  for (int a = 0; a < 3; ++a) {
    c.factor[a] = std::max<int64_t>(1, std::llround(target_mm / std::max(s[a], 1e-3)));
    c.dims[a] = (c.fine[a] + c.factor[a] - 1) / c.factor[a];
  }
  const std::size_t m = static_cast<std::size_t>(c.dims[0] * c.dims[1] * c.dims[2]);
  // Coarse voxel c covers fine voxels c f .. c f + f - 1: its centre is at
  // fine index c f + (f - 1) / 2.
  Grid coarse = grid_of(image.header);
  Eigen::Matrix4d scale = Eigen::Matrix4d::Identity();
  for (int a = 0; a < 3; ++a) {
    scale(a, a) = static_cast<double>(c.factor[a]);
    scale(a, 3) = 0.5 * static_cast<double>(c.factor[a] - 1);
  }
  coarse.affine = coarse.affine * scale;
  coarse.dims = c.dims;
  c.image.header = header_for_grid(image.header, coarse);
  c.image.header.datatype = static_cast<int>(DataType::float32);
  c.image.header.scl_slope = 0;
  c.image.header.scl_inter = 0;
  c.image.data.assign(m, 0.f);
  c.mask.assign(m, 0);
#pragma omp parallel for schedule(static)
  for (int64_t k = 0; k < c.dims[2]; ++k)
    for (int64_t j = 0; j < c.dims[1]; ++j)
      for (int64_t i = 0; i < c.dims[0]; ++i) {
        double sum = 0, inside = 0, count = 0;
        for (int64_t z = k * c.factor[2]; z < std::min(c.fine[2], (k + 1) * c.factor[2]); ++z)
          for (int64_t y = j * c.factor[1]; y < std::min(c.fine[1], (j + 1) * c.factor[1]); ++y)
            for (int64_t x = i * c.factor[0]; x < std::min(c.fine[0], (i + 1) * c.factor[0]); ++x) {
              const std::size_t v = static_cast<std::size_t>((z * c.fine[1] + y) * c.fine[0] + x);
              sum += image.data[v], count += 1;
              if (!mask.empty()) inside += mask[v];
            }
        const std::size_t w = static_cast<std::size_t>((k * c.dims[1] + j) * c.dims[0] + i);
        c.image.data[w] = static_cast<float>(sum / count);
        c.mask[w] = inside > 0.5 * count;  // most of the block is brain
      }
  return c;
}

// Coarse partial volumes and bias back on the fine grid, inside `brain`:
// trilinear between the coarse brain voxels; where the coarse voxels around
// are not all of one class, the fine intensity decides (below).
void upsample_classes(const Coarse& c, const segment::TissueResult& t, const Image<float>& image,
                      const ByteMask* given_brain, IqmMasks& out) {
  const std::size_t n = image.data.size();
  if (!given_brain) out.brain.assign(n, 0);
  const ByteMask& brain = given_brain ? *given_brain : out.brain;
  const std::size_t m = c.mask.size();
  out.tissue.assign(n, 0);
  out.pve.assign(3 * n, 0.f);
  out.bias.assign(n, 1.f);
  // Per axis: the two coarse neighbours of each fine index and the weight of
  // the upper one (coarse centres at fine index c f + (f - 1) / 2).
  std::array<std::vector<int64_t>, 3> lower;
  std::array<std::vector<double>, 3> weight;
  for (int a = 0; a < 3; ++a) {
    lower[a].resize(static_cast<std::size_t>(c.fine[a]));
    weight[a].resize(static_cast<std::size_t>(c.fine[a]));
    for (int64_t i = 0; i < c.fine[a]; ++i) {
      const double u = (static_cast<double>(i) - 0.5 * static_cast<double>(c.factor[a] - 1)) / c.factor[a];
      const int64_t lo =
          std::clamp<int64_t>(static_cast<int64_t>(std::floor(u)), 0, std::max<int64_t>(c.dims[a] - 2, 0));
      lower[a][i] = lo;
      weight[a][i] = c.dims[a] > 1 ? std::clamp(u - static_cast<double>(lo), 0.0, 1.0) : 0.0;
    }
  }
  const std::vector<double>& means = t.means;  // CSF < GM < WM, bias-corrected
  // Coarse voxels with a brain voxel among their 26 neighbours: a fine
  // voxel's 8 interpolation neighbours lie around its own block's coarse
  // voxel, so elsewhere the interpolated mask is 0 (skipped).
  ByteMask near(m, 0);
  for (int64_t z = 0; z < c.dims[2]; ++z)
    for (int64_t y = 0; y < c.dims[1]; ++y)
      for (int64_t x = 0; x < c.dims[0]; ++x) {
        if (!c.mask[static_cast<std::size_t>((z * c.dims[1] + y) * c.dims[0] + x)]) continue;
        for (int64_t cz = std::max<int64_t>(z - 1, 0); cz <= std::min(z + 1, c.dims[2] - 1); ++cz)
          for (int64_t cy = std::max<int64_t>(y - 1, 0); cy <= std::min(y + 1, c.dims[1] - 1); ++cy)
            for (int64_t cx = std::max<int64_t>(x - 1, 0); cx <= std::min(x + 1, c.dims[0] - 1); ++cx)
              near[static_cast<std::size_t>((cz * c.dims[1] + cy) * c.dims[0] + cx)] = 1;
      }
#pragma omp parallel for schedule(static)
  for (int64_t k = 0; k < c.fine[2]; ++k)
    for (int64_t j = 0; j < c.fine[1]; ++j)
      for (int64_t i = 0; i < c.fine[0]; ++i) {
        const std::size_t v = static_cast<std::size_t>((k * c.fine[1] + j) * c.fine[0] + i);
        if (given_brain && !brain[v]) continue;
        const std::size_t own =
            static_cast<std::size_t>(((k / c.factor[2]) * c.dims[1] + j / c.factor[1]) * c.dims[0] + i / c.factor[0]);
        if (!near[own] && !given_brain) continue;
        double f[3] = {0, 0, 0}, b = 0, wsum = 0;
        for (int dz = 0; dz < 2; ++dz)
          for (int dy = 0; dy < 2; ++dy)
            for (int dx = 0; dx < 2; ++dx) {
              const int64_t x = std::min(lower[0][i] + dx, c.dims[0] - 1),
                            y = std::min(lower[1][j] + dy, c.dims[1] - 1),
                            z = std::min(lower[2][k] + dz, c.dims[2] - 1);
              const std::size_t w = static_cast<std::size_t>((z * c.dims[1] + y) * c.dims[0] + x);
              if (!c.mask[w]) continue;
              const double wt = (dx ? weight[0][i] : 1 - weight[0][i]) * (dy ? weight[1][j] : 1 - weight[1][j]) *
                                (dz ? weight[2][k] : 1 - weight[2][k]);
              for (int q = 0; q < 3; ++q) f[q] += wt * t.pve[q * m + w];
              b += wt * t.bias[w];
              wsum += wt;
            }
        // wsum is the coarse mask's trilinear interpolation: without a
        // given mask, the fine brain is where it exceeds 0.5 (as
        // extract_brain brings its 2 mm mask to the input's grid).
        if (!given_brain) {
          if (!(wsum > 0.5)) continue;
          out.brain[v] = 1;
        }
        int label = 0;
        if (wsum > 1e-12) {
          for (double& x : f) x /= wsum;
          out.bias[v] = static_cast<float>(b / wsum);
          for (int q = 1; q < 3; ++q)
            if (f[q] > f[label]) label = q;
        } else {  // no coarse brain voxel around: unmixed below
          f[0] = f[1] = f[2] = 0;
        }
        if (f[label] < 1.0 - 1e-6) {
          // Not inside one class at the coarse scale: the fine voxel's
          // bias-corrected intensity is unmixed linearly between the two
          // class means that bracket it (axon-segment's partial-volume rule,
          // now at the input's resolution, where thin CSF and GM are
          // resolved that the block average mixed) and labelled with its
          // larger fraction.
          const double y = image.data[v] / out.bias[v];
          f[0] = f[1] = f[2] = 0;
          if (y <= means[0]) {
            f[0] = 1, label = 0;
          } else if (y >= means[2]) {
            f[2] = 1, label = 2;
          } else {
            const int a = y < means[1] ? 0 : 1;
            const double g = (y - means[a]) / (means[a + 1] - means[a]);
            f[a] = 1 - g, f[a + 1] = g;
            label = g < 0.5 ? a : a + 1;
          }
        }
        out.tissue[v] = static_cast<std::uint8_t>(label + 1);
        for (int q = 0; q < 3; ++q) out.pve[q * n + v] = static_cast<float>(f[q]);
      }
}

}  // namespace

IqmMasks segmented_iqm_masks(const Image<float>& image, const std::string& path, const ByteMask* brain,
                             const SegmentedMaskOptions& options) {
  return segmented_iqm_masks(image, head_mask(image), path, brain, options);
}

IqmMasks segmented_iqm_masks(const Image<float>& image, ByteMask head, const std::string& path, const ByteMask* brain,
                             const SegmentedMaskOptions& options) {
  IqmMasks m;
  m.head = std::move(head);
  segment::BrainOptions brain_options;
  brain_options.bias_correct = options.brain_bias_correct;
  brain_options.working_mm = options.working_mm;
  Coarse work = block_average(image, brain ? *brain : ByteMask{}, options.working_mm);
  bool native = work.dims == work.fine;
  if (!native && !brain) {
    // Brain extraction on the block average: extract_brain works on this
    // grid anyway (working_mm), so this is its own work without its block
    // averaging and its return to the input's grid (upsample_classes).
    work.mask = segment::extract_brain(work.image, brain_options, path).mask;
  }
  // Too few coarse brain voxels for a classification (tiny masks): the
  // input itself.
  if (!native && std::count(work.mask.begin(), work.mask.end(), 1) < 1000) native = true;
  if (native) {
    m.brain = brain ? *brain : segment::extract_brain(image, brain_options, path).mask;
    if (std::find(m.brain.begin(), m.brain.end(), 1) == m.brain.end())
      throw InputError(path, "the brain mask is empty");
    segment::TissueResult t = segment::classify_tissues(image, m.brain, segment::TissueOptions{}, path);
    m.tissue.assign(t.labels.begin(), t.labels.end());
    m.pve = std::move(t.pve);
    m.bias = std::move(t.bias);
    return m;
  }
  const segment::TissueResult t = segment::classify_tissues(work.image, work.mask, segment::TissueOptions{}, path);
  if (brain) m.brain = *brain;
  upsample_classes(work, t, image, brain, m);
  return m;
}

}  // namespace axon::quality
