#include <cmath>
#include <cstdio>
#include <iostream>

#include "axon/core/error.hpp"
#include "axon/denoise/image_quality.hpp"
#include "axon/denoise/volume_checks.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/mask.hpp"
#include "axon/io/nifti.hpp"
#include "commands.hpp"

using namespace axon::cli;

namespace {

// "%.6f", or "inf" (identical images: PSNR) / "nan".
std::string number(double v, int decimals) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

axon::cli::Command compare_command() {
  return Command("compare", "PSNR, SSIM and NRMSE of a test volume against a reference")
      .positional(argument("TEST", ValueKind::input_file, "3D image to judge (e.g. a denoised volume)"))
      .positional(argument("REF", ValueKind::input_file, "3D reference image on the same grid (e.g. the clean volume)"))
      .option(value(ValueKind::input_file, "mask", "M",
                    "restrict every measure to voxels > 0 of M (same grid); SSIM's local windows still see every voxel"))
      .option(value(ValueKind::real, "data-range", "R",
                    "the intensity range R in PSNR and in SSIM's C1, C2 (default: max - min of REF)"))
      .description(
          "Definitions are scikit-image's: PSNR = 10 log10(R^2 / MSE); NRMSE = sqrt(MSE) / sqrt(mean(REF^2)); "
          "SSIM as structural_similarity(REF, TEST, gaussian_weights=True, sigma=1.5, "
          "use_sample_covariance=False, data_range=R) in 3D (Wang et al. 2004), averaged over the voxels at "
          "least 5 voxels from every border (and inside the mask). Every axis needs at least 11 voxels. "
          "Identical images give PSNR inf (null in --json). A constant REF without --data-range is an error "
          "(its range is 0). NaN or infinite voxels in TEST or REF are an error. See docs/axon-denoise.md.")
      .example("axon-denoise compare denoised.nii.gz clean.nii.gz --mask brain.nii.gz", "Quality inside the brain")
      .example("axon-denoise compare --json a.nii.gz b.nii.gz --data-range 1000", "As JSON, with a fixed range")
      .run([](const Args& args, Context& ctx) {
        const std::string test_path = args.text("TEST"), ref_path = args.text("REF");
        const auto test = axon::read_volume<float>(test_path);
        const auto ref = axon::read_volume<float>(ref_path);
        const axon::Grid grid = axon::grid_of(ref.header);
        axon::require_same_grid(grid, ref_path, axon::grid_of(test.header), test_path);
        axon::denoise::require_finite(ref, ref_path);
        axon::denoise::require_finite(test, test_path);
        const std::size_t n = ref.data.size();

        std::vector<std::uint8_t> mask;
        const auto mask_path = args.maybe_text("mask");
        if (mask_path) {
          const auto mask_image = axon::read_volume<float>(*mask_path);
          axon::require_same_grid(grid, ref_path, axon::grid_of(mask_image.header), *mask_path);
          const axon::Mask m = axon::mask_from_image(mask_image, *mask_path);
          mask.assign(n, 0);
          for (int64_t i : m.indices) mask[i] = 1;
        }

        double range = 0;
        if (args.has("data-range")) {
          range = args.real("data-range");
          if (!(range > 0) || !std::isfinite(range)) throw axon::UsageError("--data-range must be a positive number");
        } else {
          range = axon::denoise::reference_data_range(ref.data.data(), n);
          if (range == 0)
            throw axon::InputError(ref_path, "reference is constant (max - min = 0): PSNR and SSIM need --data-range");
        }

        const axon::denoise::Dims3 dims{ref.nx(), ref.ny(), ref.nz()};
        const int window = 2 * axon::denoise::SsimParameters{}.radius() + 1;
        for (int64_t d : dims)
          if (d < window)
            throw axon::InputError(ref_path, "SSIM needs at least " + std::to_string(window) + " voxels along every axis");
        const auto q = axon::denoise::compare_images(test.data.data(), ref.data.data(), dims, range, mask);
        if (std::isnan(q.ssim))
          throw axon::InputError(*mask_path, "no mask voxel lies 5 or more voxels from the image border: SSIM is undefined");

        ctx.summary = {{"test", test_path}, {"reference", ref_path},
                       {"mask", mask_path ? nlohmann::json(*mask_path) : nlohmann::json(nullptr)},
                       {"voxels", q.voxels}, {"data_range", range},
                       {"data_range_source", args.has("data-range") ? "option" : "reference max - min"},
                       {"psnr_db", q.psnr}, {"ssim", q.ssim}, {"nrmse", q.nrmse}};
        if (!ctx.json) {
          std::cout << "PSNR   " << number(q.psnr, 4) << " dB\n"
                    << "SSIM   " << number(q.ssim, 6) << "\n"
                    << "NRMSE  " << number(q.nrmse, 6) << "\n"
                    << "data range " << number(range, 6)
                    << (args.has("data-range") ? " (--data-range)" : " (reference max - min)") << ", " << q.voxels
                    << " voxels" << (mask_path ? " in the mask" : "") << "\n";
        }
      });
}
