#include <iostream>

#include "axon/core/error.hpp"
#include "axon/core/threads.hpp"
#include "axon/pipeline/html_report.hpp"
#include "axon/pipeline/output_lock.hpp"
#include "axon/pipeline/runner.hpp"
#include "commands.hpp"

using namespace axon::cli;
namespace pl = axon::pipeline;

Command run_command() {
  return with_plan_options(Command("run", "run a pipeline on this machine: out-of-date jobs only, in parallel"))
      .option(value(ValueKind::integer, "jobs", "N",
                    "thread budget: jobs run at once while their threads (resources: threads) fit in N "
                    "(default: as --threads)"))
      .option(flag("dry-run", "validate and print the jobs that would run, with their command lines; run nothing"))
      .option(flag("keep-going", "after a failed job, go on with the jobs that do not depend on it"))
      .description(
          "Validates the whole file first (tools, options, parameters, entities, input files, cycles, outputs "
          "written twice). A job is skipped when its outputs are newer than its inputs and it was last run with "
          "the same command line and tool version; --force runs every job. Each run logs every job's command, "
          "stdout (the tool's --json summary), stderr, time and peak memory under OUT/logs/run-*/, and writes the "
          "HTML report (OUT/report/). SIGINT/SIGTERM are forwarded to the running jobs, which remove their "
          "unfinished outputs; running again finishes the rest. Exit 1 when a job failed (the message names it "
          "and its log), 4 when another run holds the output folder, 130 when interrupted.")
      .example("axon-pipeline run pipelines/rest-connectivity.yaml --set bids=/data/study --jobs 8",
               "Every subject found under /data/study, 8 threads at a time")
      .example("axon-pipeline run pipelines/t1-structural.yaml --subjects 01 --dry-run", "What would run for sub-01")
      .run([](const Args& args, Context& ctx) {
        const pl::Plan plan = plan_from(args);
        pl::RunOptions options;
        options.jobs = args.has("jobs") ? static_cast<int>(args.integer("jobs")) : ctx.threads;
        if (options.jobs < 1) throw axon::UsageError("--jobs must be at least 1");
        options.dry_run = args.flag("dry-run");
        options.force = ctx.force;
        options.keep_going = args.flag("keep-going");
        options.quiet = ctx.quiet;
        if (options.dry_run) {
          const auto r = pl::run_plan(plan, options);
          if (!ctx.json) {
            for (const auto& line : r.would_run) std::cout << line << "\n";
            std::cout << r.would_run.size() << " of " << plan.jobs.size() << " jobs would run; output folder "
                      << plan.out_dir << "\n";
          }
          ctx.summary = {{"jobs", plan.jobs.size()}, {"would_run", r.would_run}, {"out", plan.out_dir}};
          return;
        }
        pl::OutputLock lock(plan.out_dir);
        const auto r = pl::run_plan(plan, options);
        std::string report;
        if (r.ran > 0 || r.failed > 0 || r.up_to_date > 0) {
          try {
            report = pl::write_report(plan.out_dir);
          } catch (const axon::InputError&) {
            // nothing finished yet: no report
          }
        }
        ctx.summary = {{"ran", r.ran}, {"up_to_date", r.up_to_date}, {"failed", r.failed}, {"not_run", r.not_run},
                       {"log_dir", r.log_dir}, {"report", report}, {"out", plan.out_dir}};
        if (!ctx.quiet) {
          std::cerr << "axon-pipeline: " << r.ran << " ran, " << r.up_to_date << " up to date, " << r.failed << " failed, "
                    << r.not_run << " not run; logs: " << r.log_dir << "\n";
          if (!report.empty()) std::cerr << "axon-pipeline: report: " << report << "\n";
        }
        if (r.signal)
          throw axon::Error(axon::ExitCode::interrupted, "interrupted by signal " + std::to_string(r.signal) +
                                                             ": finished outputs are kept; run again to finish the rest");
        if (!r.failures.empty())
          throw axon::Error(axon::ExitCode::other, r.failures.size() == 1 ? r.failures.front()
                                                                          : std::to_string(r.failures.size()) + " jobs failed; first: " + r.failures.front());
      });
}
