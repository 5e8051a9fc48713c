// axon-register: rigid, affine and deformable (SyN) registration, and
// applying the transforms it writes (or ANTs'/ITK's) to images.
#include "axon/io/template_registry.hpp"
#include "commands.hpp"

int main(int argc, char** argv) {
  axon::accept_template_names();  // `colin27` wherever an image path is taken
  return axon::cli::Tool("axon-register", "rigid, affine and deformable (SyN) registration of 3D images")
      .add(run_command())
      .add(apply_command())
      .main(argc, argv);
}
