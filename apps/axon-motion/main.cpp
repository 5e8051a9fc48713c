// axon-motion: head-motion estimation and motion confounds for fMRI.
#include "commands.hpp"

int main(int argc, char** argv) {
  return axon::cli::Tool("axon-motion", "head-motion estimation and motion confounds for fMRI")
      .add(realign_command())
      .add(simulate_command())
      .add(score_command())
      .add(train_command())
      .main(argc, argv);
}
