#pragma once
#include "axon/core/command.hpp"
#include "axon/pipeline/plan.hpp"

// One function per subcommand, each in its own file: declaration + run.
axon::cli::Command run_command();
axon::cli::Command export_command();
axon::cli::Command graph_command();
axon::cli::Command report_command();

// The options every command that reads a pipeline file shares.
axon::cli::Command with_plan_options(axon::cli::Command command);
// Reads the file and builds its plan from those options.
axon::pipeline::Plan plan_from(const axon::cli::Args& args);
