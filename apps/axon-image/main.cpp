// axon-image: look at, convert and resample images; list the atlases and templates.
#include "axon/io/template_registry.hpp"
#include "commands.hpp"

int main(int argc, char** argv) {
  axon::accept_template_names();  // `colin27` wherever an image path is taken
  return axon::cli::Tool("axon-image", "inspect, convert and resample NIfTI images")
      .add(info_command())
      .add(convert_command())
      .add(resample_command())
      .add(tmean_command())
      .add(atlases_command())
      .add(templates_command())
      .main(argc, argv);
}
