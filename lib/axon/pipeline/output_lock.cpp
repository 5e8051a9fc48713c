#include "axon/pipeline/output_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include "axon/core/error.hpp"
#include "axon/pipeline/job_state.hpp"

namespace axon::pipeline {

OutputLock::OutputLock(const std::string& out_dir) {
  const std::string dir = state_dir(out_dir), path = dir + "/lock";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw OutputError(out_dir, "cannot create the output folder: " + ec.message());
  fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw OutputError(path, std::string("cannot open the lock file: ") + std::strerror(errno));
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {0};
    ssize_t n = pread(fd_, buf, sizeof buf - 1, 0);
    close(fd_);
    fd_ = -1;
    std::string holder = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "?";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    throw OutputError(out_dir, "another axon-pipeline run (pid " + holder + ") is writing this output folder");
  }
  std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd_, 0) == 0) {
    ssize_t w = pwrite(fd_, pid.data(), pid.size(), 0);
    (void)w;
  }
}

OutputLock::~OutputLock() {
  if (fd_ >= 0) close(fd_);  // releases the flock
}

}  // namespace axon::pipeline
