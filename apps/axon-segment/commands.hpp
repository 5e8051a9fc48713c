#pragma once
#include "axon/core/command.hpp"

// One function per subcommand, each in its own file: declaration + run.
axon::cli::Command evaluate_command();
axon::cli::Command bias_command();
axon::cli::Command tissue_command();
axon::cli::Command brain_command();
#ifdef AXON_WITH_VTK
axon::cli::Command mesh_command();  // needs VTK (AXON_WITH_VTK)
#endif
