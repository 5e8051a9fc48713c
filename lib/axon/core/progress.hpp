#pragma once
// A progress bar on stderr. It draws only when enabled (stderr is a terminal
// or --progress was given, and not --quiet), so log files never receive
// carriage-return garbage. advance() is safe to call from OpenMP threads.
#include <atomic>
#include <cstddef>
#include <mutex>
#include <string>

namespace axon {

class Progress {
 public:
  Progress(std::string label, std::size_t total);
  ~Progress();
  void advance(std::size_t n = 1);
  void finish();

  // Set by the command layer from --progress / --quiet / isatty(stderr).
  static void set_enabled(bool enabled);
  static bool enabled();

 private:
  void draw(std::size_t done);
  std::string label_;
  std::size_t total_;
  std::atomic<std::size_t> done_{0};
  std::atomic<int> shown_percent_{-1};
  std::mutex mutex_;
  bool finished_ = false;
};

}  // namespace axon
