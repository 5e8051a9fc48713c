#pragma once
// The local runner: runs the plan's out-of-date jobs in dependency order,
// as many at once as fit in a thread budget (a job with threads: 2 takes two
// of --jobs), logs each job to a per-run folder, and forwards SIGINT/SIGTERM
// to running jobs (whose tools then remove their temporaries: an
// interrupted run leaves no partial output, and running again finishes it).
#include <string>
#include <vector>

#include "axon/pipeline/plan.hpp"

namespace axon::pipeline {

struct RunOptions {
  int jobs = 1;             // thread budget
  bool dry_run = false;     // print what would run, run nothing
  bool force = false;       // run every job, up to date or not
  bool keep_going = false;  // after a failure, go on with jobs that do not depend on it
  bool quiet = false;       // no progress lines
};

struct RunResult {
  int ran = 0, up_to_date = 0, failed = 0, not_run = 0;
  int signal = 0;                  // the signal that interrupted the run, 0 if none
  std::string log_dir;             // OUT/logs/run-...
  std::vector<std::string> failures;  // "job (exit N): see LOG"
  std::vector<std::string> would_run; // dry run: the command lines
};

RunResult run_plan(const Plan& plan, const RunOptions& options);

}  // namespace axon::pipeline
