#pragma once
#include "axon/core/command.hpp"

// One function per subcommand, each in its own file: declaration + run.
axon::cli::Command roi_command();
axon::cli::Command voxel_command();
axon::cli::Command group_command();
