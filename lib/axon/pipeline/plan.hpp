#pragma once
// The plan: a pipeline file checked against the tools' declarations and the
// data, unfolded into jobs (steps x entity tuples) with their exact command
// lines, inputs, outputs and dependencies. The local runner, the Snakemake
// export and the graph all read the same plan, so they run the same commands.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "axon/pipeline/entities.hpp"
#include "axon/pipeline/pipeline_file.hpp"
#include "axon/pipeline/tool_catalog.hpp"

namespace axon::pipeline {

struct PlanOptions {
  std::map<std::string, std::string> overrides;  // --set name=value
  std::vector<std::string> subjects;             // --subjects: only these
  std::string out_dir;                           // "" = derivatives/NAME
};

// Where a step input's value comes from.
struct Source {
  enum class Kind { input, step_output, file } kind = Kind::file;
  std::string path_template;  // absolute, or relative to the output folder for step outputs
  size_t step = 0;            // for step_output
  bool is_dir = false;
  std::string subpath;  // STEP.KEY/NAME: the file NAME inside the folder output KEY
  std::string input;    // for input: its name
};

struct StepPlan {
  StepSpec spec;
  nlohmann::json declaration;  // `--describe` of the command
  std::string tool_path, tool_version;
  std::vector<std::string> entities;  // BIDS order
  std::vector<Entities> instances;
  std::vector<size_t> upstream;  // steps whose outputs it reads
  // key -> value templates, with parameters already expanded
  std::map<std::string, std::vector<Source>> inputs;
  std::map<std::string, std::string> outputs;  // relative to the output folder
  std::map<std::string, bool> output_is_dir;
  std::map<std::string, std::vector<std::string>> options;
};

struct Job {
  size_t step = 0;
  Entities entities;
  std::string id;                 // "realign_sub-01_task-rest"
  std::vector<std::string> argv;  // argv[0] = tool name
  std::vector<std::string> inputs;   // absolute, or relative to the output folder
  std::vector<std::string> outputs;  // relative to the output folder
  std::vector<bool> output_is_dir;
  std::vector<size_t> deps;  // indices of the jobs it waits for
  int threads = 1;
  long long memory_mb = 0;
  std::string command_line() const;
};

struct Plan {
  PipelineFile file;
  std::map<std::string, std::string> parameters;  // defaults with --set applied
  std::string out_dir;                            // absolute
  std::vector<StepPlan> steps;                    // file order
  std::vector<size_t> step_order;                 // dependencies first
  std::vector<Job> jobs;                          // dependencies first
};

// Validates everything before anything runs; throws PipelineError (exit 3)
// pointing at the line, UsageError for a bad --set.
Plan build_plan(const PipelineFile& file, const PlanOptions& options, ToolCatalog& tools);

// The command of `step` for one tuple. With `entities` holding placeholder
// labels this gives the rule templates of the Snakemake export.
std::vector<std::string> step_argv(const Plan& plan, const StepPlan& step, const Entities& entities);

// Paths of a step's inputs and outputs for one tuple. An input inside a
// folder output (STEP.KEY/NAME) is listed as the folder: what the job
// waits for and what Snakemake matches to the rule that writes it.
std::vector<std::string> step_inputs(const StepPlan& step, const Entities& entities);
std::vector<std::string> step_outputs(const StepPlan& step, const Entities& entities);

// "sub-01 task-rest" or "" for a one-off step.
std::string describe_entities(const Entities& e);

}  // namespace axon::pipeline

namespace axon::pipeline {
// PlanOptions from the command line: --set k=v (repeated), --subjects 01,02
// ("sub-" prefixes accepted), --out DIR. Throws UsageError.
PlanOptions plan_options_from(const std::vector<std::string>& sets, const std::string& subjects_csv,
                              const std::string& out_dir);
}  // namespace axon::pipeline
