#pragma once
// A command's --out folder, created on demand (mkdir -p) so a
// user need not make it first, without breaking the all-or-nothing rule of
// lib/axon/core/atomic_output.hpp: the folder is checked before the work,
// created only when the outputs are about to be written, and removed again
// (if still empty) when the command fails before committing them.
#include <string>
#include <vector>

namespace axon {

class OutputFolder {
 public:
  // Checks that `path` is a folder or can become one: nothing but folders
  // along the way, and the deepest existing one writable. Throws OutputError.
  explicit OutputFolder(std::string path);
  ~OutputFolder();  // removes the folders create() made, if empty, unless kept
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  // True when the folder exists already (its outputs can be checked then).
  bool exists() const;
  // Makes the missing folders; another process making them at the same time
  // is fine. Throws OutputError.
  void create();
  // The outputs are committed: the folders stay.
  void keep() { kept_ = true; }

 private:
  std::string path_;
  std::vector<std::string> made_;  // created by us, outermost first
  bool kept_ = false;
};

}  // namespace axon
