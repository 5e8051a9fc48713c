#include "axon/quality/augmentation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "axon/image/grid.hpp"
#include "axon/image/resample.hpp"

namespace axon::quality {

Augmentation draw_augmentation(Rng& rng, double min_voxel_mm, double max_voxel_mm) {
  Augmentation a;
  a.voxel_mm = rng.uniform(min_voxel_mm, max_voxel_mm);
  const int kind = static_cast<int>(rng.uniform_int(0, 3));
  if (kind == 1) a.contrast = "gamma", a.contrast_a = std::exp(rng.uniform(std::log(0.5), std::log(2.0)));
  else if (kind == 2) a.contrast = "log", a.contrast_a = rng.uniform(1.0, 20.0);
  else if (kind == 3) a.contrast = "sigmoid", a.contrast_a = rng.uniform(0.25, 0.6), a.contrast_b = rng.uniform(0.08, 0.25);
  a.bias_strength = rng.uniform(0.0, 0.3);
  a.noise = rng.uniform(0.0, 0.03);
  a.scale = std::exp(rng.uniform(std::log(50.0), std::log(2000.0)));
  return a;
}

Image<float> resample_isotropic(const Image<float>& volume, double voxel_mm) {
  const Grid g = grid_of(volume.header);
  const Eigen::Vector3d spacing = g.spacing();
  Grid target = g;
  for (int a = 0; a < 3; ++a) {
    const double factor = voxel_mm / spacing[a];
    target.dims[a] = std::max<int64_t>(1, static_cast<int64_t>(std::floor(g.dims[a] / factor + 1e-6)));
    target.affine.col(a).head<3>() *= factor;
  }
  // Keep the field of view centred: the first voxel centre moves by half
  // the change of voxel size.
  Eigen::Vector4d centre_old(0.5 * (g.dims[0] - 1), 0.5 * (g.dims[1] - 1), 0.5 * (g.dims[2] - 1), 1.0);
  Eigen::Vector4d centre_new(0.5 * (target.dims[0] - 1), 0.5 * (target.dims[1] - 1), 0.5 * (target.dims[2] - 1), 1.0);
  target.affine.col(3).head<3>() += (g.affine * centre_old - target.affine * centre_new).head<3>();
  const ImageHeader header = header_for_grid(volume.header, target);
  return resample_like(volume, header, Interpolation::linear, 0.0f);
}

Image<float> crop_field_of_view(const Image<float>& volume, const std::array<int64_t, 3>& lo,
                                const std::array<int64_t, 3>& size) {
  Grid g = grid_of(volume.header);
  for (int a = 0; a < 3; ++a)
    if (lo[a] < 0 || size[a] < 1 || lo[a] + size[a] > g.dims[a])
      throw std::invalid_argument("crop_field_of_view: the box is not inside the volume");
  g.affine.col(3) = g.affine * Eigen::Vector4d(lo[0], lo[1], lo[2], 1.0);
  g.dims = size;
  Image<float> out;
  out.header = header_for_grid(volume.header, g);
  out.data.resize(static_cast<std::size_t>(g.voxels()));
  std::size_t o = 0;
  for (int64_t k = 0; k < size[2]; ++k)
    for (int64_t j = 0; j < size[1]; ++j)
      for (int64_t i = 0; i < size[0]; ++i) out.data[o++] = volume.data[volume.index(lo[0] + i, lo[1] + j, lo[2] + k)];
  return out;
}

Image<float> augment(const Image<float>& volume, const Augmentation& a, Rng& rng) {
  Image<float> out = a.voxel_mm > 0 ? resample_isotropic(volume, a.voxel_mm) : volume;
  out.header.datatype = static_cast<int>(DataType::float32);
  out.header.scl_slope = out.header.scl_inter = 0;
  std::vector<float> sorted(out.data);
  const std::size_t k = static_cast<std::size_t>(0.995 * (sorted.size() - 1));
  std::nth_element(sorted.begin(), sorted.begin() + k, sorted.end());
  const double top = std::max(1e-6f, sorted[k]);
  const double sig0 = a.contrast == "sigmoid" ? 1.0 / (1.0 + std::exp(a.contrast_a / a.contrast_b)) : 0.0;
  const double sig1 = a.contrast == "sigmoid" ? 1.0 / (1.0 + std::exp(-(1.0 - a.contrast_a) / a.contrast_b)) : 1.0;
  const int64_t nx = out.nx(), ny = out.ny(), nz = out.nz();
  double coef[10];
  for (double& c : coef) c = rng.uniform(-1.0, 1.0) * a.bias_strength / 3.0;
  const double sigma = a.noise;
  // Noise draws in voxel order from one generator: deterministic.
  for (int64_t kz = 0; kz < nz; ++kz)
    for (int64_t j = 0; j < ny; ++j)
      for (int64_t i = 0; i < nx; ++i) {
        const std::size_t v = out.index(i, j, kz);
        double x = std::clamp(out.data[v] / top, 0.0, 1.0);
        if (a.contrast == "gamma") x = std::pow(x, a.contrast_a);
        else if (a.contrast == "log") x = std::log1p(a.contrast_a * x) / std::log1p(a.contrast_a);
        else if (a.contrast == "sigmoid")
          x = (1.0 / (1.0 + std::exp(-(x - a.contrast_a) / a.contrast_b)) - sig0) / (sig1 - sig0);
        const double px = nx > 1 ? 2.0 * i / (nx - 1) - 1 : 0, py = ny > 1 ? 2.0 * j / (ny - 1) - 1 : 0,
                     pz = nz > 1 ? 2.0 * kz / (nz - 1) - 1 : 0;
        const double poly = coef[1] * px + coef[2] * py + coef[3] * pz + coef[4] * px * px + coef[5] * py * py +
                            coef[6] * pz * pz + coef[7] * px * py + coef[8] * px * pz + coef[9] * py * pz;
        x *= std::exp(poly);
        if (sigma > 0) {
          const double re = x + rng.normal(0.0, sigma), im = rng.normal(0.0, sigma);
          x = std::sqrt(re * re + im * im);
        }
        out.data[v] = static_cast<float>(x * a.scale);
      }
  return out;
}

}  // namespace axon::quality
