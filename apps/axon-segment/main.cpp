// axon-segment: bias correction, brain extraction, tissue classes,
// label-agreement metrics, label surfaces and brain-tumour labels (learned
// model) for structural MRI.
#include "axon/io/template_registry.hpp"
#include "commands.hpp"

int main(int argc, char** argv) {
  axon::accept_template_names();  // `colin27` wherever an image path is taken
  axon::cli::Tool tool("axon-segment", "bias correction, brain extraction, tissue classes, label metrics, surfaces, tumours");
  tool.add(bias_command()).add(brain_command()).add(tissue_command()).add(tumour_command()).add(evaluate_command());
#ifdef AXON_WITH_VTK
  tool.add(mesh_command());
#endif
  return tool.main(argc, argv);
}
