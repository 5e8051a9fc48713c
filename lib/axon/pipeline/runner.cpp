#include "axon/pipeline/runner.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>

#include "axon/core/log.hpp"
#include "axon/pipeline/html_report.hpp"
#include "axon/pipeline/job_state.hpp"
#include "axon/pipeline/process.hpp"

namespace axon::pipeline {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The signal handler may only touch a fixed table and call kill(): the
// process groups of the running jobs, updated with signals blocked.
constexpr int kMaxRunning = 1024;
volatile pid_t g_running[kMaxRunning];
volatile sig_atomic_t g_signal = 0;

extern "C" void forward_signal(int sig) {
  g_signal = sig;
  for (int i = 0; i < kMaxRunning; ++i)
    if (g_running[i] > 0) kill(-g_running[i], sig);
}

class SignalGuard {
 public:
  SignalGuard() {
    for (auto& p : g_running) p = 0;
    g_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = forward_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: wait4 returns EINTR so the loop sees it
    for (size_t i = 0; i < 3; ++i) sigaction(kSignals[i], &sa, &old_[i]);
  }
  ~SignalGuard() {
    for (size_t i = 0; i < 3; ++i) sigaction(kSignals[i], &old_[i], nullptr);
  }
  static void set_slot(int slot, pid_t pid) {
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    g_running[slot] = pid;
    sigprocmask(SIG_SETMASK, &old, nullptr);
  }

