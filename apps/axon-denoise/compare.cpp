#include <cmath>
#include <iostream>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/denoise/image_quality.hpp"
#include "axon/denoise/volume_checks.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/mask.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "axon/io/tsv.hpp"
#include "commands.hpp"

using namespace axon::cli;

namespace {

// A table or JSON cell: the number, or BIDS's n/a (JSON null) where it is
// undefined (PSNR of identical images, NRMSE against an all-zero reference).
std::string cell(double v) { return std::isfinite(v) ? axon::format_number(v) : "n/a"; }
nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

// The TSV's BIDS column descriptions (its JSON sidecar).
nlohmann::json column_descriptions() {
  return {{"psnr_db", {{"Description", "peak signal-to-noise ratio, 10 log10(R^2 / MSE); n/a when TEST equals REF"},
                       {"Units", "dB"}}},
          {"ssim", {{"Description", "mean 3D structural similarity (Gaussian window, sigma 1.5 voxels)"}}},
          {"nrmse", {{"Description", "sqrt(MSE) / sqrt(mean(REF^2)); n/a when REF is 0 everywhere"}}},
          {"data_range", {{"Description", "R: --data-range, or max - min of REF"}}},
          {"voxels", {{"Description", "voxels in PSNR and NRMSE (the mask's, or the whole grid)"}}}};
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
      .option(value(ValueKind::output_file, "out", "TABLE.tsv",
                    "also write the measures as a one-row TSV (psnr_db, ssim, nrmse, data_range, voxels; n/a where "
                    "undefined) with a JSON sidecar"))
      .description(
          "Definitions are scikit-image's: PSNR = 10 log10(R^2 / MSE); NRMSE = sqrt(MSE) / sqrt(mean(REF^2)); "
          "SSIM as structural_similarity(REF, TEST, gaussian_weights=True, sigma=1.5, "
          "use_sample_covariance=False, data_range=R) in 3D (Wang et al. 2004), averaged over the voxels at "
          "least 5 voxels from every border (and inside the mask). Every axis needs at least 11 voxels. "
          "Identical images give PSNR inf (null in --json). A constant REF without --data-range is an error "
          "(its range is 0). NaN or infinite voxels in TEST or REF are an error. See docs/axon-denoise.md.")
      .example("axon-denoise compare denoised.nii.gz clean.nii.gz --mask brain.nii.gz", "Quality inside the brain")
      .example("axon-denoise compare --json a.nii.gz b.nii.gz --data-range 1000", "As JSON, with a fixed range")
      .example("axon-denoise compare sr.nii.gz t1.nii.gz --out quality.tsv", "As a table, e.g. for a pipeline step")
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

        const auto out_path = args.maybe_text("out");
        if (out_path) {
          axon::Table table;
          table.columns = {"psnr_db", "ssim", "nrmse", "data_range", "voxels"};
          table.rows.push_back({cell(q.psnr), cell(q.ssim), cell(q.nrmse), cell(range), std::to_string(q.voxels)});
          axon::OutputSet outputs(ctx.force);
          axon::write_tsv(table, outputs.add(*out_path));
          nlohmann::json sidecar = column_descriptions();
          sidecar["Definitions"] = "docs/axon-denoise.md (scikit-image's PSNR, SSIM and NRMSE)";
          axon::write_sidecar(outputs, *out_path, ctx, sidecar);
          outputs.commit_all();
        }
        ctx.summary = {{"test", test_path}, {"reference", ref_path},
                       {"mask", mask_path ? nlohmann::json(*mask_path) : nlohmann::json(nullptr)},
                       {"voxels", q.voxels}, {"data_range", range},
                       {"data_range_source", args.has("data-range") ? "option" : "reference max - min"},
                       {"psnr_db", number_or_null(q.psnr)}, {"ssim", number_or_null(q.ssim)},
                       {"nrmse", number_or_null(q.nrmse)}};
        if (out_path) ctx.summary["output"] = *out_path;
        if (!ctx.json) {
          std::cout << "PSNR   " << axon::format_fixed(q.psnr, 4) << " dB\n"
                    << "SSIM   " << axon::format_fixed(q.ssim, 6) << "\n"
                    << "NRMSE  " << axon::format_fixed(q.nrmse, 6) << "\n"
                    << "data range " << axon::format_fixed(range, 6)
                    << (args.has("data-range") ? " (--data-range)" : " (reference max - min)") << ", " << q.voxels
                    << " voxels" << (mask_path ? " in the mask" : "") << "\n";
        }
      });
}
