// axon-pipeline: run declarative pipeline files locally, export them to
// Snakemake for clusters, draw their graph and write the HTML report.
#include "commands.hpp"

int main(int argc, char** argv) {
  return axon::cli::Tool("axon-pipeline", "run pipelines of axon tools: locally, or on a cluster through Snakemake")
      .add(run_command())
      .add(export_command())
      .add(graph_command())
      .add(report_command())
      .main(argc, argv);
}