 private:
  static constexpr int kSignals[3] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction old_[3];
};

std::string utc_now(const char* format) {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

void note(bool quiet, const std::string& message) {
  if (!quiet) std::fprintf(stderr, "%s: %s\n", log::program().c_str(), message.c_str()), std::fflush(stderr);
}

std::string label(const Plan& plan, const Job& job) {
  std::string e = describe_entities(job.entities);
  return plan.steps[job.step].spec.name + (e.empty() ? "" : " " + e);
}

json read_summary(const std::string& path) {
  std::ifstream in(path);
  try {
    json j;
    in >> j;
    return j;
  } catch (const json::exception&) {
    return json::object();
  }
}

}  // namespace

RunResult run_plan(const Plan& plan, const RunOptions& options) {
  const size_t n = plan.jobs.size();
  enum class State { waiting, running, done, failed, blocked };
  std::vector<State> state(n, State::waiting);
  std::vector<std::string> reason(n);
  RunResult result;

  // Out of date, or downstream of a job that will run (jobs are in
  // dependency order, so one pass suffices).
  std::vector<bool> scheduled(n, false);
  for (size_t i = 0; i < n; ++i) {
    const Job& job = plan.jobs[i];
    if (options.force) reason[i] = "--force";
    for (size_t d : job.deps)
      if (scheduled[d] && reason[i].empty()) reason[i] = plan.jobs[d].id + " runs first";
    if (reason[i].empty()) reason[i] = out_of_date_reason(plan, job);
    scheduled[i] = !reason[i].empty();
    if (!scheduled[i]) {
      state[i] = State::done;
      ++result.up_to_date;
    }
  }
  if (options.dry_run) {
    for (size_t i = 0; i < n; ++i)
      if (scheduled[i]) result.would_run.push_back(plan.jobs[i].command_line() + "   # " + plan.jobs[i].id + ": " + reason[i]);
    return result;
  }

  // The report tables are not part of the command, so a job that is up to
  // date gets the pipeline file's current ones in its record.
  for (size_t i = 0; i < n; ++i) {
    if (scheduled[i]) continue;
    const Job& job = plan.jobs[i];
    std::ifstream in(job_record_path(plan.out_dir, job.id));
    json rec;
    try {
      in >> rec;
    } catch (const json::exception&) {
      continue;
    }
    json tables = report_tables_of(plan.steps[job.step], job);
    if (rec.value("report_tables", json::array()) == tables) continue;
    if (tables.empty()) rec.erase("report_tables");
    else rec["report_tables"] = tables;
    write_job_record(plan.out_dir, job.id, rec);
  }

  const std::string run_id = "run-" + utc_now("%Y%m%dT%H%M%SZ") + "-" + std::to_string(getpid());
  result.log_dir = (fs::path(plan.out_dir) / "logs" / run_id).string();
  fs::create_directories(result.log_dir);
  json run_log{{"pipeline", plan.file.name}, {"pipeline_file", fs::absolute(plan.file.path).string()},
               {"version", plan.file.version}, {"parameters", plan.parameters}, {"started", utc_now("%Y-%m-%dT%H:%M:%SZ")},
               {"jobs_budget", options.jobs}, {"jobs", json::array()}};
  std::vector<json> records(n, json::object());

  SignalGuard guard;
  struct Running {
    size_t job;
    int slot, threads;
    std::chrono::steady_clock::time_point start;
  };
  std::map<pid_t, Running> running;
  int free_threads = options.jobs;
  bool stop = false;
  int to_run = 0, started = 0;
  for (size_t i = 0; i < n; ++i) to_run += scheduled[i];

  auto launch = [&](size_t i) {
    const Job& job = plan.jobs[i];
    const StepPlan& step = plan.steps[job.step];
    for (size_t k = 0; k < job.outputs.size(); ++k) {
      fs::path p = fs::path(plan.out_dir) / job.outputs[k];
      fs::create_directories(job.output_is_dir[k] ? p : p.parent_path());
    }
    const std::string out_log = result.log_dir + "/" + job.id + ".out.json", err_log = result.log_dir + "/" + job.id + ".err.log";
    pid_t pid = spawn_process({step.tool_path, job.argv, plan.out_dir, out_log, err_log});
    int slot = 0;
    while (slot < kMaxRunning && g_running[slot] > 0) ++slot;
    SignalGuard::set_slot(slot, pid);
    if (g_signal) kill(-pid, g_signal);  // arrived between the check and the spawn
    int threads = std::min(job.threads, options.jobs);
    free_threads -= threads;
    running[pid] = {i, slot, threads, std::chrono::steady_clock::now()};
    state[i] = State::running;
    records[i] = {{"id", job.id}, {"step", step.spec.name}, {"step_index", job.step}, {"entities", job.entities},
                  {"tool", step.spec.tool}, {"command", step.spec.command}, {"version", step.tool_version},
                  {"command_line", job.command_line()}, {"inputs", job.inputs}, {"outputs", job.outputs},
                  {"reason", reason[i]}, {"stdout_log", out_log}, {"stderr_log", err_log},
                  {"pipeline", plan.file.name}, {"threads", job.threads}};
    if (!step.spec.report.empty()) records[i]["report_tables"] = report_tables_of(step, job);
    note(options.quiet, "[" + std::to_string(++started) + "/" + std::to_string(to_run) + "] " + label(plan, job) + " (" + reason[i] + ")");
  };

  while (true) {
    if (g_signal) stop = true;
    if (!stop) {
      for (size_t i = 0; i < n; ++i) {
        if (state[i] != State::waiting || !scheduled[i]) continue;
        bool ready = true, blocked = false;
        for (size_t d : plan.jobs[i].deps) {
          if (state[d] == State::failed || state[d] == State::blocked) blocked = true;
          if (state[d] != State::done) ready = false;
        }
        if (blocked) {
          state[i] = State::blocked;
          continue;
        }
        if (ready && std::min(plan.jobs[i].threads, options.jobs) <= free_threads) launch(i);
      }
    }
    if (running.empty()) break;
    ProcessResult r;
    pid_t pid = wait_child(-1, r);
    if (pid < 0) continue;  // EINTR: the handler forwarded the signal already
    auto it = running.find(pid);
    if (it == running.end()) continue;
    Running run = it->second;
    running.erase(it);
    SignalGuard::set_slot(run.slot, 0);
    free_threads += run.threads;
    const Job& job = plan.jobs[run.job];
    json& rec = records[run.job];
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - run.start).count();
    rec["wall_s"] = wall;
    rec["user_s"] = r.user_s;
    rec["system_s"] = r.system_s;
    rec["max_rss_mb"] = r.max_rss_kb / 1024.0;
    rec["exit_code"] = r.exit_code;
    rec["finished"] = utc_now("%Y-%m-%dT%H:%M:%SZ");
    std::string missing;
    if (r.exit_code == 0)
      for (const auto& o : job.outputs)
        if (!fs::exists(fs::path(plan.out_dir) / o)) missing = o;
    if (r.exit_code == 0 && missing.empty()) {
      rec["status"] = "done";
      rec["summary"] = read_summary(rec["stdout_log"]);
      write_job_record(plan.out_dir, job.id, rec);
      state[run.job] = State::done;
      ++result.ran;
      char buf[96];
      std::snprintf(buf, sizeof buf, " done in %.1f s, peak %.0f MB", wall, r.max_rss_kb / 1024.0);
      note(options.quiet, label(plan, job) + buf);
    } else {
      rec["status"] = r.signal ? "interrupted" : "failed";
      state[run.job] = State::failed;
      if (r.signal && g_signal) {  // stopped by us: not a failure of the job
        ++result.not_run;
        continue;
      }
      ++result.failed;
      std::string why = missing.empty() ? "exit " + std::to_string(r.exit_code) : "exit 0 but " + missing + " is missing";
      result.failures.push_back("job " + label(plan, job) + " failed (" + why + "): see " + rec["stderr_log"].get<std::string>());
      note(options.quiet, result.failures.back());
      if (!options.keep_going) stop = true;
    }
  }
  result.signal = g_signal;
  for (size_t i = 0; i < n; ++i) {
    if (scheduled[i] && (state[i] == State::waiting || state[i] == State::blocked)) ++result.not_run;
    if (!records[i].empty()) run_log["jobs"].push_back(records[i]);
  }
  run_log["finished"] = utc_now("%Y-%m-%dT%H:%M:%SZ");
  run_log["result"] = {{"ran", result.ran}, {"up_to_date", result.up_to_date}, {"failed", result.failed},
                       {"not_run", result.not_run}, {"signal", result.signal}};
  write_text_atomically(result.log_dir + "/run.json", run_log.dump(2) + "\n");
  return result;
}

}  // namespace axon::pipeline
