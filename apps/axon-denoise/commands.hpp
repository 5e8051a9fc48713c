#pragma once
#include "axon/core/command.hpp"

// One function per subcommand, each in its own file: declaration + run.
axon::cli::Command compare_command();
axon::cli::Command wavelet_command();
axon::cli::Command nlm_command();
axon::cli::Command mppca_command();
axon::cli::Command sr_command();
