#pragma once
#include "axon/core/command.hpp"

// One function per subcommand, each in its own file: declaration + run.
axon::cli::Command evaluate_command();
axon::cli::Command bias_command();
axon::cli::Command tissue_command();
axon::cli::Command brain_command();
