#include <sstream>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/denoise/mppca.hpp"
#include "axon/denoise/volume_checks.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/mask.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "commands.hpp"

using namespace axon::cli;
namespace dn = axon::denoise;

namespace {

// --extent: "auto", "N" or "N,N,N" (odd, positive).
dn::Dims3 parse_extent(const std::string& text) {
  if (text == "auto") return {0, 0, 0};
  std::vector<int64_t> sizes;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) {
    std::size_t used = 0;
    long long v = -1;
    try {
      v = std::stoll(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != part.size() || v < 1 || v % 2 == 0 || v > 99)
      throw axon::UsageError("--extent: '" + text + "': sizes must be odd integers from 1 to 99");
    sizes.push_back(v);
  }
  if (sizes.size() == 1) return {sizes[0], sizes[0], sizes[0]};
  if (sizes.size() != 3) throw axon::UsageError("--extent: '" + text + "' is neither auto, N nor N,N,N");
  return {sizes[0], sizes[1], sizes[2]};
}

}  // namespace

axon::cli::Command mppca_command() {
  return Command("mppca", "Marchenko-Pastur PCA denoising of a 4D series (as MRtrix3 dwidenoise)")
      .positional(argument("IN", ValueKind::input_file, "4D series (at least 3 volumes; 10 or more advised)"))
      .positional(argument("OUT", ValueKind::output_file, "denoised float32 series, same grid and header"))
      .option(value(ValueKind::text, "extent", "auto|N|N,N,N",
                    "patch size in voxels (odd); auto: the smallest odd cube with at least as many voxels as volumes",
                    "auto"))
      .option(choice("estimator", {"cordero-grande", "veraart"}, "cordero-grande",
                     "noise estimator: Cordero-Grande et al. 2019 (dwidenoise's Exp2) or Veraart et al. 2016 (Exp1)"))
      .option(value(ValueKind::input_file, "mask", "M", "process only voxels > 0 of M (same grid); others are copied"))
      .option(value(ValueKind::output_file, "noise-map", "OUT", "write the noise sigma of every voxel (3D)"))
      .option(value(ValueKind::output_file, "rank-map", "OUT", "write the number of signal components kept (3D)"))
      .description(
          "For every voxel, the series of the voxels of a patch around it form a matrix whose eigenvalues are "
          "split into a Marchenko-Pastur noise bulk and signal; the voxel's series is projected on the signal "
          "components (Veraart et al. 2016; Cordero-Grande et al. 2019). See docs/axon-denoise.md.")
      .example("axon-denoise mppca dwi.nii.gz dwi_dn.nii.gz --mask brain.nii.gz --noise-map sigma.nii.gz",
               "denoise a diffusion series inside a mask")
      .run([](const Args& args, Context& ctx) {
        const std::string in_path = args.text("IN"), out_path = args.text("OUT");
        dn::MppcaOptions options;
        options.extent = parse_extent(args.text("extent"));
        options.estimator =
            args.text("estimator") == "veraart" ? dn::MpEstimator::veraart : dn::MpEstimator::cordero_grande;
        const auto noise_map_path = args.maybe_text("noise-map"), rank_map_path = args.maybe_text("rank-map");

        auto image = axon::read_image<float>(in_path);
        if (image.nt() < 3)
          throw axon::InputError(in_path, std::to_string(image.nt()) +
                                              " volume(s): MP-PCA needs a 4D series of at least 3 volumes");
        if (image.nt() < 10 && !ctx.quiet)
          axon::log::warn(in_path + ": only " + std::to_string(image.nt()) +
                          " volumes: the Marchenko-Pastur fit is unreliable below about 10");
        dn::require_finite(image, in_path);
        const dn::Dims3 dims{image.nx(), image.ny(), image.nz()};
        const std::size_t n = static_cast<std::size_t>(image.voxels_per_volume());
        std::vector<std::uint8_t> mask;
        const auto mask_path = args.maybe_text("mask");
        if (mask_path) {
          const auto mask_image = axon::read_volume<float>(*mask_path);
          axon::require_same_grid(axon::grid_of(image.header), in_path, axon::grid_of(mask_image.header), *mask_path);
          const axon::Mask m = axon::mask_from_image(mask_image, *mask_path);
          mask.assign(n, 0);
          for (int64_t i : m.indices) mask[static_cast<std::size_t>(i)] = 1;
        }
        // The series moves into the denoiser and comes back as the output
        // (the header alone is copied): peak memory two series, not four.
        const int64_t volumes = image.nt();
        auto result = dn::mppca_denoise(std::move(image.data), dims, volumes, mask, options);
        auto out = axon::image_like<float>(image, axon::DataType::float32, 1);
        out.header.set_volumes(volumes);
        out.data = std::move(result.series);
        double sigma_sum = 0;
        std::size_t counted = 0;
        for (std::size_t v = 0; v < n; ++v)
          if (mask.empty() || mask[v]) {
            sigma_sum += result.sigma[v];
            ++counted;
          }
        const nlohmann::json denoising{{"method", "Marchenko-Pastur PCA"},
                                       {"estimator", args.text("estimator")},
                                       {"extent", {result.extent[0], result.extent[1], result.extent[2]}},
                                       {"volumes", volumes},
                                       {"mean_noise_sigma", counted ? sigma_sum / counted : 0.0}};
        axon::OutputSet outputs(ctx.force);
        axon::write_image(out, outputs.add(out_path));
        axon::write_sidecar(outputs, out_path, ctx, {{"Denoising", denoising}});
        if (noise_map_path) {
          auto map = axon::image_like<float>(image, axon::DataType::float32, 1);
          map.data = result.sigma;
          axon::write_image(map, outputs.add(*noise_map_path));
          axon::write_sidecar(outputs, *noise_map_path, ctx, {{"Denoising", denoising}});
        }
        if (rank_map_path) {
          auto map = axon::image_like<float>(image, axon::DataType::int16, 1);
          map.data.assign(result.rank.begin(), result.rank.end());
          axon::write_image(map, outputs.add(*rank_map_path));
          axon::write_sidecar(outputs, *rank_map_path, ctx, {{"Denoising", denoising}});
        }
        outputs.commit_all();
        ctx.summary = {{"output", out_path}, {"extent", denoising["extent"]},
                       {"mean_noise_sigma", denoising["mean_noise_sigma"]}};
      });
}
