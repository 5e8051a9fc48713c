#include "axon/io/manifest_folders.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "axon/core/checksum.hpp"
#include "axon/core/error.hpp"
#include "axon/core/install_layout.hpp"

namespace axon {
namespace fs = std::filesystem;

std::vector<std::string> manifest_search_path(const char* environment_variable, const std::string& what,
                                              const std::string& build_tree_dir) {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv(environment_variable)) {
    const std::string s(env);
    size_t start = 0;
    while (start <= s.size()) {
      const size_t colon = s.find(':', start);
      std::string d = s.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      if (!d.empty()) dirs.push_back(d);
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
  }
  dirs.push_back(shipped_data_dir(what, build_tree_dir));
  return dirs;
}

std::vector<std::string> manifest_files(const std::vector<std::string>& folders) {
  std::vector<std::string> out;
  for (const auto& dir : folders) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".json") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
}

void verify_manifest_image(const std::string& kind, const std::string& name, const std::string& image,
                           const std::string& package, const std::string& sha256, const std::string& manifest_path) {
  std::error_code ec;
  if (!fs::exists(image, ec))
    throw InputError(image, kind + " '" + name + "' is not installed" +
                                (package.empty() ? std::string() : " (install the Debian package " + package + ")"));
  if (!sha256.empty() && sha256_file(image) != sha256)
    throw InputError(image, kind + " '" + name + "' does not match the checksum in " + manifest_path +
                                " (a different version of the file?)");
}

}  // namespace axon
