#pragma once
#include "axon/core/command.hpp"

// One function per subcommand, each in its own file: declaration + run.
axon::cli::Command evaluate_command();
axon::cli::Command bias_command();
axon::cli::Command tissue_command();
axon::cli::Command brain_command();
axon::cli::Command tumour_command();  // needs LibTorch (lib/axon/learn)

// `--qc PNG`, shared by brain and tissue: the same figure of the image with
// the outlines of the mask or labels (segment/qc_figure.hpp).
inline axon::cli::OptionSpec qc_figure_option() {
  return axon::cli::value(axon::cli::ValueKind::output_file, "qc", "PNG",
                          "quality-control figure: three orthogonal slices with the outlines");
}

#ifdef AXON_WITH_VTK
axon::cli::Command mesh_command();  // needs VTK (AXON_WITH_VTK)
#endif
