#include "axon/core/install_layout.hpp"

#include <filesystem>

namespace axon {
namespace fs = std::filesystem;

std::string executable_dir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec || !self.has_parent_path()) return {};
  return self.parent_path().string();
}

std::string shipped_data_dir(const std::string& what, const std::string& build_tree_dir) {
  const std::string bin = executable_dir();
  if (!bin.empty()) {
    const fs::path installed = (fs::path(bin).parent_path() / "share" / "axon" / what).lexically_normal();
    std::error_code ec;
    if (fs::is_directory(installed, ec)) return installed.string();
  }
  return build_tree_dir;
}

}  // namespace axon
