#include "axon/core/atomic_output.hpp"
#include "axon/image/temporal_mean.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "commands.hpp"

using namespace axon::cli;

axon::cli::Command tmean_command() {
  return Command("tmean", "voxel-wise temporal mean of a 4D series")
      .positional(argument("SERIES", ValueKind::input_file, "4D image (at least 2 volumes)"))
      .positional(argument("OUT", ValueKind::output_file, "3D float32 mean image"))
      .description("Streams the series one volume at a time: memory is two volumes, whatever the length.")
      .example("axon-image tmean bold.nii.gz bold_mean.nii.gz", "A mean BOLD image, e.g. as a reference")
      .run([](const Args& args, Context& ctx) {
        const std::string out = args.text("OUT");
        auto mean = axon::temporal_mean(args.text("SERIES"));
        axon::OutputSet outputs(ctx.force);
        axon::write_image(mean, outputs.add(out));
        axon::write_sidecar(outputs, out, ctx);
        outputs.commit_all();
        ctx.summary = {{"output", out}};
      });
}
