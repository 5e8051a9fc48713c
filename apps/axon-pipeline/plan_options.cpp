#include "axon/pipeline/pipeline_file.hpp"
#include "axon/pipeline/tool_catalog.hpp"
#include "commands.hpp"

using namespace axon::cli;

Command with_plan_options(Command command) {
  return command.positional(argument("FILE", ValueKind::input_file, "pipeline file (YAML; see docs/pipelines.md)"))
      .option(repeated(value(ValueKind::text, "set", "NAME=VALUE", "override a parameter of the file (repeatable)")))
      .option(value(ValueKind::text, "subjects", "01,02", "only these subjects"))
      .option(value(ValueKind::text, "out", "DIR", "output folder (default: derivatives/NAME, NAME from the file)"));
}

axon::pipeline::Plan plan_from(const Args& args) {
  namespace pl = axon::pipeline;
  const auto file = pl::read_pipeline_file(args.text("FILE"));
  pl::ToolCatalog tools(pl::ToolCatalog::default_search_dirs());
  return pl::build_plan(file, pl::plan_options_from(args.list("set"), args.maybe_text("subjects").value_or(""),
                                                    args.maybe_text("out").value_or("")),
                        tools);
}
