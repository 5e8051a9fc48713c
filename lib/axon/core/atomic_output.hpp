#pragma once
// Atomic outputs: every output is written under a temporary name in its
// target folder and renamed into place only when the whole command has
// succeeded. A failed, killed (SIGINT/SIGTERM) or crashed-by-exception run
// therefore leaves no partial output behind, and an existing output is never
// replaced unless --force was given.
#include <memory>
#include <string>
#include <vector>

namespace axon {

// Checks, before any work is done, that `path` can be created: its folder
// exists and is writable, and the file does not exist unless `force`.
// Throws OutputError (exit 4).
void check_output_path(const std::string& path, bool force);

// One output file in flight. The temporary keeps the final name's suffix
// (".nii.gz", ".tsv", ...) so writers that look at the extension behave.
class PendingOutput {
 public:
  PendingOutput(std::string final_path, bool force);
  ~PendingOutput();  // removes the temporary unless committed
  PendingOutput(const PendingOutput&) = delete;
  PendingOutput& operator=(const PendingOutput&) = delete;

  const std::string& temp_path() const { return temp_path_; }
  const std::string& final_path() const { return final_path_; }
  void commit();  // rename temp -> final; throws OutputError

 private:
  std::string final_path_;
  std::string temp_path_;
  int slot_ = -1;  // index in the signal-cleanup registry
  bool committed_ = false;
};

// A group of outputs that appear together or not at all: a command asks for
// a temporary path per output, writes them all, then commits.
class OutputSet {
 public:
  explicit OutputSet(bool force) : force_(force) {}
  // Registers an output and returns the temporary path to write to.
  const std::string& add(const std::string& final_path);
  void commit_all();
  const std::vector<std::string>& final_paths() const { return finals_; }

 private:
  bool force_;
  std::vector<std::unique_ptr<PendingOutput>> pending_;
  std::vector<std::string> finals_;
};

// Installs SIGINT/SIGTERM/SIGHUP/SIGABRT handlers that delete every
// temporary still in flight, then re-raise the signal. Called once by the
// command layer.
void install_output_cleanup_handlers();

}  // namespace axon
