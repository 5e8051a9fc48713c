#include <cmath>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/denoise/nlm.hpp"
#include "axon/denoise/noise_estimation.hpp"
#include "axon/denoise/volume_checks.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/mask.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "commands.hpp"
#include "sigma_option.hpp"

using namespace axon::cli;
namespace dn = axon::denoise;

namespace {

int radius_option(const Args& args, const std::string& name, int max) {
  const long long r = args.integer(name);
  if (r < 1 || r > max) throw axon::UsageError("--" + name + " must be between 1 and " + std::to_string(max));
  return static_cast<int>(r);
}

}  // namespace

axon::cli::Command nlm_command() {
  return Command("nlm", "adaptive non-local means (blockwise, Rician-corrected) of a 3D volume or a 4D series")
      .positional(argument("IN", ValueKind::input_file, "3D image, or a 4D series (denoised volume by volume)"))
      .positional(argument("OUT", ValueKind::output_file, "denoised float32 image, same grid and header"))
      .option(choice("noise", {"rician", "gaussian"}, "rician",
                     "noise model: rician (magnitude images: bias-corrected) or gaussian"))
      .option(value(ValueKind::text, "sigma", "auto|S",
                    "noise standard deviation (0: output = input); auto: a local map estimated from the data (Manjon 2010)", "auto"))
      .option(value(ValueKind::integer, "patch-radius", "P", "blocks of (2P+1)^3 voxels (1 to 3)", "1"))
      .option(value(ValueKind::integer, "search-radius", "M", "search cube of (2M+1)^3 voxels (1 to 10; 2 as ANTs DenoiseImage)", "2"))
      .option(value(ValueKind::real, "beta", "B", "smoothing strength: h^2 = 2 B sigma^2 |block| (Coupe 2008)", "0.4"))
      .option(value(ValueKind::input_file, "mask", "M",
                    "denoise only blocks touching voxels > 0 of M (same grid); other voxels are copied"))
      .option(value(ValueKind::output_file, "noise-map", "OUT", "write the noise sigma used at every voxel"))
      .description(
          "Optimized blockwise non-local means (Coupe et al. 2008) with voxel pre-selection by block mean and "
          "variance, a spatially varying noise sigma (Manjon et al. 2010) and, for Rician noise, the bias "
          "correction sqrt(max(NL(u^2) - 2 sigma^2, 0)). --sigma auto estimates the sigma map from "
          "pseudo-residuals (a local median absolute deviation, corrected for Rician statistics by Koay & "
          "Basser 2006). The output does not depend on --threads. See docs/axon-denoise.md.")
      .example("axon-denoise nlm t1.nii.gz t1_nlm.nii.gz", "Rician noise, sigma map estimated")
      .example("axon-denoise nlm t1.nii.gz t1_nlm.nii.gz --sigma 30 --mask brain.nii.gz",
               "a known noise level, inside a mask only")
      .run([](const Args& args, Context& ctx) {
        const std::string in_path = args.text("IN"), out_path = args.text("OUT");
        dn::NlmOptions options;
        options.model = args.text("noise") == "gaussian" ? dn::NoiseModel::gaussian : dn::NoiseModel::rician;
        options.patch_radius = radius_option(args, "patch-radius", 3);
        options.search_radius = radius_option(args, "search-radius", 10);
        options.beta = args.real("beta");
        if (!(options.beta > 0) || !std::isfinite(options.beta)) throw axon::UsageError("--beta must be positive");
        const std::optional<double> given_sigma = parse_sigma_option(args.text("sigma"));
        const auto noise_map_path = args.maybe_text("noise-map");

        auto image = axon::read_image<float>(in_path);
        dn::require_finite(image, in_path);
        const dn::Dims3 dims{image.nx(), image.ny(), image.nz()};
        const std::size_t n = static_cast<std::size_t>(image.voxels_per_volume());
        const axon::Grid grid = axon::grid_of(image.header);
        std::vector<std::uint8_t> mask;
        const auto mask_path = args.maybe_text("mask");
        if (mask_path) {
          const auto mask_image = axon::read_volume<float>(*mask_path);
          axon::require_same_grid(grid, in_path, axon::grid_of(mask_image.header), *mask_path);
          const axon::Mask m = axon::mask_from_image(mask_image, *mask_path);
          mask.assign(n, 0);
          for (int64_t i : m.indices) mask[static_cast<std::size_t>(i)] = 1;
        }

        auto out = axon::image_like<float>(image, axon::DataType::float32, image.nt());
        auto noise_map = axon::image_like<float>(image, axon::DataType::float32, image.nt());
        nlohmann::json sigmas = nlohmann::json::array();
        for (int64_t t = 0; t < image.nt(); ++t) {
          std::vector<float> sigma;
          if (given_sigma) {
            sigma.assign(n, static_cast<float>(*given_sigma));
          } else {
            dn::NoiseMapOptions noise_options;
            noise_options.model = options.model;
            sigma = dn::estimate_noise_map(image.volume(t), dims, noise_options);
          }
          const double summary = given_sigma ? *given_sigma : dn::summarize_noise_map(sigma);
          if (!given_sigma && summary == 0)
            axon::log::warn(in_path + ": volume " + std::to_string(t) +
                            ": the estimated noise is 0 everywhere: output = input");
          sigmas.push_back(summary);
          const auto denoised = dn::nlm_denoise(image.volume(t), dims, sigma, mask, options);
          std::copy(denoised.begin(), denoised.end(), out.volume(t));
          std::copy(sigma.begin(), sigma.end(), noise_map.volume(t));
        }

        const nlohmann::json denoising{
            {"method", "blockwise non-local means (Coupe 2008), adaptive noise (Manjon 2010)"},
            {"noise_model", args.text("noise")},
            {"patch_radius", options.patch_radius},
            {"search_radius", options.search_radius},
            {"beta", options.beta},
            {"noise_sigma_estimated", !given_sigma},
            {"noise_sigma", image.nt() == 1 ? sigmas[0] : sigmas},
            {"noise_sigma_summary", given_sigma ? "given" : "median of the local sigma map over voxels with noise"}};
        axon::OutputSet outputs(ctx.force);
        axon::write_image(out, outputs.add(out_path));
        axon::write_sidecar(outputs, out_path, ctx, {{"Denoising", denoising}});
        if (noise_map_path) {
          axon::write_image(noise_map, outputs.add(*noise_map_path));
          axon::write_sidecar(outputs, *noise_map_path, ctx, {{"NoiseMap", denoising}});
        }
        outputs.commit_all();
        ctx.summary = {{"output", out_path}, {"noise_sigma", image.nt() == 1 ? sigmas[0] : sigmas},
                       {"noise_sigma_estimated", !given_sigma}};
        if (!ctx.json) axon::log::info("noise sigma " + sigmas.dump() + (given_sigma ? " (given)" : " (estimated)"));
      });
}
