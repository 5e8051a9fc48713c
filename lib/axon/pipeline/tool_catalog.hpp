#pragma once
// What a step may call, learnt from the tools themselves: each axon command
// prints its declaration with `axon-X COMMAND --describe`, so the pipeline
// layer validates options against the CLI's own declaration and never keeps
// a list of its own. A tool that lands later just works.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace axon::pipeline {

class ToolCatalog {
 public:
  // Tools are looked up in `search_dirs` first (by default the folder of
  // the running axon-pipeline), then on PATH.
  explicit ToolCatalog(std::vector<std::string> search_dirs);
  static std::vector<std::string> default_search_dirs();

  // Full path of an axon executable, or nullopt.
  std::optional<std::string> find(const std::string& tool);
  // The command's declaration; nullopt when the tool has no such command
  // (`why` then holds the tool's own message, which lists its commands).
  std::optional<nlohmann::json> describe(const std::string& tool, const std::string& command, std::string& why);
  // "axon-image 0.1.0 (1a2b3c4d5e6f)": the version stamp recorded per job.
  std::string version(const std::string& tool);

  const std::vector<std::string>& search_dirs() const { return dirs_; }

 private:
  std::vector<std::string> dirs_;
  std::map<std::string, std::optional<std::string>> paths_;
  std::map<std::string, std::optional<nlohmann::json>> described_;
  std::map<std::string, std::string> why_, versions_;
};

}  // namespace axon::pipeline
