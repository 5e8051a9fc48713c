#include <iostream>

#include "axon/pipeline/snakemake_export.hpp"
#include "commands.hpp"

using namespace axon::cli;

Command graph_command() {
  return with_plan_options(Command("graph", "print the job graph (steps x subjects) in Graphviz DOT"))
      .example("axon-pipeline graph pipelines/rest-connectivity.yaml | dot -Tpng > dag.png", "Draw the graph")
      .run([](const Args& args, Context& ctx) {
        const auto plan = plan_from(args);
        if (ctx.json) ctx.summary = {{"dot", axon::pipeline::dot_graph(plan)}};
        else std::cout << axon::pipeline::dot_graph(plan);
      });
}
