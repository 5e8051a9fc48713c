#include <iostream>

#include "axon/image/describe.hpp"
#include "commands.hpp"

using namespace axon::cli;

axon::cli::Command info_command() {
  return Command("info", "print dimensions, spacing, datatype, orientation, TR, transforms and value range")
      .positional(arguments("IMAGE", ValueKind::input_file, "NIfTI-1/2 image(s), .nii or .nii.gz"))
      .option(flag("header-only", "do not read the voxels (no value range)"))
      .example("axon-image info sub-01_T1w.nii.gz", "Summarise one image")
      .example("axon-image info --json bold.nii.gz", "The same as JSON, for scripts")
      .run([](const Args& args, Context& ctx) {
        nlohmann::json all = nlohmann::json::array();
        for (const auto& path : args.list("IMAGE")) {
          nlohmann::json j = axon::describe_image(path, !args.flag("header-only"));
          if (!ctx.json) std::cout << axon::describe_as_text(j);
          all.push_back(j);
        }
        ctx.summary = {{"images", all}};
      });
}
