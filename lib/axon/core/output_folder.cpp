#include "axon/core/output_folder.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "axon/core/error.hpp"

namespace axon {
namespace fs = std::filesystem;

namespace {
bool is_folder(const fs::path& p) {
  struct stat st {};
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
bool exists_at_all(const fs::path& p) {
  struct stat st {};
  return stat(p.c_str(), &st) == 0;
}
}  // namespace

OutputFolder::OutputFolder(std::string path) : path_(std::move(path)) {
  if (path_.empty()) throw OutputError("", "empty output folder");
  // The deepest part of the path that exists must be a writable folder.
  fs::path existing = fs::path(path_).lexically_normal();
  while (!existing.empty() && !exists_at_all(existing)) existing = existing.parent_path();
  if (existing.empty()) existing = ".";
  if (!is_folder(existing))
    throw OutputError(path_, "cannot be an output folder: '" + existing.string() + "' is not a folder");
  if (access(existing.c_str(), W_OK) != 0)
    throw OutputError(path_, "output folder '" + existing.string() + "' is not writable");
}

OutputFolder::~OutputFolder() {
  if (kept_) return;
  // Innermost first; rmdir refuses a folder that is not empty, so nothing
  // another process put there meanwhile is lost.
  for (auto it = made_.rbegin(); it != made_.rend(); ++it) rmdir(it->c_str());
}

bool OutputFolder::exists() const { return is_folder(path_); }

void OutputFolder::create() {
  fs::path so_far;
  for (const auto& part : fs::path(path_).lexically_normal()) {
    so_far /= part;
    if (is_folder(so_far)) continue;
    if (mkdir(so_far.c_str(), 0777) == 0) {
      made_.push_back(so_far.string());
    } else if (errno != EEXIST || !is_folder(so_far)) {  // EEXIST: made by someone else just now
      throw OutputError(path_, "cannot create the output folder '" + so_far.string() + "': " + std::strerror(errno));
    }
  }
}

}  // namespace axon
