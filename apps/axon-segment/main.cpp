// axon-segment: bias correction, brain extraction, tissue classes and
// label-agreement metrics for structural MRI.
#include "commands.hpp"

int main(int argc, char** argv) {
  return axon::cli::Tool("axon-segment", "bias correction, brain extraction, tissue classes, label metrics")
      .add(bias_command())
      .add(brain_command())
      .add(tissue_command())
      .add(evaluate_command())
      .main(argc, argv);
}
