#include "testdata/noisy_t1.hpp"

#include <algorithm>
#include <cmath>

#include "axon/core/error.hpp"
#include "axon/core/random.hpp"
#include "axon/core/version.hpp"
#include "axon/io/json.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"

namespace axon::testdata {
namespace {
constexpr double kFullScale = 1000.0;
constexpr int kUnitsMm = 2;  // NIFTI_UNITS_MM
}

NoisyT1 make_noisy_t1(double sigma_percent, std::uint64_t seed, const std::string& template_dir) {
  if (!(sigma_percent >= 0)) throw UsageError("--sigma-percent must not be negative");
  NoisyT1 out;
  out.sigma_percent = sigma_percent;
  out.sigma = sigma_percent / 100.0 * kFullScale;
  out.seed = seed;
  out.source = template_dir + "/ch2bet.nii.gz";

  const Image<float> bet = read_volume<float>(out.source);
  const auto [lo, hi] = std::minmax_element(bet.data.begin(), bet.data.end());
  if (!(*hi > *lo)) throw InputError(out.source, "the image is constant: nothing to scale");
  const double scale = kFullScale / (static_cast<double>(*hi) - *lo), offset = *lo;
  out.clean = image_like<float>(bet, DataType::float32);
  out.clean.header.xyz_units = kUnitsMm;
  out.clean.header.cal_min = out.clean.header.cal_max = 0;
  for (size_t i = 0; i < bet.data.size(); ++i)
    out.clean.data[i] = static_cast<float>((bet.data[i] - offset) * scale);

  out.noisy = out.clean;
  out.noisy.header.descrip = "axon noisy T1, Rician sigma " + std::to_string(out.sigma);
  const int64_t nz = out.clean.nz(), slice = out.clean.nx() * out.clean.ny();
  const double sigma = out.sigma;
#pragma omp parallel for schedule(static)
  for (int64_t z = 0; z < nz; ++z) {
    Rng rng = Rng::stream(seed, static_cast<std::uint64_t>(z));
    for (int64_t i = z * slice; i < (z + 1) * slice; ++i) {
      const double real = out.clean.data[static_cast<size_t>(i)] + sigma * rng.normal();
      const double imaginary = sigma * rng.normal();
      out.noisy.data[static_cast<size_t>(i)] = static_cast<float>(std::hypot(real, imaginary));
    }
  }
  return out;
}

nlohmann::json noisy_t1_truth(const NoisyT1& t1) {
  return {{"generator",
           {{"function", "axon::testdata::make_noisy_t1"}, {"axon_version", version()}, {"git_commit", git_commit()}}},
          {"source", t1.source},
          {"clean", "source scaled linearly from [min, max] to [0, 1000], float32"},
          {"model", "noisy = sqrt((clean + n1)^2 + n2^2), n1, n2 ~ N(0, sigma^2) independent (Rician)"},
          {"sigma", t1.sigma},
          {"sigma_percent", t1.sigma_percent},
          {"full_scale", kFullScale},
          {"seed", t1.seed}};
}

void write_noisy_t1(const NoisyT1& t1, const std::string& noisy_path, const std::string& clean_path,
                    OutputSet& outputs, const nlohmann::json& extra) {
  write_image(t1.noisy, outputs.add(noisy_path));
  write_image(t1.clean, outputs.add(clean_path));
  nlohmann::json truth = noisy_t1_truth(t1);
  truth["noisy"] = noisy_path;
  truth["clean_image"] = clean_path;
  for (const auto& [key, value] : extra.items()) truth[key] = value;
  write_json(truth, outputs.add(sidecar_path(noisy_path)));
}

}  // namespace axon::testdata
