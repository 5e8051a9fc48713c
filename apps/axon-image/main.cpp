// axon-image: look at, convert and resample images; list the atlases.
#include "commands.hpp"

int main(int argc, char** argv) {
  return axon::cli::Tool("axon-image", "inspect, convert and resample NIfTI images")
      .add(info_command())
      .add(convert_command())
      .add(resample_command())
      .add(tmean_command())
      .add(atlases_command())
      .main(argc, argv);
}
