#include "axon/pipeline/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "axon/core/error.hpp"

namespace axon::pipeline {
namespace {

// In the child, between fork and exec, only async-signal-safe calls: the
// strings are prepared before the fork.
[[noreturn]] void child_fail(int report_fd) {
  int err = errno;
  ssize_t ignored = write(report_fd, &err, sizeof err);
  (void)ignored;
  _exit(127);
}

int open_or_null(const std::string& path) {
  return open(path.empty() ? "/dev/null" : path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

}  // namespace

pid_t spawn_process(const SpawnSpec& spec) {
  std::vector<char*> argv;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int out_fd = open_or_null(spec.stdout_path);
  if (out_fd < 0) throw Error(ExitCode::output, spec.stdout_path + ": cannot create log file: " + std::strerror(errno));
  int err_fd = open_or_null(spec.stderr_path);
  if (err_fd < 0) {
    close(out_fd);
    throw Error(ExitCode::output, spec.stderr_path + ": cannot create log file: " + std::strerror(errno));
  }
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) throw Error(ExitCode::other, std::string("pipe: ") + std::strerror(errno));

  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(out_fd), close(err_fd), close(report[0]), close(report[1]);
    throw Error(ExitCode::other, spec.executable + ": cannot start: " + std::strerror(e));
  }
  if (pid == 0) {
    setpgid(0, 0);
    // Default dispositions: a runner started in the background by a shell
    // ignores SIGINT, and that would be inherited across exec.
    struct sigaction sa {};
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) sigaction(sig, &sa, nullptr);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    int in_fd = open("/dev/null", O_RDONLY);
    if (in_fd < 0 || dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) child_fail(report[1]);
    if (!spec.cwd.empty() && chdir(spec.cwd.c_str()) != 0) child_fail(report[1]);
    execv(spec.executable.c_str(), argv.data());
    child_fail(report[1]);
  }
  setpgid(pid, pid);  // also here: no race with a signal sent right away
  close(out_fd);
  close(err_fd);
  close(report[1]);
  int child_errno = 0;
  ssize_t n;
  do n = read(report[0], &child_errno, sizeof child_errno);
  while (n < 0 && errno == EINTR);
  close(report[0]);
  if (n == static_cast<ssize_t>(sizeof child_errno)) {
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    throw Error(ExitCode::other, spec.executable + ": cannot run: " + std::strerror(child_errno));
  }
  return pid;
}

pid_t wait_child(pid_t pid, ProcessResult& result) {
  int status = 0;
  struct rusage ru {};
  pid_t done = wait4(pid, &status, 0, &ru);
  if (done <= 0) return -1;
  result = ProcessResult{};
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
    result.exit_code = 128 + result.signal;
  }
  result.user_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6;
  result.system_s = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
  result.max_rss_kb = ru.ru_maxrss;  // Linux: kilobytes
  return done;
}

Captured run_captured(const std::string& executable, const std::vector<std::string>& argv) {
  char out_name[] = "/tmp/axon-pipeline-out-XXXXXX", err_name[] = "/tmp/axon-pipeline-err-XXXXXX";
  int fo = mkstemp(out_name), fe = mkstemp(err_name);
  if (fo < 0 || fe < 0) throw Error(ExitCode::other, std::string("cannot create a temporary file: ") + std::strerror(errno));
  close(fo);
  close(fe);
  Captured c;
  try {
    pid_t pid = spawn_process({executable, argv, "", out_name, err_name});
    ProcessResult r;
    while (wait_child(pid, r) < 0 && errno == EINTR) {}
    c.exit_code = r.exit_code;
    auto slurp = [](const char* p) {
      std::ifstream in(p);
      std::ostringstream s;
      s << in.rdbuf();
      return s.str();
    };
    c.out = slurp(out_name);
    c.err = slurp(err_name);
  } catch (...) {
    unlink(out_name);
    unlink(err_name);
    throw;
  }
  unlink(out_name);
  unlink(err_name);
  return c;
}

}  // namespace axon::pipeline
