#pragma once
// What the runner remembers between runs, under OUT/.axon-pipeline/: one
// record per finished job (its command line, the tool's version, times,
// peak memory, the tool's JSON summary). A job is up to date when its
// outputs exist, are newer than its inputs, and its record shows the same
// command line and tool version.
#include <string>

#include <nlohmann/json.hpp>

#include "axon/pipeline/plan.hpp"

namespace axon::pipeline {

std::string state_dir(const std::string& out_dir);
std::string job_record_path(const std::string& out_dir, const std::string& job_id);

// Why `job` must run ("" when it is up to date).
std::string out_of_date_reason(const Plan& plan, const Job& job);

// Writes the record atomically (temporary + rename).
void write_job_record(const std::string& out_dir, const std::string& job_id, const nlohmann::json& record);
// Every record under OUT/.axon-pipeline/jobs, in pipeline order (step, then entities).
std::vector<nlohmann::json> read_job_records(const std::string& out_dir);

// Writes `text` to `path` atomically (temporary in the same folder, rename).
void write_text_atomically(const std::string& path, const std::string& text);

}  // namespace axon::pipeline
