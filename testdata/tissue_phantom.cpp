#include "testdata/tissue_phantom.hpp"

#include <cmath>
#include <fstream>

#include "axon/core/error.hpp"
#include "axon/core/random.hpp"
#include "axon/io/nifti.hpp"

namespace axon::testdata {
namespace {

// The class at a point u in [-1, 1]^3: 0 outside, 1 CSF, 2 GM, 3 WM.
int tissue_at(double x, double y, double z) {
  const double r = std::sqrt(x * x / 0.81 + y * y / 0.88 + z * z / 0.74);
  if (r >= 0.92) return 0;
  if (r >= 0.84) return 1;  // outer CSF
  // Two ventricles: ellipsoids either side of the midline.
  for (double side : {-1.0, 1.0}) {
    const double vx = (x - side * 0.13) / 0.08, vy = (y - 0.05) / 0.32, vz = (z - 0.08) / 0.14;
    if (vx * vx + vy * vy + vz * vz < 1) return 1;
  }
  const double fold = std::sin(9.0 * x + 0.5) * std::sin(8.0 * y) * std::sin(7.0 * z + 0.3);
  if (r >= 0.66 + 0.09 * fold) return 2;  // cortical ribbon, 1.5 to 6 mm thick at 2 mm voxels
  return 3;
}

// A smooth function of u with values in about [-1, 1], varying per `phase`.
double smooth(double x, double y, double z, double phase) {
  return std::sin(2.1 * x + phase) * std::cos(1.7 * y - 0.5 * phase) * std::cos(1.3 * z + 0.3 * phase);
}

}  // namespace

TissuePhantom make_tissue_phantom(const TissuePhantomOptions& o) {
  TissuePhantom p;
  p.options = o;
  ImageHeader h;
  h.dim = {3, o.dims[0], o.dims[1], o.dims[2], 1, 1, 1, 1};
  Eigen::Matrix4d affine = Eigen::Matrix4d::Identity();
  for (int d = 0; d < 3; ++d) {
    affine(d, d) = o.voxel_mm;
    affine(d, 3) = -0.5 * o.voxel_mm * static_cast<double>(o.dims[d] - 1);
  }
  h.set_affine(affine, 2, 2);
  h.xyz_units = 2;  // mm
  h.datatype = static_cast<int>(DataType::float32);
  p.t1.header = h;
  p.t1.data.assign(static_cast<std::size_t>(o.dims[0] * o.dims[1] * o.dims[2]), 0.f);
  p.labels = image_like<int32_t>(p.t1, DataType::uint8);
  p.mask = image_like<int32_t>(p.t1, DataType::uint8);
  p.fractions = image_like<float>(p.t1, DataType::float32, 3);
  p.bias = image_like<float>(p.t1, DataType::float32);
  p.sigma = o.noise_percent / 100.0 * p.class_means[2];

  const int sub = 4;
  const int64_t nx = o.dims[0], ny = o.dims[1], nz = o.dims[2];
  const int64_t n = nx * ny * nz;
  auto coord = [](double index, int64_t count) { return 2.0 * index / static_cast<double>(count - 1) - 1.0; };
#pragma omp parallel for schedule(static)
  for (int64_t z = 0; z < nz; ++z) {
    Rng rng = Rng::stream(o.seed, static_cast<std::uint64_t>(z));  // one stream per slice: any thread count
    for (int64_t y = 0; y < ny; ++y)
      for (int64_t x = 0; x < nx; ++x) {
        const std::size_t i = static_cast<std::size_t>((z * ny + y) * nx + x);
        double count[4] = {0, 0, 0, 0};
        for (int a = 0; a < sub; ++a)
          for (int b = 0; b < sub; ++b)
            for (int c = 0; c < sub; ++c) {
              const double off_x = (a + 0.5) / sub - 0.5, off_y = (b + 0.5) / sub - 0.5, off_z = (c + 0.5) / sub - 0.5;
              ++count[tissue_at(coord(x + off_x, nx), coord(y + off_y, ny), coord(z + off_z, nz))];
            }
        const double total = sub * sub * sub;
        const double ux = coord(x, nx), uy = coord(y, ny), uz = coord(z, nz);
        double signal = 0;
        int best = 0;
        for (int k = 1; k <= 3; ++k) {
          const double f = count[k] / total;
          p.fractions.data[static_cast<std::size_t>((k - 1) * n) + i] = static_cast<float>(f);
          signal += f * p.class_means[k - 1] * (1.0 + 0.03 * smooth(ux, uy, uz, k));
          if (count[k] > 0 && (best == 0 || count[k] > count[best])) best = k;
        }
        p.mask.data[i] = count[0] < total ? 1 : 0;
        // The label is the majority class among tissues; a voxel mostly
        // outside the brain but touching it is labelled by its tissue too.
        p.labels.data[i] = best;
        const double field = std::exp(o.bias_amplitude * (0.8 * ux - 0.5 * uy + 0.6 * smooth(ux, uy, uz, 4.0)));
        p.bias.data[i] = static_cast<float>(field);
        const double re = signal * field + p.sigma * rng.normal(), im = p.sigma * rng.normal();
        p.t1.data[i] = static_cast<float>(std::sqrt(re * re + im * im));
      }
  }
  return p;
}

void write_tissue_phantom(const TissuePhantom& p, const std::string& outdir, OutputSet& outputs,
                          const nlohmann::json& extra) {
  write_image(p.t1, outputs.add(outdir + "/t1.nii.gz"));
  write_image(p.labels, outputs.add(outdir + "/labels.nii.gz"));
  write_image(p.fractions, outputs.add(outdir + "/fractions.nii.gz"));
  write_image(p.mask, outputs.add(outdir + "/mask.nii.gz"));
  write_image(p.bias, outputs.add(outdir + "/bias.nii.gz"));
  nlohmann::json truth = {
      {"model", "3-class phantom: folded GM/WM boundary, CSF shell and ventricles; 4x4x4 sub-sample fractions; "
                "smooth class intensities; multiplicative bias; Rician noise"},
      {"classes", {"CSF", "GM", "WM"}},
      {"labels", {{"CSF", 1}, {"GM", 2}, {"WM", 3}}},
      {"class_means", p.class_means},
      {"noise_sigma", p.sigma},
      {"noise_percent_of_wm", p.options.noise_percent},
      {"bias_amplitude", p.options.bias_amplitude},
      {"voxel_mm", p.options.voxel_mm},
      {"dims", p.options.dims},
      {"seed", p.options.seed}};
  truth.update(extra);
  std::ofstream(outputs.add(outdir + "/truth.json")) << truth.dump(2) << "\n";
}

}  // namespace axon::testdata
