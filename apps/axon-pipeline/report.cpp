#include <filesystem>
#include <iostream>

#include "axon/core/error.hpp"
#include "axon/pipeline/html_report.hpp"
#include "commands.hpp"

using namespace axon::cli;

Command report_command() {
  return Command("report", "write the HTML report of an output folder (run does this at its end)")
      .positional(argument("RUNDIR", ValueKind::text, "the output folder of a run, or one of its logs/run-* folders"))
      .description("One self-contained page per subject (figures embedded) with each step's figures, the numbers of "
                   "its JSON summary, its command line, tool version, time and peak memory; plus report/index.html.")
      .run([](const Args& args, Context& ctx) {
        const std::string dir = args.text("RUNDIR");
        if (!std::filesystem::is_directory(dir)) throw axon::InputError(dir, "no such folder");
        const std::string index = axon::pipeline::write_report(axon::pipeline::output_folder_of(dir));
        ctx.summary = {{"report", index}};
        if (!ctx.json) std::cout << index << "\n";
      });
}
