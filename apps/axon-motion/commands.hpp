#pragma once
#include "axon/core/command.hpp"

// One function per subcommand, each in its own file: declaration + run.
axon::cli::Command realign_command();
axon::cli::Command simulate_command();
axon::cli::Command score_command();
axon::cli::Command train_command();
