#include "axon/core/log.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace axon::log {
namespace {
// Set once at start-up by the command layer, read afterwards.
std::string g_program = "axon";
std::atomic<Level> g_level{Level::normal};
std::mutex g_mutex;

void emit(const char* kind, const std::string& message) {
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fprintf(stderr, "%s: %s%s\n", g_program.c_str(), kind, message.c_str());
  std::fflush(stderr);
}
}  // namespace

void set_program(const std::string& name) { g_program = name; }
const std::string& program() { return g_program; }
void set_level(Level level) { g_level = level; }
Level level() { return g_level; }

void warn(const std::string& message) {
  if (g_level.load() >= Level::normal) emit("warning: ", message);
}
void info(const std::string& message) {
  if (g_level.load() >= Level::verbose) emit("", message);
}
void error(const std::string& message) { emit("error: ", message); }

}  // namespace axon::log
