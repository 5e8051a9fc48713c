#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "commands.hpp"

using namespace axon::cli;

namespace {
int datatype_code(const std::string& name) {
  for (auto dt : {axon::DataType::uint8, axon::DataType::int8, axon::DataType::int16, axon::DataType::uint16,
                  axon::DataType::int32, axon::DataType::uint32, axon::DataType::float32, axon::DataType::float64})
    if (name == axon::datatype_name(static_cast<int>(dt))) return static_cast<int>(dt);
  return 0;
}
}  // namespace

axon::cli::Command convert_command() {
  return Command("convert", "copy an image keeping its header, optionally changing datatype, compression or NIfTI version")
      .positional(argument("IN", ValueKind::input_file, "input image"))
      .positional(argument("OUT", ValueKind::output_file, "output image (.nii or .nii.gz decides the compression)"))
      .option(choice("datatype", {"keep", "uint8", "int8", "int16", "uint16", "int32", "uint32", "float32", "float64"},
                     "keep", "on-disk datatype of the output"))
      .option(choice("nifti", {"keep", "1", "2"}, "keep", "NIfTI version of the output"))
      .description("Every header field (qform and sform with their codes, units, TR, toffset, intent, descrip) "
                   "is kept. Integer outputs are rounded; a value that does not fit the datatype is an error.")
      .example("axon-image convert in.nii out.nii.gz", "Compress an image")
      .run([](const Args& args, Context& ctx) {
        const std::string in = args.text("IN"), out = args.text("OUT");
        auto image = axon::read_image<double>(in);
        if (args.text("datatype") != "keep") {
          image.header.datatype = datatype_code(args.text("datatype"));
          image.header.scl_slope = 0;
          image.header.scl_inter = 0;
        }
        if (args.text("nifti") != "keep") image.header.nifti_version = std::stoi(args.text("nifti"));
        axon::OutputSet outputs(ctx.force);
        axon::write_image(image, outputs.add(out));
        axon::write_sidecar(outputs, out, ctx);
        outputs.commit_all();
        ctx.summary = {{"output", out}, {"datatype", axon::datatype_name(image.header.datatype)}};
      });
}
