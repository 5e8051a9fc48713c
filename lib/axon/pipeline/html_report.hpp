#pragma once
// The run report: one self-contained HTML page per subject (figures
// embedded as data: URIs, so a page can be mailed or archived alone) with
// each step's PNG figures, the numbers of the tool's JSON summary, the
// command line, the tool version, time and peak memory; plus an index page.
#include <string>
#include <vector>

namespace axon::pipeline {

// Reads the job records under OUT/.axon-pipeline and writes
// OUT/report/index.html and OUT/report/sub-X.html (one per subject; jobs
// without a subject go to group.html). Returns the index page's path.
// Throws InputError when OUT holds no job records.
std::string write_report(const std::string& out_dir);

// The output folder a RUNDIR argument names: OUT itself, or a run log
// folder OUT/logs/run-... inside it.
std::string output_folder_of(const std::string& run_dir);

}  // namespace axon::pipeline
