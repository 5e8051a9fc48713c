// axon-denoise: MRI denoising, and the image-quality measures to judge it.
#include "commands.hpp"

int main(int argc, char** argv) {
  return axon::cli::Tool("axon-denoise", "denoise MRI volumes and measure image quality")
      .add(compare_command())
      .main(argc, argv);
}
