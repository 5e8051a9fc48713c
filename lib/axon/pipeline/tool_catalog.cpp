#include "axon/pipeline/tool_catalog.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "axon/core/error.hpp"
#include "axon/core/install_layout.hpp"
#include "axon/pipeline/process.hpp"

namespace axon::pipeline {
namespace fs = std::filesystem;

ToolCatalog::ToolCatalog(std::vector<std::string> search_dirs) : dirs_(std::move(search_dirs)) {
  if (const char* path = std::getenv("PATH")) {
    std::istringstream parts(path);
    std::string dir;
    while (std::getline(parts, dir, ':'))
      if (!dir.empty()) dirs_.push_back(dir);
  }
}

std::vector<std::string> ToolCatalog::default_search_dirs() {
  const std::string self = executable_dir();
  if (self.empty()) return {};
  return {self};
}

std::optional<std::string> ToolCatalog::find(const std::string& tool) {
  auto it = paths_.find(tool);
  if (it != paths_.end()) return it->second;
  std::optional<std::string> found;
  // Only axon executables: a pipeline step is an axon command with a
  // declaration, never an arbitrary program.
  if (tool.rfind("axon-", 0) == 0 && tool.find('/') == std::string::npos && tool != "axon-pipeline") {
    for (const auto& dir : dirs_) {
      fs::path p = fs::path(dir) / tool;
      if (access(p.c_str(), X_OK) == 0 && fs::is_regular_file(p)) {
        found = fs::absolute(p).lexically_normal().string();
        break;
      }
    }
  }
  paths_[tool] = found;
  return found;
}

std::optional<nlohmann::json> ToolCatalog::describe(const std::string& tool, const std::string& command,
                                                    std::string& why) {
  const std::string key = tool + " " + command;
  auto it = described_.find(key);
  if (it != described_.end()) {
    why = why_[key];
    return it->second;
  }
  auto path = find(tool);
  if (!path) throw Error(ExitCode::other, "unknown tool " + tool);
  Captured c = run_captured(*path, {tool, command, "--describe"});
  std::optional<nlohmann::json> j;
  if (c.exit_code == 0) {
    try {
      j = nlohmann::json::parse(c.out);
    } catch (const nlohmann::json::exception&) {
      j.reset();
    }
  }
  if (!j) {
    // The tool's own one-line error, without its "axon-X: error: " prefix.
    std::string msg = c.err.substr(0, c.err.find('\n'));
    auto p = msg.find("error: ");
    why_[key] = p == std::string::npos ? msg : msg.substr(p + 7);
  }
  why = why_[key];
  described_[key] = j;
  return j;
}

std::string ToolCatalog::version(const std::string& tool) {
  auto it = versions_.find(tool);
  if (it != versions_.end()) return it->second;
  auto path = find(tool);
  if (!path) throw Error(ExitCode::other, "unknown tool " + tool);
  Captured c = run_captured(*path, {tool, "--version"});
  std::string v = c.out.substr(0, c.out.find('\n'));
  if (c.exit_code != 0 || v.empty()) throw Error(ExitCode::other, *path + ": --version failed");
  versions_[tool] = v;
  return v;
}

}  // namespace axon::pipeline
