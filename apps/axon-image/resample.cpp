#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/resample.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "commands.hpp"

using namespace axon::cli;

axon::cli::Command resample_command() {
  return Command("resample", "resample an image onto the grid of another image (same world space, no registration)")
      .positional(argument("IN", ValueKind::input_file, "image to resample (3D or 4D)"))
      .positional(argument("OUT", ValueKind::output_file, "output image on the grid of --like"))
      .option(required(value(ValueKind::input_file, "like", "REF",
                             "image whose grid (dimensions and affine) the output takes")))
      .option(choice("interp", {"auto", "nearest", "linear", "bspline"}, "auto",
                     "interpolation; auto = nearest for integer images (labels), linear otherwise"))
      .description("World coordinates are matched through both images' affines (sform, else qform). "
                   "Nearest-neighbour output keeps the input datatype, so labels keep their exact values; "
                   "linear and cubic B-spline outputs are float32. Voxels outside the input are 0.")
      .example("axon-image resample atlas.nii.gz atlas_in_bold.nii.gz --like bold.nii.gz",
               "Put an atlas on the grid of a BOLD series (labels: nearest neighbour)")
      .run([](const Args& args, Context& ctx) {
        const std::string in = args.text("IN"), out = args.text("OUT"), like = args.text("like");
        axon::ImageHeader source_header = axon::read_header(in);
        axon::ImageHeader target = axon::read_header(like);
        std::string interp = args.text("interp");
        if (interp == "auto") interp = axon::datatype_is_integer(source_header.datatype) ? "nearest" : "linear";
        if (!axon::grids_overlap(axon::grid_of(source_header), axon::grid_of(target)))
          axon::log::warn(in + " and " + like + " do not overlap in world space: the output will be all zeros");
        axon::OutputSet outputs(ctx.force);
        if (interp == "nearest" && axon::datatype_is_integer(source_header.datatype)) {
          auto image = axon::read_image<int32_t>(in);
          auto result = axon::resample_like(image, target, axon::Interpolation::nearest);
          axon::write_image(result, outputs.add(out));
        } else {
          auto image = axon::read_image<float>(in);
          auto result = axon::resample_like(image, target, axon::parse_interpolation(interp));
          if (interp != "nearest") {
            result.header.datatype = static_cast<int>(axon::DataType::float32);
            result.header.scl_slope = 0;
            result.header.scl_inter = 0;
          }
          axon::write_image(result, outputs.add(out));
        }
        axon::write_sidecar(outputs, out, ctx, {{"Interpolation", interp}, {"GridFrom", like}});
        outputs.commit_all();
        ctx.summary = {{"output", out}, {"interpolation", interp}};
      });
}
