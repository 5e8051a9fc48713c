#pragma once
// Export of a plan to Snakemake (the engine for clusters; we do not write a
// scheduler): a Snakefile with one rule per step (entities as wildcards,
// threads and memory as resources, the very command lines the local runner
// uses), a config file, and a SLURM profile submitting each job with sbatch.
#include <string>

#include "axon/pipeline/plan.hpp"

namespace axon::pipeline {

// Writes DIR/Snakefile, DIR/config.yaml and DIR/profiles/slurm/config.yaml
// (atomically, each). `bin_dir` is put first on PATH for the jobs.
void export_snakemake(const Plan& plan, const std::string& bin_dir, const std::string& dir);

// The Snakefile text alone (tests).
std::string snakefile_text(const Plan& plan);

// The plan's job graph in Graphviz DOT.
std::string dot_graph(const Plan& plan);

}  // namespace axon::pipeline
