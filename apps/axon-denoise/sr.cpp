#include <cmath>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/denoise/nlm.hpp"
#include "axon/denoise/noise_estimation.hpp"
#include "axon/denoise/super_resolution.hpp"
#include "axon/denoise/volume_checks.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "commands.hpp"

using namespace axon::cli;
namespace dn = axon::denoise;

namespace {

// Integer factors from --factor F or --voxel-size V (which must divide the
// input's voxel size into an integer, within 1 %).
dn::Factors factors_from(const Args& args, const axon::Grid& grid) {
  const bool by_factor = args.maybe_text("factor").has_value(), by_size = args.maybe_text("voxel-size").has_value();
  if (by_factor == by_size) throw axon::UsageError("give exactly one of --factor and --voxel-size");
  if (by_factor) {
    const long long f = args.integer("factor");
    if (f < 1 || f > 8) throw axon::UsageError("--factor must be an integer from 1 to 8");
    return {static_cast<int>(f), static_cast<int>(f), static_cast<int>(f)};
  }
  const double v = args.real("voxel-size");
  if (!(v > 0) || !std::isfinite(v)) throw axon::UsageError("--voxel-size must be positive");
  const Eigen::Vector3d spacing = grid.spacing();
  dn::Factors f{};
  for (int a = 0; a < 3; ++a) {
    const double ratio = spacing[a] / v;
    const long long r = std::llround(ratio);
    if (r < 1 || r > 8 || std::abs(ratio - r) > 0.01 * r)
      throw axon::UsageError("--voxel-size " + args.text("voxel-size") + ": the input's voxel size " +
                             std::to_string(spacing[a]) + " mm is not 1 to 8 times it");
    f[a] = static_cast<int>(r);
  }
  return f;
}

}  // namespace

axon::cli::Command sr_command() {
  return Command("sr", "non-local super-resolution of a 3D volume (Manjon et al. 2010)")
      .synopsis("IN OUT (--factor F | --voxel-size V) [options]")
      .positional(argument("IN", ValueKind::input_file, "3D low-resolution image"))
      .positional(argument("OUT", ValueKind::output_file, "float32 image on the finer grid"))
      .option(value(ValueKind::integer, "factor", "F", "integer upsampling factor on every axis (1 to 8)"))
      .option(value(ValueKind::real, "voxel-size", "V", "target voxel size in mm (an integer fraction of IN's)"))
      .option(choice("method", {"nlm", "bspline"}, "nlm",
                     "nlm: B-spline, then non-local reconstruction + back-projection; bspline: cubic B-spline only"))
      .option(choice("denoise", {"off", "auto"}, "off",
                     "auto: estimate the noise of IN and remove it (Rician NLM) before upsampling"))
      .option(value(ValueKind::real, "strength", "S",
                    "first NLM sigma as a fraction of IN's intensity range (then times --decay every iteration)", "0.3"))
      .option(value(ValueKind::integer, "iterations", "N", "at most N reconstruction iterations (1 to 20)", "10"))
      .option(value(ValueKind::real, "decay", "D", "the NLM sigma is multiplied by D every iteration (0 to 1)", "0.7"))
      .option(value(ValueKind::integer, "search-radius", "M", "NLM search cube of (2M+1)^3 voxels (1 to 10)", "3"))
      .description(
          "The output grid is exact: each block of F^3 output voxels is centred on its input voxel and the field "
          "of view is unchanged. With --method nlm, every block's mean equals its input voxel (back-projection, "
          "Manjon et al. 2010). See docs/axon-denoise.md.")
      .example("axon-denoise sr t1_1mm.nii.gz t1_05mm.nii.gz --voxel-size 0.5", "1 mm to 0.5 mm")
      .run([](const Args& args, Context& ctx) {
        const std::string in_path = args.text("IN"), out_path = args.text("OUT");
        auto lr = axon::read_volume<float>(in_path);
        dn::require_finite(lr, in_path);
        const dn::Factors factor = factors_from(args, axon::grid_of(lr.header));
        dn::SrOptions options;
        options.method = args.text("method") == "bspline" ? dn::SrMethod::bspline : dn::SrMethod::nlm;
        const long long iterations = args.integer("iterations");
        if (iterations < 1 || iterations > 20) throw axon::UsageError("--iterations must be between 1 and 20");
        options.iterations = static_cast<int>(iterations);
        options.initial_h_fraction = args.real("strength");
        if (!(options.initial_h_fraction > 0) || options.initial_h_fraction > 1)
          throw axon::UsageError("--strength must be in (0, 1]");
        options.h_decay = args.real("decay");
        if (!(options.h_decay > 0) || options.h_decay > 1) throw axon::UsageError("--decay must be in (0, 1]");
        const long long radius = args.integer("search-radius");
        if (radius < 1 || radius > 10) throw axon::UsageError("--search-radius must be between 1 and 10");
        options.search_radius = static_cast<int>(radius);
        double sigma = 0;
        if (args.text("denoise") == "auto") {
          const dn::Dims3 dims{lr.nx(), lr.ny(), lr.nz()};
          const auto map = dn::estimate_noise_map(lr.data.data(), dims);
          sigma = dn::summarize_noise_map(map);
          if (sigma > 0) lr.data = dn::nlm_denoise(lr.data.data(), dims, map, {}, dn::NlmOptions{});
        }
        auto result = dn::super_resolve(lr, factor, options);
        const nlohmann::json sr{{"method", args.text("method")},
                                {"factor", {factor[0], factor[1], factor[2]}},
                                {"iterations", result.iterations},
                                {"denoise", args.text("denoise")},
                                {"noise_sigma", sigma}};
        axon::OutputSet outputs(ctx.force);
        axon::write_image(result.image, outputs.add(out_path));
        axon::write_sidecar(outputs, out_path, ctx, {{"SuperResolution", sr}});
        outputs.commit_all();
        ctx.summary = {{"output", out_path}, {"factor", sr["factor"]}, {"iterations", result.iterations}};
      });
}
