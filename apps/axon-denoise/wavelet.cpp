#include <cmath>
#include <iostream>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/denoise/volume_checks.hpp"
#include "axon/denoise/wavelet_denoise.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "commands.hpp"
#include "sigma_option.hpp"

using namespace axon::cli;
namespace dn = axon::denoise;

axon::cli::Command wavelet_command() {
  return Command("wavelet", "wavelet shrinkage denoising (BayesShrink or VisuShrink) of a 3D volume")
      .positional(argument("IN", ValueKind::input_file, "3D image (a 4D series is refused: split it first)"))
      .positional(argument("OUT", ValueKind::output_file, "denoised float32 image, same grid and header"))
      .option(choice("wavelet", dn::wavelet_names(), "sym4", "orthogonal wavelet (Daubechies 1992)"))
      .option(value(ValueKind::integer, "levels", "N", "decomposition levels (1 to 8)", "3"))
      .option(choice("threshold", {"bayes", "visu"}, "bayes",
                     "BayesShrink (per sub-band, Chang et al. 2000) or VisuShrink (universal, Donoho & Johnstone 1994)"))
      .option(choice("mode", {"soft", "hard"}, "soft", "soft or hard thresholding"))
      .option(value(ValueKind::text, "sigma", "auto|S",
                    "noise standard deviation; auto: median(|HHH level 1|) / 0.6745", "auto"))
      .description(
          "A separable 3D DWT (periodized, any size) of LEVELS levels; every detail sub-band is thresholded, "
          "the approximation is kept; the inverse DWT gives OUT. Definitions follow scikit-image's "
          "denoise_wavelet. The noise sigma and the thresholds go into OUT's JSON sidecar. "
          "See docs/axon-denoise.md.")
      .example("axon-denoise wavelet t1.nii.gz t1_dn.nii.gz", "BayesShrink, sym4, 3 levels, soft")
      .example("axon-denoise wavelet t1.nii.gz t1_dn.nii.gz --threshold visu --wavelet db4 --sigma 30",
               "VisuShrink with a known noise level")
      .run([](const Args& args, Context& ctx) {
        const std::string in_path = args.text("IN"), out_path = args.text("OUT");
        dn::WaveletDenoiseOptions options;
        options.wavelet = dn::wavelet_from_name(args.text("wavelet"));
        const long long levels = args.integer("levels");
        if (levels < 1 || levels > 8) throw axon::UsageError("--levels must be between 1 and 8");
        options.levels = static_cast<int>(levels);
        options.rule = args.text("threshold") == "visu" ? dn::ThresholdRule::visu : dn::ThresholdRule::bayes;
        options.mode = args.text("mode") == "hard" ? dn::ThresholdMode::hard : dn::ThresholdMode::soft;
        options.sigma = parse_sigma_option(args.text("sigma"));

        const auto image = axon::read_volume<float>(in_path);
        dn::require_finite(image, in_path);
        const dn::Dims3 dims{image.nx(), image.ny(), image.nz()};
        const long long smallest = std::min({dims[0], dims[1], dims[2]});
        if (options.levels > dn::dwt_max_level(smallest, options.wavelet))
          axon::log::warn(in_path + ": " + std::to_string(options.levels) + " levels of " + args.text("wavelet") +
                          " exceed the useful depth for an axis of " + std::to_string(smallest) +
                          " voxels: coarse sub-bands wrap around the volume");

        auto result = dn::wavelet_denoise(image.data.data(), dims, options);
        if (result.sigma_estimated && result.sigma == 0)
          axon::log::warn(in_path + ": the estimated noise sigma is 0 (no noise in the finest sub-band): output = input");
        auto out = axon::image_like<float>(image, axon::DataType::float32);
        out.data = std::move(result.volume);

        nlohmann::json thresholds = nlohmann::json::array();
        for (const auto& level : result.thresholds) {
          nlohmann::json bands = nlohmann::json::object();
          for (int code = 1; code <= dn::kDetailBands; ++code) bands[dn::subband_name(code)] = level[code - 1];
          thresholds.push_back(bands);
        }
        const nlohmann::json denoising{{"method", "wavelet shrinkage"},
                                       {"wavelet", args.text("wavelet")},
                                       {"levels", options.levels},
                                       {"threshold", args.text("threshold") == "visu" ? "VisuShrink" : "BayesShrink"},
                                       {"mode", args.text("mode")},
                                       {"noise_sigma", result.sigma},
                                       {"noise_sigma_estimated", result.sigma_estimated},
                                       {"thresholds_per_level", thresholds}};
        axon::OutputSet outputs(ctx.force);
        axon::write_image(out, outputs.add(out_path));
        axon::write_sidecar(outputs, out_path, ctx, {{"Denoising", denoising}});
        outputs.commit_all();
        ctx.summary = {{"output", out_path}, {"noise_sigma", result.sigma},
                       {"noise_sigma_estimated", result.sigma_estimated}};
        if (!ctx.json)
          axon::log::info("noise sigma " + std::to_string(result.sigma) +
                          (result.sigma_estimated ? " (estimated)" : " (given)"));
      });
}
