#include "axon/pipeline/job_state.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"

namespace axon::pipeline {
namespace fs = std::filesystem;
using nlohmann::json;

std::string state_dir(const std::string& out_dir) { return (fs::path(out_dir) / ".axon-pipeline").string(); }

std::string job_record_path(const std::string& out_dir, const std::string& job_id) {
  return (fs::path(state_dir(out_dir)) / "jobs" / (job_id + ".json")).string();
}

namespace {

// Modification time in nanoseconds; -1 when the path does not exist.
long long mtime_ns(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return -1;
  return static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
}

std::string resolve(const std::string& out_dir, const std::string& p) {
  return fs::path(p).is_absolute() ? p : (fs::path(out_dir) / p).string();
}

}  // namespace

std::string out_of_date_reason(const Plan& plan, const Job& job) {
  std::ifstream in(job_record_path(plan.out_dir, job.id));
  if (!in) return "never run";
  json record;
  try {
    in >> record;
  } catch (const json::exception&) {
    return "its record is unreadable";
  }
  if (record.value("command_line", "") != job.command_line()) return "its command line changed";
  if (record.value("version", "") != plan.steps[job.step].tool_version) return "the tool's version changed";
  long long oldest_output = -1;
  for (const auto& o : job.outputs) {
    long long t = mtime_ns(resolve(plan.out_dir, o));
    if (t < 0) return o + " is missing";
    oldest_output = oldest_output < 0 ? t : std::min(oldest_output, t);
  }
  for (const auto& i : job.inputs) {
    long long t = mtime_ns(resolve(plan.out_dir, i));
    if (t > oldest_output) return i + " is newer than its outputs";
  }
  return "";
}

void write_text_atomically(const std::string& path, const std::string& text) {
  PendingOutput out(path, true);
  {
    std::ofstream f(out.temp_path(), std::ios::binary);
    f << text;
    if (!f.flush()) throw OutputError(path, "cannot be written");
  }
  out.commit();
}

void write_job_record(const std::string& out_dir, const std::string& job_id, const json& record) {
  fs::create_directories(fs::path(job_record_path(out_dir, job_id)).parent_path());
  write_text_atomically(job_record_path(out_dir, job_id), record.dump(2) + "\n");
}

std::vector<json> read_job_records(const std::string& out_dir) {
  std::vector<json> records;
  std::error_code ec;
  fs::directory_iterator it(fs::path(state_dir(out_dir)) / "jobs", ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".json") continue;
    std::ifstream in(it->path());
    try {
      json r;
      in >> r;
      records.push_back(std::move(r));
    } catch (const json::exception&) {
      // A record cut short cannot happen (atomic writes); skip anything else.
    }
  }
  std::sort(records.begin(), records.end(), [](const json& a, const json& b) {
    auto ka = std::make_pair(a.value("step_index", 0), a.value("id", "")),
         kb = std::make_pair(b.value("step_index", 0), b.value("id", ""));
    return ka < kb;
  });
  return records;
}

}  // namespace axon::pipeline
