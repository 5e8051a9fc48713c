#include "axon/core/progress.hpp"

#include <cstdio>

#include "axon/core/log.hpp"

namespace axon {
namespace {
std::atomic<bool> g_enabled{false};
}

void Progress::set_enabled(bool enabled) { g_enabled = enabled; }
bool Progress::enabled() { return g_enabled; }

Progress::Progress(std::string label, std::size_t total) : label_(std::move(label)), total_(total) {
  if (g_enabled) draw(0);
}

Progress::~Progress() { finish(); }

void Progress::advance(std::size_t n) {
  std::size_t done = done_ += n;
  if (g_enabled) draw(done);
}

void Progress::draw(std::size_t done) {
  int percent = total_ ? static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total_)) : 100;
  if (percent > 100) percent = 100;
  // Only redraw when the percentage changes: cheap from hot loops.
  if (shown_percent_.exchange(percent) == percent) return;
  std::lock_guard<std::mutex> lock(mutex_);
  const int width = 30;
  int filled = percent * width / 100;
  std::fprintf(stderr, "\r%s: %s [%.*s%*s] %3d%%", log::program().c_str(), label_.c_str(), filled,
               "##############################", width - filled, "", percent);
  std::fflush(stderr);
}

void Progress::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  finished_ = true;
  if (g_enabled && shown_percent_.load() >= 0) {
    std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }
}

}  // namespace axon
