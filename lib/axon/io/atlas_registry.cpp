#include "axon/io/atlas_registry.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "axon/core/checksum.hpp"
#include "axon/core/error.hpp"
#include "axon/core/install_layout.hpp"
#include "axon/io/json.hpp"

#ifndef AXON_ATLAS_DIR
#define AXON_ATLAS_DIR "atlases"
#endif

namespace axon {
namespace fs = std::filesystem;

std::vector<std::string> atlas_search_path() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("AXON_ATLAS_PATH")) {
    std::string s(env);
    size_t start = 0;
    while (start <= s.size()) {
      size_t colon = s.find(':', start);
      std::string d = s.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      if (!d.empty()) dirs.push_back(d);
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
  }
  dirs.push_back(shipped_data_dir("atlases", AXON_ATLAS_DIR));
  return dirs;
}

namespace {
AtlasManifest parse_manifest(const std::string& path) {
  nlohmann::json j = read_json(path);
  AtlasManifest m;
  try {
    m.name = j.at("name").get<std::string>();
    m.description = j.value("description", "");
    m.space = j.value("space", "");
    m.image = j.at("image").get<std::string>();
    m.labels = j.value("labels", "");
    m.package = j.value("package", "");
    m.sha256 = j.value("sha256", "");
    m.name_prefix = j.value("name_prefix", "label_");
    m.n_labels = j.value("n_labels", 0);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, std::string("invalid atlas manifest: ") + e.what());
  }
  // Relative paths in a manifest are relative to the manifest's folder.
  fs::path dir = fs::path(path).parent_path();
  if (!m.labels.empty() && fs::path(m.labels).is_relative()) m.labels = (dir / m.labels).string();
  if (fs::path(m.image).is_relative()) m.image = (dir / m.image).string();
  m.manifest_path = path;
  return m;
}
}  // namespace

std::vector<AtlasManifest> list_atlases() {
  std::vector<AtlasManifest> out;
  for (const auto& dir : atlas_search_path()) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".json") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      AtlasManifest m = parse_manifest(f);
      bool seen = std::any_of(out.begin(), out.end(), [&](const AtlasManifest& o) { return o.name == m.name; });
      if (!seen) out.push_back(m);
    }
  }
  return out;
}

AtlasManifest find_atlas(const std::string& name) {
  std::string known;
  for (const auto& m : list_atlases()) {
    if (m.name == name) {
      std::error_code ec;
      if (!fs::exists(m.image, ec))
        throw InputError(m.image, "atlas '" + name + "' is not installed" +
                                      (m.package.empty() ? std::string() : " (install the Debian package " + m.package + ")"));
      if (!m.sha256.empty() && sha256_file(m.image) != m.sha256)
        throw InputError(m.image, "atlas '" + name + "' does not match the checksum in " + m.manifest_path +
                                      " (a different version of the file?)");
      return m;
    }
    known += (known.empty() ? "" : ", ") + m.name;
  }
  throw InputError("", "unknown atlas '" + name + "' (known atlases: " + (known.empty() ? "none found" : known) +
                           "; or give the path of a label image)");
}

LabelTable atlas_labels(const AtlasManifest& atlas) {
  LabelTable table;
  if (!atlas.labels.empty()) table = read_label_table(atlas.labels);
  table.prefix = atlas.name_prefix;  // names for labels the table does not list
  return table;
}

}  // namespace axon
