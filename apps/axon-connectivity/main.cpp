// axon-connectivity: denoised atlas time series and connectivity matrices.
#include "commands.hpp"

int main(int argc, char** argv) {
  return axon::cli::Tool("axon-connectivity", "functional connectivity from BOLD series")
      .add(roi_command())
      .add(voxel_command())
      .add(group_command())
      .main(argc, argv);
}
