// axon-motion: head-motion estimation and motion confounds for fMRI.
#include "commands.hpp"

int main(int argc, char** argv) {
  return axon::cli::Tool("axon-motion", "head-motion estimation and motion confounds for fMRI")
      .add(realign_command())
      .main(argc, argv);
}
