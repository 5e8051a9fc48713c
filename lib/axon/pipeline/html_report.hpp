#pragma once
// The run report: one self-contained HTML page per subject (figures
// embedded as data: URIs, so a page can be mailed or archived alone) with
// each step's PNG figures, the numbers of the tool's JSON summary, the
// tables the step's `report:` names in its outputs' sidecars, the command
// line, the tool version, time and peak memory; plus an index page.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "axon/pipeline/plan.hpp"

namespace axon::pipeline {

// Reads the job records under OUT/.axon-pipeline and writes
// OUT/report/index.html and OUT/report/sub-X.html (one per subject; jobs
// without a subject go to group.html). Returns the index page's path.
// Throws InputError when OUT holds no job records.
std::string write_report(const std::string& out_dir);

// The `report:` tables of one job, as kept in its record: a list of
// {title, key, rows, sidecar} with the sidecar's path relative to the output folder.
nlohmann::json report_tables_of(const StepPlan& step, const Job& job);

// One table of the page: the value at the dotted `key` of `sidecar`, as
// HTML. An object of numbers or text is a two-column table (name, value;
// an object among the values adds a row per field, "labels.4");
// an object of objects (or a list of objects) is one row per entry and one
// column per field; a missing key says so in the page (never an error: the
// report is written after the run). `rows`, when not empty, picks the
// entries shown and their order (absent ones are skipped).
std::string sidecar_table_html(const nlohmann::json& sidecar, const std::string& key, const std::string& title,
                               const std::vector<std::string>& rows = {});

// The output folder a RUNDIR argument names: OUT itself, or a run log
// folder OUT/logs/run-... inside it.
std::string output_folder_of(const std::string& run_dir);

}  // namespace axon::pipeline
