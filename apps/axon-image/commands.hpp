#pragma once
#include "axon/core/command.hpp"

// One function per subcommand, each in its own file: declaration + run.
axon::cli::Command info_command();
axon::cli::Command resample_command();
axon::cli::Command convert_command();
axon::cli::Command atlases_command();
axon::cli::Command templates_command();
axon::cli::Command tmean_command();
