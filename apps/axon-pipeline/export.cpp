#include <filesystem>
#include <iostream>

#include "axon/pipeline/snakemake_export.hpp"
#include "axon/pipeline/tool_catalog.hpp"
#include "commands.hpp"

using namespace axon::cli;
namespace pl = axon::pipeline;

Command export_command() {
  return with_plan_options(Command("export", "write a Snakemake workflow (and a SLURM profile) for a pipeline"))
      .option(required(value(ValueKind::text, "snakemake", "DIR", "folder for Snakefile, config.yaml, profiles/slurm/")))
      .description(
          "One rule per step with the entities as wildcards, threads and memory as resources, and the command "
          "lines `axon-pipeline run` uses, so both give identical outputs. The jobs' working folder is the output "
          "folder (--out, recorded in config.yaml as `out`); the axon executables are found in `bin` "
          "(config.yaml), by default the folder of this axon-pipeline.")
      .example("axon-pipeline export pipelines/rest-connectivity.yaml --set bids=/data/study --snakemake wf",
               "Then: snakemake -s wf/Snakefile --profile wf/profiles/slurm")
      .run([](const Args& args, Context& ctx) {
        const pl::Plan plan = plan_from(args);
        const auto dirs = pl::ToolCatalog::default_search_dirs();
        const std::string dir = args.text("snakemake");
        pl::export_snakemake(plan, dirs.empty() ? std::string(".") : dirs.front(), dir);
        ctx.summary = {{"snakefile", dir + "/Snakefile"}, {"rules", plan.steps.size()}, {"jobs", plan.jobs.size()}};
        if (!ctx.json && !ctx.quiet)
          std::cerr << "axon-pipeline: wrote " << dir << "/Snakefile (" << plan.steps.size() << " rules, " << plan.jobs.size()
                    << " jobs); run: snakemake -s " << dir << "/Snakefile --cores N   or   --profile " << dir
                    << "/profiles/slurm\n";
      });
}
