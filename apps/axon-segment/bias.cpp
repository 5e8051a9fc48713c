#include <cmath>
#include <sstream>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "axon/segment/n4_bias.hpp"
#include "commands.hpp"
#include "input_checks.hpp"

using namespace axon::cli;
namespace sg = axon::segment;

namespace {

// "50x50x50x50" -> {50, 50, 50, 50}: one entry per fitting level.
std::vector<unsigned> parse_iterations(const std::string& text) {
  std::vector<unsigned> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, 'x')) {
    std::size_t used = 0;
    long v = 0;
    try {
      v = std::stol(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size() || v < 1 || v > 10000)
      throw axon::UsageError("--iterations: '" + text + "' is not like 50x50x50x50 (positive counts, one per level)");
    out.push_back(static_cast<unsigned>(v));
  }
  if (out.empty() || out.size() > 10) throw axon::UsageError("--iterations: between 1 and 10 levels");
  return out;
}

}  // namespace

axon::cli::Command bias_command() {
  return Command("bias", "N4 bias-field correction (ITK's N4, the defaults of ANTs' N4BiasFieldCorrection)")
      .positional(argument("IN", ValueKind::input_file, "3D magnitude image (no negative values)"))
      .positional(argument("OUT", ValueKind::output_file, "bias-corrected float32 image, same grid and header"))
      .option(value(ValueKind::input_file, "mask", "M", "fit the field on voxels > 0 of M only (same grid)"))
      .option(value(ValueKind::integer, "shrink", "S", "shrink factor for the fit (1 to 16)", "4"))
      .option(value(ValueKind::text, "iterations", "N1xN2x...", "iterations per fitting level", "50x50x50x50"))
      .option(value(ValueKind::real, "spline-distance", "MM", "B-spline control point spacing in mm", "200"))
      .option(value(ValueKind::real, "convergence", "T", "stop a level when the field changes less than T", "0"))
      .option(value(ValueKind::output_file, "bias-field", "OUT", "write the estimated multiplicative field"))
      .description(
          "N4 (Tustison et al. 2010) through ITK's N4BiasFieldCorrectionImageFilter with ANTs' defaults "
          "(-s 4 -c [50x50x50x50,0] -b [200,3], histogram sharpening FWHM 0.15, Wiener noise 0.01, 200 bins). "
          "The field is fitted on the image shrunk by --shrink and evaluated at full resolution from the B-spline "
          "lattice; OUT = IN / field. N4 models log(intensity): only voxels > 0 (inside --mask when given) take part "
          "in the fit and voxels equal to 0 stay 0; negative voxels are an error. See docs/axon-segment.md.")
      .example("axon-segment bias t1.nii.gz t1_n4.nii.gz", "ANTs' defaults, every voxel > 0")
      .example("axon-segment bias t1.nii.gz t1_n4.nii.gz --mask brain.nii.gz --bias-field field.nii.gz",
               "fit inside a brain mask and keep the field")
      .run([](const Args& args, Context& ctx) {
        const std::string in_path = args.text("IN"), out_path = args.text("OUT");
        sg::N4Options options;
        const long long shrink = args.integer("shrink");
        if (shrink < 1 || shrink > 16) throw axon::UsageError("--shrink must be between 1 and 16");
        options.shrink = static_cast<int>(shrink);
        options.iterations = parse_iterations(args.text("iterations"));
        options.spline_distance_mm = args.real("spline-distance");
        if (!(options.spline_distance_mm > 0) || !std::isfinite(options.spline_distance_mm))
          throw axon::UsageError("--spline-distance must be a positive number of mm");
        options.convergence = args.real("convergence");
        if (!(options.convergence >= 0) || !std::isfinite(options.convergence))
          throw axon::UsageError("--convergence must be >= 0");
        const auto field_path = args.maybe_text("bias-field");

        const auto image = read_intensity_volume(in_path);
        for (std::size_t i = 0; i < image.data.size(); ++i)
          if (image.data[i] < 0)
            throw axon::InputError(in_path, "negative intensity (" + std::to_string(image.data[i]) +
                                                ") at voxel index " + std::to_string(i) +
                                                ": N4 needs a magnitude image (values >= 0)");
        const auto mask = read_mask_like(args.maybe_text("mask"), image, in_path);
        const sg::N4Result r = sg::n4_correct(image, mask, options, in_path);

        double lo = INFINITY, hi = -INFINITY;
        for (std::size_t i = 0; i < image.data.size(); ++i)
          if ((mask.empty() || mask[i]) && image.data[i] > 0) {
            lo = std::min(lo, static_cast<double>(r.field.data[i]));
            hi = std::max(hi, static_cast<double>(r.field.data[i]));
          }
        std::string iterations = args.text("iterations");
        const nlohmann::json details{
            {"method", "N4 (Tustison et al. 2010), ITK N4BiasFieldCorrectionImageFilter"},
            {"shrink", options.shrink},
            {"iterations", options.iterations},
            {"convergence", options.convergence},
            {"spline_distance_mm", options.spline_distance_mm},
            {"spline_order", options.spline_order},
            {"control_points", {r.control_points[0], r.control_points[1], r.control_points[2]}},
            {"histogram_sharpening", {{"fwhm", options.bias_fwhm}, {"wiener_noise", options.wiener_noise},
                                      {"bins", options.histogram_bins}}},
            {"fit_voxels", args.maybe_text("mask") ? "mask and intensity > 0" : "intensity > 0"},
            {"field_range_in_fit", {lo, hi}}};
        axon::OutputSet outputs(ctx.force);
        axon::write_image(r.corrected, outputs.add(out_path));
        axon::write_sidecar(outputs, out_path, ctx, {{"BiasCorrection", details}});
        if (field_path) {
          axon::write_image(r.field, outputs.add(*field_path));
          axon::write_sidecar(outputs, *field_path, ctx, {{"BiasField", details}});
        }
        outputs.commit_all();
        ctx.summary = {{"output", out_path}, {"field_min", lo}, {"field_max", hi}};
        axon::log::info("bias field range in the fit region: " + std::to_string(lo) + " to " + std::to_string(hi));
      });
}
