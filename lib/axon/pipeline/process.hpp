#pragma once
// Child processes for the runner: fork/exec with stdout and stderr sent to
// files, a working folder, and a process group of its own (so a signal to
// the runner is forwarded once, by the runner, to the whole job).
#include <sys/types.h>

#include <string>
#include <vector>

namespace axon::pipeline {

struct SpawnSpec {
  std::string executable;         // full path
  std::vector<std::string> argv;  // argv[0] is the name the tool records (e.g. "axon-image")
  std::string cwd;                // "" keeps the runner's
  std::string stdout_path, stderr_path;  // "" sends the stream to /dev/null
};

// Starts the process; throws Error (exit 1) when it cannot be started,
// including when exec fails in the child (reported back through a pipe).
pid_t spawn_process(const SpawnSpec& spec);

// How a child ended, with its own resource use (wait4).
struct ProcessResult {
  int exit_code = 0;  // exit status, or 128 + signal
  int signal = 0;     // the terminating signal, 0 if it exited
  double user_s = 0, system_s = 0;
  long max_rss_kb = 0;
};

// Waits for any child (pid -1) or one; returns its pid and result. Returns
// -1 with errno EINTR when a signal interrupted the wait, or ECHILD.
pid_t wait_child(pid_t pid, ProcessResult& result);

// Runs a command to completion and returns its exit code, stdout and stderr
// (for `--describe` and `--version`; both streams are small).
struct Captured {
  int exit_code = 0;
  std::string out, err;
};
Captured run_captured(const std::string& executable, const std::vector<std::string>& argv);

}  // namespace axon::pipeline
